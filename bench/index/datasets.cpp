#include "datasets.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

namespace pixlake::bench {

const char* distance_name(Distance distance) {
  return distance == Distance::kL2 ? "l2" : "inner_product";
}

namespace {

uint32_t read_big_endian_u32(const unsigned char* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Reads an idx3-ubyte.gz image file (magic 0x803, count, rows, cols, then one byte per pixel).
Status read_idx_images(const std::string& path, int64_t limit, int* dim, int64_t* n_rows,
                       std::vector<float>* out) {
  gzFile file = gzopen(path.c_str(), "rb");
  if (file == nullptr) return not_found("fashion-mnist: cannot open '" + path + "'");
  unsigned char header[16];
  Status status;
  if (gzread(file, header, sizeof header) != static_cast<int>(sizeof header) ||
      read_big_endian_u32(header) != 0x803) {
    status = data_loss("fashion-mnist: '" + path + "' is not an idx3-ubyte image file");
  } else {
    int64_t count = read_big_endian_u32(header + 4);
    *dim = static_cast<int>(read_big_endian_u32(header + 8) * read_big_endian_u32(header + 12));
    *n_rows = limit > 0 ? std::min(limit, count) : count;
    std::vector<unsigned char> pixels(static_cast<size_t>(*n_rows) * *dim);
    // gzread takes an unsigned int length, so read in pieces.
    size_t done = 0;
    while (done < pixels.size()) {
      unsigned chunk = static_cast<unsigned>(std::min<size_t>(pixels.size() - done, 1 << 26));
      int got = gzread(file, pixels.data() + done, chunk);
      if (got <= 0) break;
      done += static_cast<size_t>(got);
    }
    if (done != pixels.size()) {
      status = data_loss("fashion-mnist: '" + path + "' is truncated");
    } else {
      out->assign(pixels.begin(), pixels.end());
    }
  }
  gzclose(file);
  return status;
}

// splitmix64: turns (seed, stream) into independent generator seeds.
uint64_t mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void normalise(float* row, int dim) {
  double norm2 = 0;
  for (int col = 0; col < dim; ++col) norm2 += double{row[col]} * row[col];
  float scale = norm2 > 0 ? static_cast<float>(1.0 / std::sqrt(norm2)) : 0.f;
  for (int col = 0; col < dim; ++col) row[col] *= scale;
}

// Rows [row_begin, row_end) of one set. Each block of rows has its own generator, so the result
// does not depend on how blocks are shared among threads.
constexpr int64_t kRowsPerBlock = 1024;

void fill_rows(const SyntheticSpec& spec, const std::vector<float>& centres, uint64_t stream,
               int64_t block, int64_t n_rows, float* out) {
  std::mt19937_64 rng(mix(spec.seed ^ mix(stream * 0x100000000ULL + block)));
  std::normal_distribution<float> noise(0.f, spec.spread);
  std::uniform_int_distribution<int> pick(0, spec.n_clusters - 1);
  int64_t row_end = std::min(n_rows, (block + 1) * kRowsPerBlock);
  for (int64_t row = block * kRowsPerBlock; row < row_end; ++row) {
    const float* centre = centres.data() + static_cast<size_t>(pick(rng)) * spec.dim;
    float* dst = out + row * spec.dim;
    for (int col = 0; col < spec.dim; ++col) dst[col] = centre[col] + noise(rng);
    normalise(dst, spec.dim);
  }
}

void fill_set(const SyntheticSpec& spec, const std::vector<float>& centres, uint64_t stream,
              int64_t n_rows, int n_threads, std::vector<float>* out) {
  out->resize(static_cast<size_t>(n_rows) * spec.dim);
  int64_t n_blocks = (n_rows + kRowsPerBlock - 1) / kRowsPerBlock;
  std::vector<std::thread> workers;
  for (int t = 0; t < std::max(1, n_threads); ++t) {
    workers.emplace_back([&, t] {
      for (int64_t block = t; block < n_blocks; block += std::max(1, n_threads))
        fill_rows(spec, centres, stream, block, n_rows, out->data());
    });
  }
  for (auto& worker : workers) worker.join();
}

}  // namespace

Result<Dataset> load_fashion_mnist(const std::string& dir, int64_t base_limit,
                                   int64_t query_limit) {
  Dataset data;
  data.name = "fashion-mnist";
  data.distance = Distance::kL2;
  int query_dim = 0;
  PIXLAKE_RETURN_IF_ERROR(read_idx_images(dir + "/train-images-idx3-ubyte.gz", base_limit,
                                          &data.dim, &data.n_base, &data.base));
  PIXLAKE_RETURN_IF_ERROR(read_idx_images(dir + "/t10k-images-idx3-ubyte.gz", query_limit,
                                          &query_dim, &data.n_queries, &data.queries));
  if (query_dim != data.dim) return data_loss("fashion-mnist: train and t10k image sizes differ");
  return data;
}

Dataset make_synthetic(const SyntheticSpec& spec, int n_threads) {
  Dataset data;
  data.name = "synthetic";
  data.distance = Distance::kInnerProduct;
  data.dim = spec.dim;
  data.n_base = spec.n_base;
  data.n_queries = spec.n_queries;
  std::vector<float> centres(static_cast<size_t>(spec.n_clusters) * spec.dim);
  std::mt19937_64 rng(mix(spec.seed));
  std::normal_distribution<float> unit(0.f, 1.f);
  for (float& value : centres) value = unit(rng);
  fill_set(spec, centres, /*stream=*/1, spec.n_base, n_threads, &data.base);
  fill_set(spec, centres, /*stream=*/2, spec.n_queries, n_threads, &data.queries);
  return data;
}

}  // namespace pixlake::bench
