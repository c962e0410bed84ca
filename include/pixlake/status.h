// Status and Result<T>: how pixlake reports expected failures (bad files, unsupported
// operators, unknown tensors). Programmer bugs use PIXLAKE_ASSERT instead.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace pixlake {

enum class StatusCode {
  kOk,
  kInvalidArgument,   // the caller passed something malformed (bad shape, bad option)
  kNotFound,          // a file, tensor, model or id that does not exist
  kUnsupported,       // valid input that pixlake does not handle (operator, attribute, format)
  kDataLoss,          // a corrupt or truncated file
  kIoError,           // the operating system refused a read or write
  kDeadlineExceeded,  // a time limit ran out before the work finished (e.g. a slow decode)
  kInternal,          // anything else
};

const char* status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  bool is_ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "prefix: message", to add context at each layer.
  Status with_context(const std::string& prefix) const {
    if (is_ok()) return *this;
    return Status(code_, prefix + ": " + message_);
  }
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status invalid_argument(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status not_found(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
inline Status unsupported(std::string m) { return {StatusCode::kUnsupported, std::move(m)}; }
inline Status data_loss(std::string m) { return {StatusCode::kDataLoss, std::move(m)}; }
inline Status io_error(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
inline Status deadline_exceeded(std::string m) {
  return {StatusCode::kDeadlineExceeded, std::move(m)};
}
inline Status internal_error(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

// Result<T> holds either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    if (status_.is_ok()) status_ = internal_error("Result constructed from an ok Status");
  }

  bool is_ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace pixlake

// Always-on check for programmer bugs. User input must never reach one.
#define PIXLAKE_ASSERT(cond)                                                                      \
  do {                                                                                            \
    if (!(cond)) {                                                                                \
      std::fprintf(stderr, "pixlake: assertion failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                               \
    }                                                                                             \
  } while (0)

#ifdef NDEBUG
#define PIXLAKE_DASSERT(cond) ((void)0)
#else
#define PIXLAKE_DASSERT(cond) PIXLAKE_ASSERT(cond)
#endif

// Propagate a non-ok Status to the caller.
#define PIXLAKE_RETURN_IF_ERROR(expr)             \
  do {                                            \
    ::pixlake::Status status_tmp_ = (expr);       \
    if (!status_tmp_.is_ok()) return status_tmp_; \
  } while (0)

#define PIXLAKE_CONCAT_INNER(a, b) a##b
#define PIXLAKE_CONCAT(a, b) PIXLAKE_CONCAT_INNER(a, b)

// Evaluate a Result<T>; on error return its Status, else move the value into `lhs`.
#define PIXLAKE_ASSIGN_OR_RETURN(lhs, expr) \
  PIXLAKE_ASSIGN_OR_RETURN_IMPL(PIXLAKE_CONCAT(result_tmp_, __LINE__), lhs, expr)
#define PIXLAKE_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.is_ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
