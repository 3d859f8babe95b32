// Two sources run through the registry against a scripted FakeHttpClient and an in-memory
// store: the same paths as their loopback integration tests, in milliseconds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "billwatch/core/hash.hpp"
#include "billwatch/sources/source.hpp"
#include "billwatch/sources/source_run.hpp"
#include "billwatch/store/store.hpp"
#include "fake_http_client.hpp"
#include "files.hpp"
#include "legiscan_fixture.hpp"
#include "manual_clock.hpp"

namespace billwatch::sources {
namespace {

class SourcesTest : public ::testing::Test {
 protected:
  RunSummary run() {
    RunSummary summary;
    m_log.str("");
    m_clock.advance(3600);
    SourceRun run(SourceDeps{m_http, m_store, m_clock, m_log, m_log}, summary);
    run_sources(m_config, run);
    run.record_health();
    return summary;
  }

  test::FakeHttpClient m_http;
  store::Store m_store = store::Store::open_in_memory();
  test::ManualClock m_clock{test::noon("2025-03-01")};
  config::Config m_config = config::default_config();
  std::ostringstream m_log;
};

TEST_F(SourcesTest, LegislaturePagesAreStoredOnceAndFailuresCostOnlyTheirPage) {
  config::SourceConfig pages;
  pages.type = "html";
  pages.name = "wa";
  pages.jurisdiction = "WA";
  pages.urls = {"https://leg.example/hb1795", "https://leg.example/gone"};
  m_config.sources.push_back(pages);
  crawler::Fetched page;
  page.body = test::read_fixture("states/wa_2025-26_HB1795_text_1_original.md");
  page.content_type = "text/markdown";
  page.etag = "\"v1\"";
  m_http.answer("/hb1795", page);

  RunSummary first = run();
  EXPECT_EQ(first.new_bills, 1) << m_log.str();
  EXPECT_EQ(first.failed, 1) << "the missing page";
  EXPECT_NE(m_log.str().find("https://leg.example/gone"), std::string::npos) << m_log.str();
  auto bill = m_store.history("wa/hb1795");
  ASSERT_TRUE(bill) << m_log.str();
  EXPECT_EQ(bill->versions.size(), 1u);
  EXPECT_FALSE(bill->versions[0].provisions.empty()) << "analyzed on the way in";

  // The next run sends the stored validator and the page is as it was: nothing new.
  RunSummary second = run();
  EXPECT_EQ(second.not_modified, 1);
  EXPECT_EQ(second.new_bills + second.changed, 0);
  EXPECT_EQ(m_http.requests.back().url, "https://leg.example/gone");
  EXPECT_EQ(m_http.requests[2].etag, "\"v1\"");
}

TEST_F(SourcesTest, LegiscanFollowsATrackedBillAndSkipsWhatDidNotChange) {
  test::ScopedEnv key("BILLWATCH_TEST_LEGISCAN_KEY", "testlegiscankey0123456789abcdef");
  config::SourceConfig api;
  api.type = "legiscan";
  api.name = "legiscan";
  api.state_api.base_url = "https://api.legiscan.example/";
  api.state_api.api_key_env = "BILLWATCH_TEST_LEGISCAN_KEY";
  api.state_api.states = {"AL"};
  api.state_api.track = {"AL-2025-HB-18"};
  m_config.sources.push_back(api);
  nlohmann::json hb18 = test::legiscan_get_bill_answer("HB18");
  nlohmann::json list = {
      {"summary", {{"page", "1 of 1"}, {"count", 1}, {"page_current", 1}, {"page_total", 1}}},
      {"0",
       {{"bill_id", hb18["bill"]["bill_id"]},
        {"number", hb18["bill"]["bill_number"]},
        {"change_hash", hb18["bill"]["change_hash"]}}}};
  m_http.answer_body("op=getSearchRaw",
                     nlohmann::json{{"status", "OK"}, {"searchresult", list}}.dump(),
                     "application/json");
  nlohmann::json master = list;
  master.erase("summary");
  master["session"] = {{"session_id", 2148}, {"session_name", "2025 Regular Session"}};
  m_http.answer_body("op=getMasterListRaw",
                     nlohmann::json{{"status", "OK"}, {"masterlist", master}}.dump(),
                     "application/json");
  m_http.answer_body("op=getBill&", hb18.dump(), "application/json");
  m_http.answer_body("op=getBillText",
                     nlohmann::json{{"status", "OK"},
                                    {"text",
                                     {{"doc_id", 3017093},
                                      {"bill_id", 1885997},
                                      {"date", "2024-07-08"},
                                      {"type", "Introduced"},
                                      {"mime", "text/html"},
                                      {"doc", base64_encode("<p>No school employee may use prone "
                                                            "restraint on a student.</p>")}}}}
                         .dump(),
                     "application/json");

  RunSummary first = run();
  EXPECT_EQ(first.failed, 0) << m_log.str();
  EXPECT_EQ(first.new_bills, 1) << m_log.str();
  auto bill = m_store.history("AL-2025-HB-18");
  ASSERT_TRUE(bill) << m_log.str();
  EXPECT_EQ(bill->versions.size(), 1u);
  EXPECT_EQ(m_log.str().find("testlegiscankey"), std::string::npos)
      << "the key is sent, never printed";
  EXPECT_EQ(bill->versions[0].provenance.url.find("testlegiscankey"), std::string::npos);
  int bills_fetched = m_http.count("op=getBill&");
  RunSummary second = run();
  EXPECT_EQ(second.failed, 0) << m_log.str();
  EXPECT_EQ(m_http.count("op=getBill&"), bills_fetched) << "its change hash did not move";
  EXPECT_EQ(second.new_bills + second.changed, 0);
}

TEST_F(SourcesTest, AnApiIsPacedOnTheRunsClockWithoutSleepingForReal) {
  test::ScopedEnv key("BILLWATCH_TEST_OPENSTATES_KEY", "test-openstates-key-42");
  config::SourceConfig api;
  api.type = "openstates";
  api.name = "openstates";
  api.state_api.base_url = "https://v3.openstates.example";
  api.state_api.api_key_env = "BILLWATCH_TEST_OPENSTATES_KEY";
  api.state_api.states = {"AL"};
  api.state_api.requests_per_minute = 10;  // six seconds apart
  m_config.sources.push_back(api);
  auto page = [](int number) {
    return nlohmann::json{
        {"results", nlohmann::json::array()},
        {"pagination", {{"per_page", 20}, {"page", number}, {"max_page", 3}, {"total_items", 0}}}}
        .dump();
  };
  m_http.answer_body("&page=1", page(1), "application/json");
  m_http.answer_body("&page=2", page(2), "application/json");
  m_http.answer_body("&page=3", page(3), "application/json");
  RunSummary summary = run();
  EXPECT_EQ(summary.failed, 0) << m_log.str();
  EXPECT_EQ(m_http.count("/bills?"), 3);
  EXPECT_EQ(m_clock.slept_ms(), 2 * 6000) << "two waits of six seconds, on the test clock";
}

}  // namespace
}  // namespace billwatch::sources

