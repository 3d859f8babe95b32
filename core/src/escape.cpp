#include "billwatch/core/escape.hpp"

#include <cctype>
#include <cstdint>

namespace billwatch {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string url_encode(std::string_view value) {
  static const char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                      (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += k_hex[byte >> 4];
      out += k_hex[byte & 15];
    }
  }
  return out;
}

std::string csv_field(std::string_view value) {
  std::string neutral;
  if (!value.empty() &&
      std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
    neutral = "'" + std::string(value);
    value = neutral;
  }
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t length = c < 0x80           ? 1
                         : (c >> 5) == 0x6  ? 2
                         : (c >> 4) == 0xE  ? 3
                         : (c >> 3) == 0x1E ? 4
                                            : 0;
    if (length == 0 || i + length > text.size()) return false;
    std::uint32_t cp = length == 1   ? c
                       : length == 2 ? (c & 0x1F)
                       : length == 3 ? (c & 0x0F)
                                     : (c & 0x07);
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next >> 6) != 0x2) return false;
      cp = (cp << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t k_smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < k_smallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += length;
  }
  return true;
}

bool is_site_base_url(std::string_view url) {
  if (!is_web_link(url)) return false;
  while (!url.empty() && url.back() == '/') url.remove_suffix(1);
  if (url.substr(0, 8) == "https://") return url.size() > 8;
  for (std::string_view loopback : {"http://127.0.0.1", "http://localhost", "http://[::1]"}) {
    if (url.substr(0, loopback.size()) == loopback &&
        (url.size() == loopback.size() || url[loopback.size()] == ':' ||
         url[loopback.size()] == '/'))
      return true;
  }
  return false;
}

bool is_web_link(std::string_view url) {
  auto starts = [&](std::string_view prefix) {
    if (url.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(url[i])) != prefix[i]) return false;
    }
    return true;
  };
  if (!starts("http://") && !starts("https://")) return false;
  for (char c : url) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return false;  // html_escape takes care of quotes and < >
  }
  return true;
}

std::string utf8_truncate(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "...";
}

std::string without_heading_marks(std::string_view text, bool line_start) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (line_start || (i > 0 && text[i - 1] == '\n')) {
      std::size_t hashes = 0;
      while (i + hashes < text.size() && text[i + hashes] == '#' && hashes < 7) ++hashes;
      if (hashes >= 1 && hashes <= 6 && i + hashes < text.size() && text[i + hashes] == ' ') {
        i += hashes + 1;
        line_start = false;
        continue;
      }
    }
    line_start = false;
    out += text[i++];
  }
  return out;
}

}  // namespace billwatch
