#pragma once

#include <ostream>

namespace billwatch::app {

// The `billwatch` command line. Returns the process exit code: 0 ok, 1 some sources failed
// (or a fatal runtime error), 2 usage or configuration error. Requires a live CurlGlobal.
int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace billwatch::app
