#include "ops/attributes.h"

namespace pixlake {

template <typename T>
const T* Attributes::find(const std::string& name, const char* type_name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return nullptr;
  read_.insert(name);
  const T* value = std::get_if<T>(&it->second);
  if (!value && error_.empty()) error_ = "attribute '" + name + "' must be " + type_name;
  return value;
}

int64_t Attributes::get_int(const std::string& name, int64_t fallback) const {
  const int64_t* v = find<int64_t>(name, "an int");
  return v ? *v : fallback;
}

float Attributes::get_float(const std::string& name, float fallback) const {
  const float* v = find<float>(name, "a float");
  return v ? *v : fallback;
}

std::string Attributes::get_string(const std::string& name, const std::string& fallback) const {
  const std::string* v = find<std::string>(name, "a string");
  return v ? *v : fallback;
}

std::vector<int64_t> Attributes::get_ints(const std::string& name,
                                          std::vector<int64_t> fallback) const {
  const auto* v = find<std::vector<int64_t>>(name, "a list of ints");
  return v ? *v : fallback;
}

std::vector<float> Attributes::get_floats(const std::string& name,
                                          std::vector<float> fallback) const {
  const auto* v = find<std::vector<float>>(name, "a list of floats");
  return v ? *v : fallback;
}

std::optional<Tensor> Attributes::get_tensor(const std::string& name) const {
  const Tensor* v = find<Tensor>(name, "a tensor");
  if (!v) return std::nullopt;
  return *v;
}

std::vector<std::string> Attributes::unread() const {
  std::vector<std::string> names;
  for (const auto& [name, value] : values_) {
    if (!read_.count(name)) names.push_back(name);
  }
  return names;
}

}  // namespace pixlake
