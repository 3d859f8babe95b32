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

}  // namespace
}  // namespace billwatch::app
