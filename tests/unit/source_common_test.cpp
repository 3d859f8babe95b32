// What every source shares, written once in sources/common: the followed decision, the
// paging loop, and documents fetched as text with a fallback. Against the scripted
// FakeHttpClient and an in-memory store, in milliseconds.
#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include "billwatch/store/store.hpp"
#include "common/documents.hpp"
#include "common/following.hpp"
#include "common/ordered_worker.hpp"
#include "common/paging.hpp"
#include "fake_http_client.hpp"
#include "manual_clock.hpp"

namespace billwatch::sources {
namespace {

TEST(FollowRuleTest, FollowedOnceListedOrOnTopic) {
  FollowRule rule({"WA-2025-HB-1795"}, {});
  EXPECT_TRUE(rule.follows(true, "XX-1", "An act on trade", "")) << "once followed, always";
  EXPECT_TRUE(rule.follows(false, "WA-2025-HB-1795", "An act on trade", "")) << "listed in track";
  EXPECT_TRUE(rule.follows(
      false, "XX-3", "Education",
      "Prohibits the use of seclusion and prone restraint on students in public schools."))
      << "the summary counts as well as the title";
  EXPECT_FALSE(
      rule.follows(false, "XX-4", "Restraint of trade", "contracts in restraint of trade"));
  EXPECT_FALSE(rule.known(false, "XX-3")) << "known() does not read the words";
  FollowRule with_terms({}, {"keeping all students safe"});
  EXPECT_TRUE(with_terms.follows(false, "US-119-S-1", "Keeping All Students Safe Act", "Education"))
      << "the source's own topic terms";
  EXPECT_FALSE(rule.follows(false, "US-119-S-1", "Keeping All Students Safe Act", "Education"));
}

TEST(ReadPagesTest, CompleteFailedOrCutShort) {
  int read = 0;
  EXPECT_EQ(read_pages(10, [&](int page) -> std::optional<bool> { return ++read, page < 3; }),
            Listing::complete);
  EXPECT_EQ(read, 3);
  EXPECT_EQ(read_pages(10,
                       [&](int page) -> std::optional<bool> {
                         if (page == 2) return std::nullopt;
                         return true;
                       }),
            Listing::failed);
  read = 0;
  EXPECT_EQ(read_pages(4, [&](int) -> std::optional<bool> { return ++read, true; }),
            Listing::cut_short);
  EXPECT_EQ(read, 4) << "never more than the limit";
}

class FetchDocumentsTest : public ::testing::Test {
 protected:
  std::vector<std::optional<FetchedDocument>> fetch(const std::vector<DocumentJob>& jobs,
                                                    DocumentOptions options = {}) {
    std::vector<std::optional<FetchedDocument>> done(jobs.size());
    std::vector<int> calls(jobs.size());
    SourceRun run(SourceDeps{m_http, m_store, m_clock, m_log, m_errors}, m_summary);
    fetch_documents(
        run, "congress", jobs,
        [&](std::size_t i, std::optional<FetchedDocument> document) {
          ++calls[i];
          done[i] = std::move(document);
        },
        options);
    for (int n : calls) EXPECT_EQ(n, 1) << "each job is answered exactly once";
    return done;
  }

