#pragma once

#include <string>
#include <utility>
#include <variant>

namespace billwatch {

// Why an expected, per-item operation failed (a page we cannot decode, a mail the server
// refused). Carries a sentence meant for the operator.
struct Failure {
  std::string message;
};

// A value or a Failure. g++ 12 in C++20 mode has no std::expected; this is the small subset
// billwatch needs.
template <typename T>
class Result {
 public:
  Result(T value) : m_state(std::move(value)) {}
  Result(Failure failure) : m_state(std::move(failure)) {}

  bool ok() const { return std::holds_alternative<T>(m_state); }
  explicit operator bool() const { return ok(); }

  T& value() { return std::get<T>(m_state); }
  const T& value() const { return std::get<T>(m_state); }
  const Failure& failure() const { return std::get<Failure>(m_state); }
  const std::string& error() const { return failure().message; }

 private:
  std::variant<T, Failure> m_state;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace billwatch
