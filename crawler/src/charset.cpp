#include "billwatch/crawler/charset.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>

#include "ascii.hpp"

namespace billwatch::crawler {

namespace {

std::string lower(std::string_view s) {
  return detail::ascii_lower(s);
}

// Reads a charset name starting at `pos`: optional quotes, then letters, digits, - _ . :
std::string read_charset_token(std::string_view s, std::size_t pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '"' || s[pos] == '\'')) ++pos;
  std::size_t end = pos;
  while (end < s.size() && (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '-' ||
                            s[end] == '_' || s[end] == '.' || s[end] == ':')) {
    ++end;
  }
  return lower(s.substr(pos, end - pos));
}

}  // namespace

std::string charset_from_content_type(std::string_view content_type) {
  std::string lowered = lower(content_type);
  auto pos = lowered.find("charset=");
  if (pos == std::string::npos) return {};
  return read_charset_token(lowered, pos + 8);
}

std::string sniff_meta_charset(std::string_view html) {
  std::string head = lower(html.substr(0, 1024));
  std::size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    std::size_t end = head.find('>', pos);
    std::string_view tag = std::string_view(head).substr(
        pos, end == std::string::npos ? std::string::npos : end - pos);
    auto at = tag.find("charset=");
    if (at != std::string_view::npos) {
      std::string charset = read_charset_token(tag, at + 8);
      if (!charset.empty()) return charset;
    }
    pos += 5;
  }
  return {};
}

std::size_t find_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    unsigned char c = bytes[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length;
    std::uint32_t min;
    std::uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      length = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + length > n) return i;
    for (std::size_t k = 1; k < length; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (bytes[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += length;
  }
  return std::string_view::npos;
}

Result<std::string> convert_to_utf8(std::string_view bytes, const std::string& charset) {
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Failure{"unknown charset '" + charset + "'"};
  }
  std::string out;
  out.resize(bytes.size() * 2 + 16);
  char* in_ptr = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t used = 0;
  Result<std::string> result{Failure{}};
  while (true) {
    char* out_ptr = out.data() + used;
    std::size_t out_left = out.size() - used;
    std::size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    used = out.size() - out_left;
    if (rc != static_cast<std::size_t>(-1)) {
      out.resize(used);
      result = std::move(out);
      break;
    }
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    std::size_t offset = bytes.size() - in_left;
    result = Failure{(errno == EINVAL ? "truncated " : "invalid ") + charset +
                     " byte sequence at byte " + std::to_string(offset)};
    break;
  }
  iconv_close(cd);
  return result;
}

}  // namespace billwatch::crawler
