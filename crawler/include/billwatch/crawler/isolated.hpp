#pragma once

#include <cstddef>
#include <functional>
#include <string>

#include "billwatch/core/result.hpp"

namespace billwatch::crawler {

// Limits for work done in a child process.
struct IsolationLimits {
  int seconds = 60;                               // wall clock; the child is killed after it
  std::size_t max_output = 64 * 1024 * 1024;      // bytes of result text
  std::size_t max_memory = 2048UL * 1024 * 1024;  // address space (not under ASan)
};

// Runs `work` in a forked child and returns its result. For third-party parsers that are
// not hardened against hostile input (poppler): a crash, an endless loop or a memory blow-up
// in the child is a Failure naming `what` and what happened, and the calling process — a
// run with its other pages and its database — goes on. The child shares nothing back but
// the result; it ends with _exit, so no atexit handler or destructor of the parent runs
// twice.
Result<std::string> run_isolated(const std::string& what,
                                 const std::function<Result<std::string>()>& work,
                                 const IsolationLimits& limits = {});

}  // namespace billwatch::crawler
