// The vectors of an index, in the two forms a graph search needs: the traversal form (SQ8
// codes or float32) that every hop reads, and the refine form (float16 next to SQ8, or the
// float32 itself) that re-ranks the last candidates. Distances are "smaller is closer":
// squared L2, or 1 - dot for inner product (cosine is inner product on normalised vectors).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "index/array_store.h"
#include "pixlake/index.h"

namespace pixlake {

// A query (or a stored node, during build) turned into what the traversal distance reads.
struct PreparedQuery {
  std::vector<float> q;     // float32 query (refine and F32 traversal)
  std::vector<uint8_t> q8;  // SQ8: the query on the code grid, padded with zeros
  int32_t q8_sum = 0;       // sum of q8
  int64_t q8_sum_sq = 0;    // sum of q8^2
  float q_dot_min = 0;      // SQ8 inner product: sum q[d] * min[d]
};

class VectorSet {
 public:
  VectorSet(int dim, bool inner_product, VectorCodec codec);

  int dim() const { return dim_; }
  VectorCodec codec() const { return codec_; }
  int64_t size() const { return size_; }

  // SQ8 only: learns the per-dimension minimum and the common step from `n` vectors and the
  // vectors already stored (re-encoding those), with a margin so that later vectors rarely
  // fall outside. Called by add() when covers() says the new vectors do not fit.
  void train(const float* x, int64_t n);
  bool trained() const { return codec_ != VectorCodec::kSq8 || trained_; }
  // Whether n vectors fit the trained range (always true but for kSq8).
  bool covers(const float* x, int64_t n) const;

  void resize(int64_t n);                  // grows storage; new slots are zero
  void set(int64_t slot, const float* x);  // writes slot's traversal + refine forms

  void prepare(const float* query, PreparedQuery* out) const;
  // A stored vector as a query for traversal distances (build); SQ8 leaves `q` empty.
  void prepare_node(int64_t slot, PreparedQuery* out) const;
  float distance(const PreparedQuery& q, int64_t slot) const;    // traversal distance
  float exact_distance(const float* query, int64_t slot) const;  // refine distance
  float half_distance(const float* query, int64_t slot) const;   // on the 16-bit copy
  void decode(int64_t slot, float* out) const;                   // the refine form as floats
  const void* traversal_row(int64_t slot) const;                 // for prefetching
  int64_t traversal_row_bytes() const {
    if (codec_ == VectorCodec::kF32) return dim_ * int64_t{sizeof(float)};
    return codec_ == VectorCodec::kSq8 ? code_stride_ : dim_ * int64_t{sizeof(uint16_t)};
  }

  size_t memory_bytes() const;

  // Raw sections for the index file (src/index/index_file.cpp).
  struct Sections {
    ArrayStore<float>* f32;
    ArrayStore<uint16_t>* f16;
    ArrayStore<int8_t>* codes;
    ArrayStore<float>* node_min_dot;
    ArrayStore<int32_t>* node_sum_sq;
    ArrayStore<float>* min;
    float* step;
    bool* trained;
    int64_t* size;
  };
  Sections sections();
  // Recomputes what is derived from the sections (after they were read from a file).
  void refresh_derived();
  int64_t code_stride() const { return code_stride_; }
  bool has_half() const { return codec_ != VectorCodec::kF32; }

 private:
  int dim_;
  bool inner_product_;
  VectorCodec codec_;
  int64_t size_ = 0;
  int64_t code_stride_;  // dim rounded up to 64 bytes

  ArrayStore<float> f32_;            // kF32: size * dim
  ArrayStore<uint16_t> f16_;         // kF16, kBf16 vectors, kSq8 refine: size * dim
  ArrayStore<int8_t> codes_;         // kSq8: size * code_stride, each code XOR 0x80
  ArrayStore<float> node_min_dot_;   // kSq8 inner product: sum min[d] * code[d]
  ArrayStore<int32_t> node_sum_sq_;  // kSq8 L2: sum code[d]^2
  ArrayStore<float> min_;            // kSq8: per-dimension minimum
  float min_sq_ = 0;                 // kSq8: sum of min^2
  float step_ = 1;                   // kSq8: value of one code step, the same for every dimension
  bool trained_ = false;
};

}  // namespace pixlake
