// Attributes of one node, independent of ONNX's protobuf classes. Every getter marks the
// attribute as read, so after an operator's init() the graph builder can refuse any attribute
// the operator did not understand.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "pixlake/tensor.h"

namespace pixlake {

using AttributeValue = std::variant<int64_t, float, std::string, std::vector<int64_t>,
                                    std::vector<float>, std::vector<std::string>, Tensor>;

class Attributes {
 public:
  void set(const std::string& name, AttributeValue value) { values_[name] = std::move(value); }
  bool has(const std::string& name) const { return values_.count(name) != 0; }

  // Getters return the default when absent and record a type error (see error()) when the
  // attribute holds another type.
  int64_t get_int(const std::string& name, int64_t fallback) const;
  float get_float(const std::string& name, float fallback) const;
  std::string get_string(const std::string& name, const std::string& fallback) const;
  std::vector<int64_t> get_ints(const std::string& name, std::vector<int64_t> fallback = {}) const;
  std::vector<float> get_floats(const std::string& name, std::vector<float> fallback = {}) const;
  std::optional<Tensor> get_tensor(const std::string& name) const;

  // Names present but never read by the operator: the builder refuses them.
  std::vector<std::string> unread() const;
  // The first wrong-type access, e.g. "attribute 'axis' must be an int"; empty when none.
  const std::string& error() const { return error_; }

 private:
  template <typename T>
  const T* find(const std::string& name, const char* type_name) const;

  std::map<std::string, AttributeValue> values_;
  mutable std::set<std::string> read_;
  mutable std::string error_;
};

}  // namespace pixlake
