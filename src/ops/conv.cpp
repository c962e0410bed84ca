// Conv: N-D convolution with strides, padding (explicit or auto_pad), dilations and groups.
// Depthwise 2-D layers (one filter per channel) run a direct kernel; every other layer is, per
// (batch item, group), one matrix product: W_g [M/g, C/g * K] x im2col [C/g * K, out]. Bias
// and a fused clamp (Relu, Clip; see Op::fused_with_clamp) are applied while the output is hot.
#include <cblas.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <vector>

#include "core/thread_pool.h"
#include "kernels/bf16_gemm/gemm.h"
#include "kernels/f32_dwconv/dwconv.h"
#include "kernels/f32_gemm/gemm.h"
#include "ops/conv_common.h"
#include "ops/conv_winograd.h"
#include "ops/im2col.h"
#include "ops/registry.h"

namespace pixlake {
namespace {

bool is_depthwise_2d(const Window& w, int64_t group, int64_t channels, int64_t maps) {
  return w.rank() == 2 && group == channels && maps == channels && group > 1;
}

DwConvShape depthwise_shape(const Window& w, int64_t channels) {
  DwConvShape s;
  s.channels = channels;
  s.in_h = w.in[0];
  s.in_w = w.in[1];
  s.kernel_h = w.kernel[0];
  s.kernel_w = w.kernel[1];
  s.stride_h = w.strides[0];
  s.stride_w = w.strides[1];
  s.dilation_h = w.dilations[0];
  s.dilation_w = w.dilations[1];
  s.pad_top = w.pad_begin[0];
  s.pad_left = w.pad_begin[1];
  s.out_h = w.out[0];
  s.out_w = w.out[1];
  return s;
}

// Fills each of `maps` consecutive planes of `plane_size` with its bias (0 without one), so
// that the product can accumulate onto it (beta = 1): BLAS would otherwise zero the output
// first and the bias would take a second pass.
void fill_bias(float* y, int64_t maps, int64_t plane_size, const float* bias) {
  for (int64_t m = 0; m < maps; ++m) {
    const float b = bias ? bias[m] : 0.0f;
    float* plane = y + m * plane_size;
    for (int64_t i = 0; i < plane_size; ++i) plane[i] = b;
  }
}

void apply_clamp(float* y, int64_t n, Clamp clamp) {
  for (int64_t i = 0; i < n; ++i) {
    float v = y[i] < clamp.lo ? clamp.lo : y[i];
    y[i] = v > clamp.hi ? clamp.hi : v;
  }
}

bool clamps(Clamp clamp) {
  return clamp.lo != -std::numeric_limits<float>::infinity() ||
         clamp.hi != std::numeric_limits<float>::infinity();
}

// The image one (batch item, group) product reads, for pack_im2col_panel.
struct Im2colPanels {
  const float* image;
  int64_t channels;
  const Window* window;
};

void pack_im2col_panel(const void* context, int64_t, int64_t col, int64_t cols, float* panel) {
  const auto& p = *static_cast<const Im2colPanels*>(context);
  im2col_panel_2d(p.image, p.channels, *p.window, col, cols, kF32GemmPanelCols, panel);
}

class ConvOp final : public Op {
 public:
  Status init(const OpSetup& setup) override {
    pool_ = setup.pool;
    PIXLAKE_ASSIGN_OR_RETURN(attrs_, read_conv_attrs(setup.attrs));
    // bf16: constant weights are rounded and packed once, here.
    const Tensor* weight = setup.constants.size() > 1 ? setup.constants[1] : nullptr;
    if (setup.precision == Precision::kBf16 && bf16_gemm() != nullptr && weight != nullptr &&
        weight->dtype() == DType::kF32 && weight->rank() >= 3 && weight->dim(0) > 0) {
      const int64_t rows = weight->dim(0);
      const int64_t depth = weight->numel() / rows;
      bf16_weights_ = std::make_shared<const std::vector<uint32_t>>(
          pack_bf16_pairs(weight->data<float>(), rows, depth, depth));
    }
    if (setup.precision == Precision::kFp32 && setup.winograd && weight != nullptr &&
        WinogradConv::eligible(*weight, attrs_.group, attrs_.window)) {
      winograd_ = std::make_shared<LazyWinogradConv>();
    }
    return Status::ok();
  }

