#pragma once

#include <streambuf>
#include <string>
#include <string_view>

namespace billwatch {

// Text from pages, APIs and subscribers made safe for a terminal: C0 controls (but line
// feed and tab), DEL and C1 controls become visible escapes (ESC is shown as "\x1b"), and
// so do the Unicode bidirectional overrides that can hide or reorder text; bytes that are
// not UTF-8 become U+FFFD. Without this, a bill title could set the operator's window
// title, clear the screen, hide text or plant an OSC 8 hyperlink. Pure.
// `json`: for JSON text, where every escape must be a JSON escape: C0 controls and DEL as
// \u00XX, C1 and bidi controls as \uXXXX (inside strings, the only place JSON allows
// them, these read back as the same characters).
std::string terminal_safe(std::string_view text, bool json = false);

// A stream buffer that passes everything written to it through terminal_safe, line by
// line, to another buffer: commands that print stored text write through it.
class TerminalSafeBuffer : public std::streambuf {
 public:
  explicit TerminalSafeBuffer(std::streambuf* target, bool json = false)
      : m_target(target), m_json(json) {}
  ~TerminalSafeBuffer() override;
  TerminalSafeBuffer(const TerminalSafeBuffer&) = delete;
  TerminalSafeBuffer& operator=(const TerminalSafeBuffer&) = delete;

 protected:
  int overflow(int c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int sync() override;

 private:
  void flush_line();
  std::streambuf* m_target;
  bool m_json = false;
  std::string m_pending;  // up to the next line feed: a UTF-8 sequence may span writes
};

}  // namespace billwatch
