#include "index/vector_set.h"

#include <algorithm>
#include <cmath>

#include "kernels/vec_distance/distance.h"
#include "pixlake/tensor.h"

namespace pixlake {
namespace {

int64_t round_up_64(int64_t n) { return (n + 63) / 64 * 64; }

uint8_t to_code(float value, float min, float step) {
  const float c = std::nearbyint((value - min) / step);
  return static_cast<uint8_t>(std::clamp(c, 0.0f, 255.0f));
}

}  // namespace

VectorSet::VectorSet(int dim, bool inner_product, VectorCodec codec)
    : dim_(dim), inner_product_(inner_product), codec_(codec), code_stride_(round_up_64(dim)) {}

void VectorSet::train(const float* x, int64_t n) {
  if (codec_ != VectorCodec::kSq8) return;
  std::vector<float> lo(static_cast<size_t>(dim_), INFINITY),
      hi(static_cast<size_t>(dim_), -INFINITY);
  auto extend = [&](const float* v) {
    for (int d = 0; d < dim_; ++d) {
      lo[d] = std::min(lo[d], v[d]);
      hi[d] = std::max(hi[d], v[d]);
    }
  };
  std::vector<float> stored(static_cast<size_t>(dim_));
  for (int64_t slot = 0; slot < size_; ++slot) {
    decode(slot, stored.data());
    extend(stored.data());
  }
  for (int64_t row = 0; row < n; ++row) extend(x + row * dim_);
  if (size_ + n == 0) return;
  // One step for every dimension (the widest range / 255) keeps the code-space distance a
  // plain integer sum; per-dimension steps would need a float multiply per element. A 10%
  // margin each side means a growing index re-trains only a few times; a first training on
  // a large sample takes its range as it is (data on an integer grid, such as 8-bit pixels,
  // then encodes exactly).
  float widest = 0;
  for (int d = 0; d < dim_; ++d) widest = std::max(widest, hi[d] - lo[d]);
  const bool large_first_sample = !trained_ && size_ + n >= 10000;
  const float margin = large_first_sample ? 0.0f : 0.1f * widest;
  widest += 2 * margin;
  step_ = widest > 0 ? widest / 255.0f : 1.0f;
  std::vector<float>& min = min_.mutable_vector();
  min.resize(static_cast<size_t>(dim_));
  min_sq_ = 0;
  for (int d = 0; d < dim_; ++d) {
    min[d] = lo[d] - margin;
    min_sq_ += min[d] * min[d];
  }
  trained_ = true;
  for (int64_t slot = 0; slot < size_; ++slot) {  // re-encode what is stored
    decode(slot, stored.data());
    set(slot, stored.data());
  }
}

bool VectorSet::covers(const float* x, int64_t n) const {
  if (codec_ != VectorCodec::kSq8) return true;
  if (!trained_) return false;
  const float top = 255.0f * step_;
  for (int64_t row = 0; row < n; ++row) {
    for (int d = 0; d < dim_; ++d) {
      const float offset = x[row * dim_ + d] - min_[d];
      if (offset < 0 || offset > top) return false;
    }
  }
  return true;
}

void VectorSet::resize(int64_t n) {
  if (codec_ == VectorCodec::kF32) {
    f32_.resize(static_cast<size_t>(n * dim_));
  } else if (codec_ != VectorCodec::kSq8) {
    f16_.resize(static_cast<size_t>(n * dim_));
  } else {
    f16_.resize(static_cast<size_t>(n * dim_));
    codes_.resize(static_cast<size_t>(n * code_stride_));
    node_min_dot_.resize(static_cast<size_t>(n));
    node_sum_sq_.resize(static_cast<size_t>(n));
  }
  size_ = n;
}

void VectorSet::set(int64_t slot, const float* x) {
  if (codec_ == VectorCodec::kF32) {
    std::copy(x, x + dim_, f32_.mutable_data() + slot * dim_);
    return;
  }
  uint16_t* refine = f16_.mutable_data() + slot * dim_;
  if (codec_ != VectorCodec::kSq8) {
    for (int d = 0; d < dim_; ++d) {
      refine[d] = codec_ == VectorCodec::kBf16 ? f32_to_bf16(x[d]) : f32_to_f16(x[d]);
    }
    return;
  }
  int8_t* code = codes_.mutable_data() + slot * code_stride_;
  float min_dot = 0;
  int32_t sum_sq = 0;
  for (int d = 0; d < dim_; ++d) {
    refine[d] = f32_to_f16(x[d]);
    const uint8_t c = to_code(x[d], min_[d], step_);
    code[d] = static_cast<int8_t>(c ^ 0x80);
    min_dot += min_[d] * c;
    sum_sq += int32_t{c} * c;
  }
  std::fill(code + dim_, code + code_stride_, int8_t{0});
  node_min_dot_.mutable_data()[slot] = min_dot;
  node_sum_sq_.mutable_data()[slot] = sum_sq;
}

void VectorSet::prepare(const float* query, PreparedQuery* out) const {
  out->q.assign(query, query + dim_);
  if (codec_ != VectorCodec::kSq8) return;
  out->q8.assign(static_cast<size_t>(code_stride_), 0);
  out->q8_sum = 0;
  out->q8_sum_sq = 0;
  out->q_dot_min = 0;
  for (int d = 0; d < dim_; ++d) {
    const uint8_t c = to_code(query[d], min_[d], step_);
    out->q8[d] = c;
    out->q8_sum += c;
    out->q8_sum_sq += int64_t{c} * c;
    out->q_dot_min += query[d] * min_[d];
  }
}

void VectorSet::prepare_node(int64_t slot, PreparedQuery* out) const {
  if (codec_ != VectorCodec::kSq8) {
    out->q.resize(static_cast<size_t>(dim_));
    decode(slot, out->q.data());
    return;
  }
  // On the grid already: take the codes as they are, so node-to-node distances are exact in
  // code space (re-quantising the decoded float16 could move a code by one step). The float
  // form is left empty: SQ8 traversal does not read it.
  out->q.clear();
  out->q8.resize(static_cast<size_t>(code_stride_));
  const auto* code = reinterpret_cast<const uint8_t*>(codes_.data() + slot * code_stride_);
  uint8_t* q8 = out->q8.data();
  int32_t sum = 0;
  for (int64_t d = 0; d < code_stride_; ++d) {
    q8[d] = code[d] ^ 0x80;  // padding (stored 0) must become 0 again, not 0x80
    sum += q8[d];
  }
  for (int64_t d = dim_; d < code_stride_; ++d) {
    sum -= q8[d];
    q8[d] = 0;
  }
  out->q8_sum = sum;
  out->q8_sum_sq = node_sum_sq_[slot];
  // q = min + step * code on the grid, so sum q*min = sum min^2 + step * sum min*code.
  out->q_dot_min = min_sq_ + step_ * node_min_dot_[slot];
}

float VectorSet::half_distance(const float* query, int64_t slot) const {
  const DistanceKernels& k = distance_kernels();
  const uint16_t* x = f16_.data() + slot * dim_;
  if (codec_ == VectorCodec::kBf16) {
    return inner_product_ ? 1.0f - k.bf16_dot(query, x, dim_) : k.bf16_l2sq(query, x, dim_);
  }
  return inner_product_ ? 1.0f - k.f16_dot(query, x, dim_) : k.f16_l2sq(query, x, dim_);
}

float VectorSet::distance(const PreparedQuery& q, int64_t slot) const {
  const DistanceKernels& k = distance_kernels();
  if (codec_ == VectorCodec::kF32) {
    const float* x = f32_.data() + slot * dim_;
    return inner_product_ ? 1.0f - k.f32_dot(q.q.data(), x, dim_) : k.f32_l2sq(q.q.data(), x, dim_);
  }
  if (codec_ != VectorCodec::kSq8) return half_distance(q.q.data(), slot);
  const int8_t* code = codes_.data() + slot * code_stride_;
  // sum q8 * code = sum q8 * (code - 128) + 128 * sum q8
  const int64_t dot =
      int64_t{k.u8s8_dot(q.q8.data(), code, code_stride_)} + 128 * int64_t{q.q8_sum};
  if (!inner_product_) {
    const int64_t l2 = q.q8_sum_sq + node_sum_sq_[slot] - 2 * dot;
    return step_ * step_ * static_cast<float>(l2);
  }
  // <q, x> with x = min + step * code and q ~ min + step * q8 in the code term.
  const float ip = q.q_dot_min + step_ * (node_min_dot_[slot] + step_ * static_cast<float>(dot));
  return 1.0f - ip;
}

float VectorSet::exact_distance(const float* query, int64_t slot) const {
  const DistanceKernels& k = distance_kernels();
  if (codec_ == VectorCodec::kF32) {
    const float* x = f32_.data() + slot * dim_;
    return inner_product_ ? 1.0f - k.f32_dot(query, x, dim_) : k.f32_l2sq(query, x, dim_);
  }
  return half_distance(query, slot);
}

void VectorSet::decode(int64_t slot, float* out) const {
  if (codec_ == VectorCodec::kF32) {
    std::copy(f32_.begin() + slot * dim_, f32_.begin() + (slot + 1) * dim_, out);
    return;
  }
  const uint16_t* x = f16_.data() + slot * dim_;
  for (int d = 0; d < dim_; ++d) {
    out[d] = codec_ == VectorCodec::kBf16 ? bf16_to_f32(x[d]) : f16_to_f32(x[d]);
  }
}

const void* VectorSet::traversal_row(int64_t slot) const {
  if (codec_ == VectorCodec::kF32) return f32_.data() + slot * dim_;
  if (codec_ != VectorCodec::kSq8) return f16_.data() + slot * dim_;
  return codes_.data() + slot * code_stride_;
}

size_t VectorSet::memory_bytes() const {
  size_t bytes = 0;
  for (size_t b : {f32_.heap_bytes(), f32_.mapped_bytes(), f16_.heap_bytes(), f16_.mapped_bytes(),
                   codes_.heap_bytes(), codes_.mapped_bytes(), node_min_dot_.heap_bytes(),
                   node_min_dot_.mapped_bytes(), node_sum_sq_.heap_bytes(),
                   node_sum_sq_.mapped_bytes(), min_.heap_bytes(), min_.mapped_bytes()}) {
    bytes += b;
  }
  return bytes;
}

void VectorSet::refresh_derived() {
  min_sq_ = 0;
  for (float m : min_) min_sq_ += m * m;
}

VectorSet::Sections VectorSet::sections() {
  return {&f32_, &f16_, &codes_, &node_min_dot_, &node_sum_sq_, &min_, &step_, &trained_, &size_};
}

}  // namespace pixlake