  std::unique_ptr<Op> fused_with_clamp(float lo, float hi) const override {
    auto fused = std::make_unique<ConvOp>(*this);
    fused->clamp_ = Clamp{lo, hi};
    return fused;
  }

  Status run(std::span<const Tensor* const> inputs, std::span<Tensor> outputs) override {
    PIXLAKE_RETURN_IF_ERROR(check_conv_operands(inputs[0], inputs[1], "[M, C/group, kernel...]"));
    const Tensor& x = *inputs[0];
    const Tensor& weight = *inputs[1];
    const Tensor* bias = inputs.size() > 2 ? inputs[2] : nullptr;
    const int64_t batch = x.dim(0);
    const int64_t channels = x.dim(1);
    const int64_t maps = weight.dim(0);
    if (channels % attrs_.group != 0 || maps % attrs_.group != 0 ||
        weight.dim(1) * attrs_.group != channels) {
      return invalid_argument("W " + weight.describe() + " does not match X " + x.describe() +
                              " with group=" + std::to_string(attrs_.group));
    }
    PIXLAKE_ASSIGN_OR_RETURN(const Shape kernel, conv_kernel(attrs_.window, weight));
    PIXLAKE_RETURN_IF_ERROR(check_conv_bias(bias, maps));
    PIXLAKE_ASSIGN_OR_RETURN(
        Window w,
        resolve_window(attrs_.window, Shape(x.shape().begin() + 2, x.shape().end()), kernel));

    Shape y_shape = {batch, maps};
    y_shape.insert(y_shape.end(), w.out.begin(), w.out.end());
    Tensor y = Tensor::uninitialized(DType::kF32, y_shape);
    const float* b = bias ? bias->data<float>() : nullptr;
    const int64_t out_size = w.out_size();

    if (is_depthwise_2d(w, attrs_.group, channels, maps)) {
      const DwConvShape shape = depthwise_shape(w, channels);
      const DwConvFn kernel_fn = f32_dwconv2d();
      const auto scratch_floats = static_cast<size_t>(f32_dwconv2d_scratch_floats(shape));
      // Channels are independent: with a pool, each piece is one image's block of channels.
      const int64_t blocks =
          pool_ == nullptr ? 1 : std::clamp<int64_t>(channels / 8, 1, pool_->size());
      const int64_t per = (channels + blocks - 1) / blocks;
      const int64_t taps = shape.kernel_h * shape.kernel_w;
      auto piece = [&](int64_t index) {
        const int64_t n = index / blocks;
        const int64_t first = (index % blocks) * per;
        const int64_t count = std::min(per, channels - first);
        if (count <= 0) return;
        thread_local std::vector<float> scratch;  // the running thread's own
        if (scratch.size() < scratch_floats) scratch.resize(scratch_floats);
        DwConvShape part = shape;
        part.channels = count;
        kernel_fn(part, x.data<float>() + (n * channels + first) * w.in_size(),
                  weight.data<float>() + first * taps, b ? b + first : nullptr, clamp_,
                  scratch.data(), y.data<float>() + (n * maps + first) * out_size);
      };
      if (pool_ != nullptr && batch * blocks > 1) {
        pool_->run(batch * blocks, piece);
      } else {
        for (int64_t index = 0; index < batch * blocks; ++index) piece(index);
      }
      outputs[0] = std::move(y);
      return Status::ok();
    }

    if (winograd_ != nullptr && WinogradConv::applies(w)) {
      const WinogradConv& winograd = winograd_->get(weight);
      for (int64_t n = 0; n < batch; ++n) {
        winograd.run(x.data<float>() + n * channels * w.in_size(), w, b, clamp_, pool_,
                     y.data<float>() + n * maps * out_size);
      }
      outputs[0] = std::move(y);
      return Status::ok();
    }

    const int64_t group_channels = channels / attrs_.group;
    const int64_t group_maps = maps / attrs_.group;
    const int64_t depth = group_channels * w.kernel_size();  // the shared dimension of the product
    const bool identity = im2col_is_identity(w);
    // One column buffer per thread, kept between runs: allocating it afresh for every layer
    // of every image showed up as page faults in profiles.
    // (A layer needing more than kMaxKeptColumnBytes gets a buffer of its own, so that one
    // huge layer does not pin that memory in every thread for the life of the process.)
    constexpr size_t kMaxKeptColumnBytes = size_t{64} << 20;
    thread_local std::vector<float> kept_col;
    std::vector<float> own_col;
    const size_t col_floats = identity ? 0 : static_cast<size_t>(depth * out_size);
    std::vector<float>& col =
        col_floats * sizeof(float) <= kMaxKeptColumnBytes ? kept_col : own_col;
    const GemmFn gemm = f32_gemm();
    const Bf16GemmFn gemm_bf16 = bf16_weights_ ? bf16_gemm() : nullptr;
    // 2-D windows in float32 gather their columns panel by panel inside the product (no
    // column matrix: it was 10% of ResNet-50's time, written once and read back once).
    const bool gather = !identity && w.rank() == 2;
    const GemmSourceFn gemm_source =
        gemm != nullptr && gemm_bf16 == nullptr && gather ? f32_gemm_source() : nullptr;
    const Bf16GemmSourceFn gemm_bf16_source =
        gemm_bf16 != nullptr && gather ? bf16_gemm_source() : nullptr;
    const bool gathered = gemm_source != nullptr || gemm_bf16_source != nullptr;
    if (!gathered && col.size() < col_floats) col.resize(col_floats);
    const GemmShape product{group_maps, out_size, depth, depth, out_size, out_size};
    thread_local std::vector<float> gemm_scratch;
    if (gemm != nullptr || gemm_bf16 != nullptr) {
      const int64_t floats =
          std::max(f32_gemm_scratch_floats(product), bf16_gemm_scratch_floats(product));
      gemm_scratch.resize(std::max(gemm_scratch.size(), static_cast<size_t>(floats)));
    }
    for (int64_t n = 0; n < batch; ++n) {
      for (int64_t g = 0; g < attrs_.group; ++g) {
        const float* image = x.data<float>() + (n * channels + g * group_channels) * w.in_size();
        float* y_group = y.data<float>() + (n * maps + g * group_maps) * out_size;
        const float* b_group = b ? b + g * group_maps : nullptr;
        if (gemm != nullptr || gemm_bf16 != nullptr) {
          const float* columns = image;
          const Im2colPanels panels{image, group_channels, &w};
          if (!identity && !gathered) {
            im2col(image, group_channels, w, col.data());
            columns = col.data();
          }
          // With a thread pool, each thread computes a block of output columns (whole 32-wide
          // panels of the kernels) or, when the maps are small (late layers: 7x7 = 49 columns),
          // a block of output rows (whole 8-row tiles; each thread then packs B itself). Either
          // way every element runs through the same tile it would on one thread: same bits.
          const bool by_rows = split_rows(group_maps, out_size);
          const int64_t blocks = by_rows ? row_blocks(group_maps) : column_blocks(out_size);
          // (Read here: inside the lambda a thread_local names the running thread's own copy.)
          const size_t scratch_floats = gemm_scratch.size();
          float* const caller_scratch = gemm_scratch.data();
          const int64_t unit = by_rows ? 8 : 32;
          const int64_t extent = by_rows ? group_maps : out_size;
          auto block = [&](int64_t index) {
            const int64_t units = (extent + unit - 1) / unit;
            const int64_t per = (units + blocks - 1) / blocks * unit;
            const int64_t first = index * per;
            const int64_t count = std::min(per, extent - first);
            if (count <= 0) return;
            GemmShape part = product;
            const int64_t a_offset = by_rows ? first * depth : 0;
            const int64_t b_offset = by_rows ? 0 : first;
            const int64_t c_offset = by_rows ? first * out_size : first;
            (by_rows ? part.m : part.n) = count;
            const float* bias_part = b_group != nullptr && by_rows ? b_group + first : b_group;
            float* scratch = caller_scratch;
            if (blocks > 1) {
              thread_local std::vector<float> own_scratch;
              own_scratch.resize(std::max(own_scratch.size(), scratch_floats));
              scratch = own_scratch.data();
            }
            if (gemm_bf16 != nullptr) {
              // bf16 weights are packed in pairs along k, row after row: a row block starts at
              // first * bf16_pairs(depth).
              const uint32_t* packed = bf16_weights_->data() + g * group_maps * bf16_pairs(depth) +
                                       (by_rows ? first * bf16_pairs(depth) : 0);
              if (gemm_bf16_source != nullptr) {
                const PanelSource source{&pack_im2col_panel, &panels, b_offset};
                gemm_bf16_source(part, packed, source, bias_part, clamp_, scratch,
                                 y_group + c_offset);
              } else {
                gemm_bf16(part, packed, columns + b_offset, bias_part, clamp_, scratch,
                          y_group + c_offset);
              }
            } else if (gemm_source != nullptr) {
              const PanelSource source{&pack_im2col_panel, &panels, b_offset};
              gemm_source(part, weight.data<float>() + g * group_maps * depth + a_offset, source,
                          bias_part, clamp_, scratch, y_group + c_offset);
            } else {
              gemm(part, weight.data<float>() + g * group_maps * depth + a_offset,
                   columns + b_offset, bias_part, clamp_, scratch, y_group + c_offset);
            }
          };
          if (blocks > 1) {
            pool_->run(blocks, block);
          } else {
            block(0);
          }
          continue;
        }
        fill_bias(y_group, group_maps, out_size, b_group);
        // An empty product (no channels) leaves Y at the bias; BLAS rejects it.
        if (depth > 0 && group_maps > 0 && out_size > 0) {
          const float* columns = image;
          if (!identity) {
            im2col(image, group_channels, w, col.data());
            columns = col.data();
          }
          const float* w_group = weight.data<float>() + g * group_maps * depth;
          cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, static_cast<int>(group_maps),
                      static_cast<int>(out_size), static_cast<int>(depth), 1.0f, w_group,
                      static_cast<int>(depth), columns, static_cast<int>(out_size), 1.0f, y_group,
                      static_cast<int>(out_size));
        }
        if (clamps(clamp_)) apply_clamp(y_group, group_maps * out_size, clamp_);
      }
    }
    outputs[0] = std::move(y);
    return Status::ok();
  }

