#include "ops/registry.h"

namespace pixlake {

#define PIXLAKE_OP(name) std::unique_ptr<Op> make_op_##name();
#include "ops/ops.def"
#undef PIXLAKE_OP

namespace {
constexpr std::string_view kNames[] = {
#define PIXLAKE_OP(name) #name,
#include "ops/ops.def"
#undef PIXLAKE_OP
    "",  // keeps the array non-empty while ops.def is
};
}  // namespace

const char* op_type_name(OpType type) { return kNames[static_cast<size_t>(type)].data(); }

std::optional<OpType> op_type_from_name(std::string_view name) {
  for (size_t i = 0; i < static_cast<size_t>(OpType::kCount); ++i) {
    if (kNames[i] == name) return static_cast<OpType>(i);
  }
  return std::nullopt;
}

std::unique_ptr<Op> make_op(OpType type) {
  switch (type) {
#define PIXLAKE_OP(name) \
  case OpType::k##name:  \
    return make_op_##name();
#include "ops/ops.def"
#undef PIXLAKE_OP
    case OpType::kCount: break;
  }
  return nullptr;
}

std::vector<std::string_view> supported_op_types() {
  return {std::begin(kNames), std::begin(kNames) + static_cast<size_t>(OpType::kCount)};
}

}  // namespace pixlake
