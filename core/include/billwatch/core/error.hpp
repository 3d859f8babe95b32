#pragma once

#include <stdexcept>
#include <string>

namespace billwatch {

// Base of the exceptions that cross component boundaries (broken configuration, an unusable
// database). Expected, per-item failures such as an HTTP 404 are values, not exceptions.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace billwatch
