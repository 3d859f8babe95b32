// Work in a child process: what the parent gets back when the child succeeds, fails,
// crashes, hangs or floods it. The crashes are real (a signal ends the child).
#include "billwatch/crawler/isolated.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <string>

#include "billwatch/crawler/pdf_text.hpp"
#include "files.hpp"

namespace billwatch::crawler {
namespace {

TEST(IsolatedTest, ResultsAndFailuresComeBack) {
  auto ok = run_isolated("test", [] { return Result<std::string>(std::string(200000, 'x')); });
  ASSERT_TRUE(ok) << ok.error();
  EXPECT_EQ(ok.value().size(), 200000u);
  auto empty = run_isolated("test", [] { return Result<std::string>(std::string()); });
  ASSERT_TRUE(empty) << empty.error();
  EXPECT_EQ(empty.value(), "");
  auto failed = run_isolated("test", [] { return Result<std::string>(Failure{"no text layer"}); });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), "no text layer");
  auto thrown = run_isolated(
      "test", []() -> Result<std::string> { throw std::runtime_error("poppler threw"); });
  ASSERT_FALSE(thrown);
  EXPECT_EQ(thrown.error(), "poppler threw");
}

TEST(IsolatedTest, ACrashEndsOnlyTheChild) {
  auto killed = run_isolated("PDF text extraction", []() -> Result<std::string> {
    ::kill(::getpid(), SIGKILL);  // what the kernel's OOM killer does
    return std::string("never");
  });
  ASSERT_FALSE(killed);
  EXPECT_EQ(killed.error().rfind("PDF text extraction crashed (signal 9", 0), 0u) << killed.error();
  auto aborted = run_isolated("PDF text extraction", []() -> Result<std::string> {
    std::abort();  // a failed assertion inside a library
  });
  ASSERT_FALSE(aborted);
  EXPECT_NE(aborted.error().find("crashed (signal 6"), std::string::npos) << aborted.error();
  // And this process goes on.
  EXPECT_TRUE(run_isolated("again", [] { return Result<std::string>(std::string("fine")); }));
}

TEST(IsolatedTest, AChildThatHangsIsStopped) {
  IsolationLimits limits;
  limits.seconds = 1;
  auto hung = run_isolated(
      "PDF text extraction",
      []() -> Result<std::string> {
        while (true) ::pause();
      },
      limits);
  ASSERT_FALSE(hung);
  EXPECT_EQ(hung.error(), "PDF text extraction took longer than 1 s and was stopped");
}

TEST(IsolatedTest, TooMuchOutputIsStopped) {
  IsolationLimits limits;
  limits.max_output = 100000;
  auto flood = run_isolated(
      "PDF text extraction", [] { return Result<std::string>(std::string(1000000, 'y')); }, limits);
  ASSERT_FALSE(flood);
  EXPECT_EQ(flood.error(),
            "PDF text extraction produced more than 100000 bytes of text and was stopped");
}

TEST(IsolatedTest, PdfTextComesFromTheChildUnchanged) {
  std::string pdf = test::read_fixture("states/pdf/wy_2026_HB0065_Introduced.pdf");
  auto isolated = pdf_to_text(pdf);
  auto in_process = pdf_to_text_in_process(pdf);
  ASSERT_TRUE(isolated) << isolated.error();
  ASSERT_TRUE(in_process) << in_process.error();
  EXPECT_EQ(isolated.value(), in_process.value());
  EXPECT_NE(isolated.value().find("seclusion"), std::string::npos);
}

}  // namespace
}  // namespace billwatch::crawler
