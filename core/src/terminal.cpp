#include "billwatch/core/terminal.hpp"

#include <cstdio>

namespace billwatch {

namespace {

std::string escape_byte(unsigned char c, bool json) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, json ? "\\u%04x" : "\\x%02x", c);
  return buffer;
}

// The length of the UTF-8 sequence starting at `s[i]`, or 0 when it is not valid UTF-8.
std::size_t utf8_length(std::string_view s, std::size_t i, char32_t& code) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 0;
  if (n == 0 || i + n > s.size()) return 0;
  code = n == 1 ? c : n == 2 ? c & 0x1F : n == 3 ? c & 0x0F : c & 0x07;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  static const char32_t k_min[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < k_min[n] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return n;
}

bool is_bidi_control(char32_t code) {
  return (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069) ||
         code == 0x200E || code == 0x200F || code == 0x061C;
}

}  // namespace

std::string terminal_safe(std::string_view text, bool json) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    char32_t code = 0;
    std::size_t n = utf8_length(text, i, code);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
      continue;
    }
    if (n == 1) {
      auto c = static_cast<unsigned char>(text[i]);
      if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F) {
        out += escape_byte(c, json);
      } else {
        out += static_cast<char>(c);
      }
    } else if ((code >= 0x80 && code <= 0x9F) || is_bidi_control(code)) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(code));
      out += buffer;
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

TerminalSafeBuffer::~TerminalSafeBuffer() {
  flush_line();
}

void TerminalSafeBuffer::flush_line() {
  if (m_pending.empty()) return;
  std::string safe = terminal_safe(m_pending, m_json);
  m_target->sputn(safe.data(), static_cast<std::streamsize>(safe.size()));
  m_pending.clear();
}

int TerminalSafeBuffer::overflow(int c) {
  if (c == traits_type::eof()) return traits_type::not_eof(c);
  m_pending.push_back(static_cast<char>(c));
  if (c == '\n') flush_line();
  return c;
}

std::streamsize TerminalSafeBuffer::xsputn(const char* s, std::streamsize n) {
  for (std::streamsize i = 0; i < n; ++i) overflow(static_cast<unsigned char>(s[i]));
  return n;
}

int TerminalSafeBuffer::sync() {
  flush_line();
  return m_target->pubsync();
}

}  // namespace billwatch
