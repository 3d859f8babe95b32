#include "billwatch/app/progress.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace billwatch::app {
namespace {

TEST(ProgressTest, PlainLinesAtEveryTenthAndAtTheEnd) {
  std::ostringstream out;
  ProgressPrinter progress(out, false);
  for (std::size_t done = 0; done <= 40; ++done)
    progress.on_progress(done, 40, done * 1500, done / 20);
  std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 10);
  EXPECT_NE(text.find("fetched 4/40, 6 kB, 0 failed\n"), std::string::npos) << text;
  EXPECT_NE(text.find("fetched 40/40, 60 kB, 2 failed\n"), std::string::npos) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

TEST(ProgressTest, SmallBatchesOnlyReportTheEnd) {
  std::ostringstream out;
  ProgressPrinter progress(out, false);
  for (std::size_t done = 0; done <= 3; ++done) progress.on_progress(done, 3, 0, 0);
  EXPECT_EQ(out.str(), "fetched 3/3, 0 B, 0 failed\n");
}

TEST(ProgressTest, TerminalLineIsRedrawnInPlace) {
  std::ostringstream out;
  ProgressPrinter progress(out, true);
  progress.on_progress(1, 2, 2500000, 0);
  progress.on_progress(2, 2, 5000000, 1);
  std::string text = out.str();
  EXPECT_EQ(text.rfind("\rfetched 1/2, 2.5 MB, 0 failed", 0), 0u) << text;
  EXPECT_NE(text.find("left"), std::string::npos);
  EXPECT_NE(text.find("\rfetched 2/2, 5.0 MB, 1 failed\x1b[K\n"), std::string::npos);
}

TEST(ProgressTest, LogLinesOnATerminalArePrintedAboveTheProgressLine) {
  std::ostringstream out;
  {
    ProgressPrinter progress(out, true);
    progress.log_stream() << "before any progress\n";
    progress.on_progress(0, 3, 1000, 0);  // no ETA yet: the expected text is exact
    progress.log_stream() << "new bill WA-HB-1795: "
                          << "Student restraint\n";
    progress.log_stream() << "error: half a line";
  }
  EXPECT_EQ(out.str(),
            "before any progress\n"
            "\rfetched 0/3, 1 kB, 0 failed\x1b[K"
            // erase the progress line, log, redraw the progress line below
            "\r\x1b[Knew bill WA-HB-1795: Student restraint\nfetched 0/3, 1 kB, 0 failed\x1b[K"
            "\r\x1b[Kerror: half a line\nfetched 0/3, 1 kB, 0 failed\x1b[K\n");
}

TEST(ProgressTest, LogLinesElsewhereGoStraightThroughMadeTerminalSafe) {
  std::ostringstream out;
  ProgressPrinter progress(out, false);
  progress.log_stream() << "new bill X: \x1b]0;pwned\x07 title\n";
  EXPECT_EQ(out.str(), "new bill X: \\x1b]0;pwned\\x07 title\n");
}

}  // namespace
}  // namespace billwatch::app
