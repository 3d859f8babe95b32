#pragma once

#include <string>
#include <utility>
#include <variant>

namespace billwatch {

// What kind of failure it is, for the code that decides what to do next: try again later
// (transient), not without a change (permanent), refused by policy (refused: an outbound
// rule, a 5xx recipient), out of a quota (budget), or input that is not what it claims to
// be (malformed: bad JSON, binary where text was expected).
enum class FailureCode { Transient, Permanent, Refused, Budget, Malformed };

inline const char* to_string(FailureCode code) {
  switch (code) {
    case FailureCode::Transient:
      return "transient";
    case FailureCode::Refused:
      return "refused";
    case FailureCode::Budget:
      return "budget";
    case FailureCode::Malformed:
      return "malformed";
    case FailureCode::Permanent:
      break;
  }
  return "permanent";
}

// Why an expected, per-item operation failed (a page we cannot decode, a mail the server
// refused). Carries a sentence meant for the operator and its kind.
struct Failure {
  std::string message;
  FailureCode code = FailureCode::Permanent;
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
  FailureCode code() const { return failure().code; }

 private:
  std::variant<T, Failure> m_state;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace billwatch