namespace billwatch::sources {
namespace {

// A search answered as an array (the form a client tested against the live service
// reads) finds the bill; an answer whose results cannot be read at all is said, not
// taken as "nothing found".
TEST_F(SourcesTest, LegiscanSearchAsAnArrayFindsBillsAndAnUnreadableOneIsSaid) {
  test::ScopedEnv key("BILLWATCH_TEST_LEGISCAN_KEY", "testlegiscankey0123456789abcdef");
  config::SourceConfig api;
  api.type = "legiscan";
  api.name = "legiscan";
  api.state_api.base_url = "https://api.legiscan.example/";
  api.state_api.api_key_env = "BILLWATCH_TEST_LEGISCAN_KEY";
  api.state_api.states = {"AL"};
  api.state_api.topic_terms = {"school"};  // followed by its words, not a track list
  m_config.sources.push_back(api);
  nlohmann::json hb18 = test::legiscan_get_bill_answer("HB18");
  nlohmann::json summary = {{"count", 1}, {"page_current", 1}, {"page_total", 1}};
  nlohmann::json entry = {{"bill_id", hb18["bill"]["bill_id"]},
                          {"change_hash", hb18["bill"]["change_hash"]},
                          {"relevance", 100}};
  m_http.answer_body("op=getSearchRaw",
                     nlohmann::json{{"status", "OK"},
                                    {"searchresult", {{"summary", summary}, {"results", {entry}}}}}
                         .dump(),
                     "application/json");
  m_http.answer_body("op=getBill&", hb18.dump(), "application/json");
  RunSummary found = run();
  EXPECT_NE(m_log.str().find("legiscan: 1 bills listed"), std::string::npos) << m_log.str();
  EXPECT_EQ(m_http.count("op=getBill&"), 1) << m_log.str();
  (void)found;

  m_http.clear();
  m_http.answer_body(
      "op=getSearchRaw",
      nlohmann::json{{"status", "OK"}, {"searchresult", {{"summary", summary}, {"bills", {entry}}}}}
          .dump(),
      "application/json");
  RunSummary unread = run();
  ASSERT_EQ(unread.warnings.size(), 1u) << m_log.str();
  EXPECT_NE(unread.warnings[0].find("LegiScan says 1 results, but none could be read"),
            std::string::npos)
      << unread.warnings[0];
  EXPECT_NE(unread.warnings[0].find("op=getSearchRaw"), std::string::npos) << "with the URL";
}

}  // namespace
}  // namespace billwatch::sources

