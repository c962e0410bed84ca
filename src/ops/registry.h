// Lookup from ONNX op_type to operator factory, generated from ops.def.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "ops/op.h"

namespace pixlake {

enum class OpType {
#define PIXLAKE_OP(name) k##name,
#include "ops/ops.def"
#undef PIXLAKE_OP
  kCount
};

const char* op_type_name(OpType type);
std::optional<OpType> op_type_from_name(std::string_view name);
std::unique_ptr<Op> make_op(OpType type);
// Every supported op_type, in ops.def order (for `pixlake models` and docs/operators.md).
std::vector<std::string_view> supported_op_types();

}  // namespace pixlake