  test::FakeHttpClient m_http;
  store::Store m_store = store::Store::open_in_memory();
  test::ManualClock m_clock{test::noon("2025-03-01")};
  RunSummary m_summary;
  std::ostringstream m_log;
  std::ostringstream m_errors;
};

TEST_F(FetchDocumentsTest, TheFallbackIsFetchedWhenTheFirstIsMissingOrUnreadable) {
  m_http.answer_body("/a.xml", "<p>Sec. 1. Seclusion of students is prohibited.</p>");
  m_http.answer_body("/b.htm", "<p>Sec. 1. Prone restraint is prohibited.</p>");
  m_http.answer_body("/c.pdf", "%PDF-1.4 not a PDF after all", "application/pdf");
  m_http.answer_body("/c.htm", "<p>Sec. 1. Parents are told the same day.</p>");
  auto done = fetch({{"https://g.example/a.xml", "https://g.example/a.htm", "A"},
                     {"https://g.example/b.xml", "https://g.example/b.htm", "B"},
                     {"https://g.example/c.pdf", "https://g.example/c.htm", "C"}});
  ASSERT_TRUE(done[0] && done[1] && done[2]) << m_errors.str();
  EXPECT_EQ(done[0]->provenance.url, "https://g.example/a.xml");
  EXPECT_EQ(done[1]->provenance.url, "https://g.example/b.htm") << "404 XML: its HTML";
  EXPECT_EQ(done[2]->provenance.url, "https://g.example/c.htm") << "unreadable PDF: its HTML";
  EXPECT_NE(done[1]->page.text.find("Prone restraint"), std::string::npos);
  EXPECT_EQ(m_http.count("/a.htm"), 0) << "no fallback when the first answered";
  EXPECT_NE(m_errors.str().find("trying https://g.example/c.htm"), std::string::npos)
      << m_errors.str();
  EXPECT_EQ(m_summary.failed, 0);
}

TEST_F(FetchDocumentsTest, MissingEverywhereIsPendingOnlyWhenTheSourceSaysSo) {
  DocumentJob job{"https://g.example/d.xml", "https://g.example/d.htm", "HR-119-1 'Introduced'"};
  auto pending = fetch({job}, DocumentOptions{true});
  EXPECT_FALSE(pending[0]) << "not a document: the bill is tried again next run";
  EXPECT_NE(m_errors.str().find("warning"), std::string::npos) << m_errors.str();
  EXPECT_NE(m_errors.str().find("HR-119-1 'Introduced': no text published yet"), std::string::npos)
      << m_errors.str();
  auto logged = m_store.fetch_state("https://g.example/d.htm");
  ASSERT_TRUE(logged) << "recorded in the fetch log";
  EXPECT_EQ(logged->last_status, 404);

  m_errors.str("");
  auto failed = fetch({{"https://g.example/e.htm", "", "WA HB 1 'Original'"}});
  EXPECT_FALSE(failed[0]);
  EXPECT_NE(m_errors.str().find("error: source 'congress': https://g.example/e.htm: WA HB 1 "
                                "'Original'"),
            std::string::npos)
      << m_errors.str();
}

}  // namespace
}  // namespace billwatch::sources

namespace billwatch::sources {
namespace {

TEST(OrderedWorkerTest, JobsRunInOrderOffThePostersThread) {
  std::vector<int> seen;
  std::thread::id poster = std::this_thread::get_id();
  bool elsewhere = true;
  {
    OrderedWorker worker(2);  // smaller than the jobs: post() waits for room
    for (int i = 0; i < 100; ++i) {
      worker.post([&, i] {
        elsewhere = elsewhere && std::this_thread::get_id() != poster;
        seen.push_back(i);
      });
    }
    worker.finish();
    ASSERT_EQ(seen.size(), 100u) << "finish() waits for every job";
  }
  for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
  EXPECT_TRUE(elsewhere);
}

TEST(OrderedWorkerTest, AFailedJobStopsThePosterAsIfItHadRunInline) {
  OrderedWorker worker(4);
  int ran = 0;
  worker.post([&] { ++ran; });
  worker.post([] { throw std::runtime_error("the store is gone"); });
  // Later posts either queue (before the failure is seen) or rethrow it; finish() reports
  // it once and the jobs after the failure never run.
  bool thrown = false;
  try {
    for (int i = 0; i < 1000; ++i) worker.post([&] { ran += 100; });
    worker.finish();
  } catch (const std::runtime_error& e) {
    thrown = true;
    EXPECT_STREQ(e.what(), "the store is gone");
  }
  EXPECT_TRUE(thrown);
  EXPECT_EQ(ran % 100, 1) << "the job before the failure ran";
  EXPECT_LT(ran, 100 * 1000) << "not every job after it ran";
}

}  // namespace
}  // namespace billwatch::sources
