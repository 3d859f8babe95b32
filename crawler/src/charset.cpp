#include "billwatch/crawler/charset.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "billwatch/core/ascii.hpp"

namespace billwatch::crawler {

namespace {

std::string lower(std::string_view s) {
  return ascii_lower(s);
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

namespace {

// Length of the valid UTF-8 sequence starting at bytes[i], or 0 when none starts there
// (overlong forms, surrogates, code points above U+10FFFF and truncation are invalid).
std::size_t utf8_sequence_length(const unsigned char* bytes, std::size_t i, std::size_t n) {
  unsigned char c = bytes[i];
  if (c < 0x80) return 1;
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
    return 0;
  }
  if (i + length > n) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((bytes[i + k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (bytes[i + k] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return length;
}

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

void note_invalid(DecodedText& out, std::size_t offset, std::size_t count) {
  if (out.invalid_bytes == 0) out.first_invalid = offset;
  out.invalid_bytes += count;
  out.text.append(k_replacement);
}

DecodedText decode_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  DecodedText out;
  out.text.reserve(n);
  std::size_t i = 0;
  while (i < n) {
    std::size_t valid_from = i;
    std::size_t length;
    while (i < n && (length = utf8_sequence_length(bytes, i, n)) != 0) i += length;
    out.text.append(text.substr(valid_from, i - valid_from));
    if (i < n) note_invalid(out, i++, 1);
  }
  return out;
}

}  // namespace

std::size_t find_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    std::size_t length = utf8_sequence_length(bytes, i, n);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

Result<DecodedText> decode_to_utf8(std::string_view bytes, const std::string& charset) {
  if (charset == "utf-8" || charset == "utf8") return decode_utf8(bytes);
  iconv_t cd = iconv_open("UTF-8", charset.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return Failure{"unknown charset '" + charset + "'"};
  }
  DecodedText out;
  std::string& text = out.text;
  text.resize(bytes.size() * 2 + 16);
  char* in_ptr = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t used = 0;
  while (true) {
    char* out_ptr = text.data() + used;
    std::size_t out_left = text.size() - used;
    std::size_t rc = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left);
    used = text.size() - out_left;
    if (rc != static_cast<std::size_t>(-1)) break;
    if (errno == E2BIG) {
      text.resize(text.size() * 2);
      continue;
    }
    // EILSEQ: one byte the charset does not define (0x81 in windows-1252, say) becomes
    // U+FFFD. EINVAL: the input ends inside a multi-byte sequence.
    std::size_t offset = bytes.size() - in_left;
    std::size_t skip = errno == EINVAL ? in_left : 1;
    text.resize(used);
    note_invalid(out, offset, skip);
    used = text.size();
    text.resize(used + in_left * 2 + 16);
    in_ptr += skip;
    in_left -= skip;
  }
  text.resize(used);
  iconv_close(cd);
  return out;
}

}  // namespace billwatch::crawler
