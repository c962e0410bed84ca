// The taps of every pooling window, computed once per input size and shared by all
// (batch, channel) planes: MaxPool and AveragePool only differ in what they do with them.
#pragma once

#include <cstdint>
#include <vector>

#include "ops/window.h"

namespace pixlake {

struct PoolTable {
  // Output position o reads plane offsets offsets[begin[o] .. begin[o + 1]), the taps that
  // fall inside the input (padding excluded).
  std::vector<int64_t> begin;
  std::vector<int64_t> offsets;
  // Taps of window o inside the padded input (AveragePool's count_include_pad divisor): a
  // ceil_mode window may reach past the end padding.
  std::vector<int64_t> padded_count;
};

PoolTable make_pool_table(const Window& w);

}  // namespace pixlake