namespace billwatch::sources {
namespace {

nlohmann::json openstates_bill(const std::string& state, const std::string& session,
                               const std::string& identifier) {
  return {{"id", "ocd-bill/" + state + session + identifier},
          {"session", session},
          {"jurisdiction",
           {{"id", "ocd-jurisdiction/country:us/state:" + state + "/government"},
            {"classification", "state"}}},
          {"identifier", identifier},
          {"title", "An act relative to restraint and seclusion of students in public schools"},
          {"abstracts",
           {{{"abstract",
              "Prohibits the use of seclusion and prone restraint on students in public "
              "schools."}}}},
          {"actions", nlohmann::json::array()},
          {"versions", nlohmann::json::array()}};
}

// Sessions named without a year are resolved from the jurisdiction's session list (the
// documented GET /jurisdictions/{id}?include=legislative_sessions form: no recording of it
// exists), so MA's "194th" makes MA-2025-S-3181, as LegiScan's does; a special session
// keeps a key of its own; a session the list does not have keeps its name, said once.
TEST_F(SourcesTest, OpenStatesSessionsWithoutAYearAreResolvedFromTheSessionList) {
  test::ScopedEnv key("BILLWATCH_TEST_OPENSTATES_KEY", "test-openstates-key-42");
  config::SourceConfig api;
  api.type = "openstates";
  api.name = "openstates";
  api.state_api.base_url = "https://v3.openstates.example";
  api.state_api.api_key_env = "BILLWATCH_TEST_OPENSTATES_KEY";
  m_config.sources.push_back(api);
  nlohmann::json bills = {
      {"results",
       {openstates_bill("ma", "194th", "S 3181"), openstates_bill("ma", "194th-s1", "H 5"),
        openstates_bill("az", "57th-2nd-regular", "HB 2001")}},
      {"pagination", {{"per_page", 20}, {"page", 1}, {"max_page", 1}, {"total_items", 3}}}};
  m_http.answer_body("/bills?", bills.dump(), "application/json");
  m_http.answer_body(
      "/jurisdictions/ocd-jurisdiction/country:us/state:ma/government",
      nlohmann::json{
          {"id", "ocd-jurisdiction/country:us/state:ma/government"},
          {"legislative_sessions",
           {{{"identifier", "193rd"}, {"classification", "primary"}, {"start_date", "2023-01-04"}},
            {{"identifier", "194th"},
             {"classification", "primary"},
             {"start_date", "2025-01-01"},
             {"end_date", "2026-12-31"}},
            {{"identifier", "194th-s1"},
             {"classification", "special"},
             {"start_date", "2024-09-16"}}}}}
          .dump(),
      "application/json");
  m_http.answer_body("/jurisdictions/ocd-jurisdiction/country:us/state:az/government",
                     R"({"legislative_sessions": [{"identifier": "57th-1st-regular",
                         "classification": "primary", "start_date": "2025-01-13"}]})",
                     "application/json");
  RunSummary first = run();
  EXPECT_TRUE(m_store.history("MA-2025-S-3181")) << m_log.str();
  EXPECT_TRUE(m_store.history("MA-2024s194ths1-H-5")) << "a special session stays distinct";
  EXPECT_TRUE(m_store.history("AZ-57th-2nd-regular-HB-2001")) << m_log.str();
  ASSERT_EQ(first.warnings.size(), 1u) << m_log.str();
  EXPECT_NE(first.warnings[0].find("Open States session '57th-2nd-regular' of AZ has no start "
                                   "year in its session list"),
            std::string::npos)
      << first.warnings[0];
  EXPECT_EQ(m_http.count("/jurisdictions/"), 2) << "one list per jurisdiction";

  // The next run reads MA's sessions from the store; AZ's unknown session is asked again.
  run();
  EXPECT_EQ(m_http.count("/jurisdictions/ocd-jurisdiction/country:us/state:ma"), 1);
  EXPECT_EQ(m_http.count("/jurisdictions/ocd-jurisdiction/country:us/state:az"), 2);
}

}  // namespace
}  // namespace billwatch::sources