 private:
  // Column blocks a GEMM of `out_size` columns is split into: one per pool thread, but never a
  // block under 2 panels of 32 columns (smaller pieces cost more to hand out than they save).
  int64_t column_blocks(int64_t out_size) const {
    if (pool_ == nullptr) return 1;
    return std::clamp<int64_t>(out_size / 64, 1, pool_->size());
  }
  // Rows (output maps) in blocks of at least 2 tiles of 8.
  int64_t row_blocks(int64_t maps) const {
    if (pool_ == nullptr) return 1;
    return std::clamp<int64_t>(maps / 16, 1, pool_->size());
  }
  // Split by rows when the columns cannot give every thread two panels but the rows can.
  bool split_rows(int64_t maps, int64_t out_size) const {
    return pool_ != nullptr && column_blocks(out_size) < pool_->size() &&
           row_blocks(maps) > column_blocks(out_size);
  }

  ConvAttrs attrs_;
  Clamp clamp_;                 // none unless fused with the following Relu / Clip
  ThreadPool* pool_ = nullptr;  // the engine's, or null
  // W rounded to bf16 and packed for bf16_gemm (Precision::kBf16 with constant W); shared by
  // the fused copy.
  std::shared_ptr<const std::vector<uint32_t>> bf16_weights_;
  // Winograd-transformed W (float32, constant 3x3 W, EngineOptions::winograd); shared likewise.
  std::shared_ptr<LazyWinogradConv> winograd_;
};

}  // namespace

std::unique_ptr<Op> make_op_Conv() { return std::make_unique<ConvOp>(); }

}  // namespace pixlake
