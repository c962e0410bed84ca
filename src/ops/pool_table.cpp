#include "ops/pool_table.h"

namespace pixlake {

PoolTable make_pool_table(const Window& w) {
  const size_t rank = w.rank();
  const std::vector<int64_t> in_strides = shape_strides(w.in);
  PoolTable table;
  table.begin.reserve(static_cast<size_t>(w.out_size()) + 1);
  table.begin.push_back(0);
  std::vector<int64_t> out_index(rank, 0);
  std::vector<std::vector<int64_t>> coords(rank);  // in-bounds input coordinates per dimension
  for (int64_t o = 0; o < w.out_size(); ++o) {
    int64_t padded = 1;
    for (size_t d = 0; d < rank; ++d) {
      coords[d].clear();
      int64_t padded_d = 0;
      const int64_t start = out_index[d] * w.strides[d] - w.pad_begin[d];
      for (int64_t k = 0; k < w.kernel[d]; ++k) {
        const int64_t at = start + k * w.dilations[d];
        if (at >= -w.pad_begin[d] && at < w.in[d] + w.pad_end[d]) ++padded_d;
        if (at >= 0 && at < w.in[d]) coords[d].push_back(at);
      }
      padded *= padded_d;
    }
    table.padded_count.push_back(padded);
    // The in-bounds taps are the cartesian product of the per-dimension coordinates.
    std::vector<size_t> pick(rank, 0);
    bool empty = false;
    for (size_t d = 0; d < rank; ++d) empty = empty || coords[d].empty();
    while (!empty) {
      int64_t offset = 0;
      for (size_t d = 0; d < rank; ++d) offset += coords[d][pick[d]] * in_strides[d];
      table.offsets.push_back(offset);
      size_t d = rank;
      while (d-- > 0) {
        if (++pick[d] < coords[d].size()) break;
        pick[d] = 0;
      }
      if (d == static_cast<size_t>(-1)) break;  // wrapped around: every tap visited
    }
    table.begin.push_back(static_cast<int64_t>(table.offsets.size()));
    for (size_t d = rank; d-- > 0;) {  // next output position, row-major
      if (++out_index[d] < w.out[d]) break;
      out_index[d] = 0;
    }
  }
  return table;
}

Result<WindowAttrs> read_pool_attrs(const Attributes& attrs) {
  PIXLAKE_ASSIGN_OR_RETURN(WindowAttrs window_attrs, read_window_attrs(attrs, true, true));
  if (window_attrs.kernel_shape.empty()) return invalid_argument("kernel_shape is missing");
  return window_attrs;
}

}  // namespace pixlake
