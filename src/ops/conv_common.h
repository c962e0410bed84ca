// What Conv and ConvTranspose share before their different matrix products: the attributes,
// the operand checks and the bias. They differ only in W's layout ([M, C/group, kernel...] vs
// [C, M/group, kernel...]) and in how the window maps X to Y.
#pragma once

#include <cstdint>

#include "ops/attributes.h"
#include "ops/window.h"
#include "pixlake/status.h"
#include "pixlake/tensor.h"

namespace pixlake {

struct ConvAttrs {
  WindowAttrs window;  // kernel_shape, strides, pads, dilations, auto_pad
  int64_t group = 1;
};

// Reads the window attributes (with dilations, without ceil_mode) and group (at least 1).
Result<ConvAttrs> read_conv_attrs(const Attributes& attrs);

// Checks X and W are f32 with the same rank of at least 3; `w_layout` describes W in the
// error, e.g. "[M, C/group, kernel...]".
Status check_conv_operands(const Tensor* x, const Tensor* weight, const char* w_layout);

// W's spatial (kernel) size, which kernel_shape must match when it is given.
Result<Shape> conv_kernel(const WindowAttrs& attrs, const Tensor& weight);

// The optional bias B (nullptr when omitted) must be f32 [maps].
Status check_conv_bias(const Tensor* bias, int64_t maps);

// Adds B[m] to every element of map m of Y [N, M, spatial...].
void add_conv_bias(Tensor& y, const Tensor& bias);

}  // namespace pixlake
