#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "billwatch/app/cli.hpp"

// The command line driven in process, as a person types it: for the integration tests
// (which link billwatch::app).
namespace billwatch::test {

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

inline CliResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), "billwatch");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = app::run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

}  // namespace billwatch::test
