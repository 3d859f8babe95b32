// A page full of escape sequences must reach the operator's terminal as visible text.
#include "billwatch/core/terminal.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace billwatch {
namespace {

TEST(TerminalSafeTest, EscapeSequencesBecomeVisible) {
  // Window title, clear screen, hidden text, an OSC 8 hyperlink, a bell, DEL, CR.
  std::string attack =
      "\x1b]0;pwned\x07 \x1b[2J\x1b[8mhidden\x1b[0m "
      "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ \x7f\r";
  std::string safe = terminal_safe(attack);
  EXPECT_EQ(safe.find('\x1b'), std::string::npos) << safe;
  EXPECT_EQ(safe.find('\x07'), std::string::npos);
  EXPECT_EQ(safe.find('\x7f'), std::string::npos);
  EXPECT_EQ(safe.find('\r'), std::string::npos);
  EXPECT_NE(safe.find("\\x1b]0;pwned\\x07"), std::string::npos) << safe;
  EXPECT_NE(safe.find("hidden"), std::string::npos);
}

TEST(TerminalSafeTest, C1ControlsBidiOverridesAndBadUtf8) {
  EXPECT_EQ(terminal_safe("a\xC2\x9B"
                          "31mb"),
            "a\\u009b31mb")
      << "C1 CSI";
  EXPECT_EQ(terminal_safe("x\xE2\x80\xAEgnp.exe"), "x\\u202egnp.exe") << "right-to-left override";
  EXPECT_EQ(terminal_safe("bad \xFF\xC0\xAF end"), "bad \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD end");
  // Ordinary text, line feeds, tabs and non-ASCII letters pass unchanged.
  std::string ok = "Sec. 3(4)(b) — prékindergarten\n\tnext line ✓";
  EXPECT_EQ(terminal_safe(ok), ok);
}

TEST(TerminalSafeTest, TheStreamBufferFiltersWhatIsWrittenThroughIt) {
  std::ostringstream target;
  {
    TerminalSafeBuffer buffer(target.rdbuf());
    std::ostream out(&buffer);
    out << "title \x1b[2J"
        << "\xE2\x80"
        << "\xAE split"
        << "\n"
        << "no newline";
  }
  EXPECT_EQ(target.str(), "title \\x1b[2J\\u202e split\nno newline");
}

}  // namespace
}  // namespace billwatch
