#pragma once

#include <string>
#include <string_view>

namespace billwatch {

// ASCII lower-casing for protocol tokens (header values, charset names, robots.txt
// fields, tag names): locale-independent, bytes >= 0x80 unchanged, and inline, since the
// crawler lower-cases the head of every page it fetches.
inline char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

inline bool ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = ascii_lower(c);
  return out;
}

}  // namespace billwatch
