#pragma once

#include <string>

namespace billwatch::test {

// The bytes gzip-compressed (zlib, gzip wrapper), as a web server would send them.
std::string gzip(const std::string& data, int level = 6);

}  // namespace billwatch::test
