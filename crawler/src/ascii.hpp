#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace billwatch::crawler::detail {

// ASCII lower-casing for protocol tokens (header values, charset names, robots.txt
// fields): locale-independent, bytes >= 0x80 unchanged.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace billwatch::crawler::detail
