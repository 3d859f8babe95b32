#include "billwatch/crawler/url.hpp"

#include <cctype>

namespace billwatch::crawler {

std::string url_encode(std::string_view value) {
  static const char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += k_hex[byte >> 4];
      out += k_hex[byte & 15];
    }
  }
  return out;
}

}  // namespace billwatch::crawler
