// The LegiScan source end to end against a loopback server answering as api.legiscan.com
// does: the real getBill answers of Alabama's 2025 session (tests/fixtures/states).
//
// Constructed for the test (said where they are made): the getSearchRaw and
// getMasterListRaw answers (documented shapes; no live answer is in the fixtures), and the
// getBillText answer for HB18, whose PDF is not in the fixtures: it carries, base64 as
// LegiScan sends it, the real PDF of Wyoming HB0065 (a restraint/seclusion bill) as a
// stand-in, so the PDF path and the analyzer run on real on-topic text.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "billwatch/app/run_once.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/curl_global.hpp"
#include "billwatch/crawler/curl_http_client.hpp"
#include "files.hpp"
#include "fixture_site.hpp"
#include "legiscan_fixture.hpp"
#include "loopback_http_server.hpp"
#include "manual_clock.hpp"

namespace billwatch::app {
namespace {

using test::FixtureSite;
using test::LoopbackHttpServer;
using test::ManualClock;
using test::TempDir;

const char* k_key = "testlegiscankey0123456789abcdef";

// getSearchRaw / getMasterListRaw: entries "0", "1", ... beside a summary or session.
std::string list_answer(const char* kind, const std::vector<nlohmann::json>& bills) {
  nlohmann::json list;
  if (std::string(kind) == "searchresult") {
    list["summary"] = {
        {"page", "1 of 1"}, {"count", bills.size()}, {"page_current", 1}, {"page_total", 1}};
  } else {
    list["session"] = {{"session_id", 2148}, {"session_name", "2025 Regular Session"}};
  }
  for (std::size_t i = 0; i < bills.size(); ++i) {
    list[std::to_string(i)] = {{"bill_id", bills[i]["bill_id"]},
                               {"number", bills[i]["bill_number"]},
                               {"change_hash", bills[i]["change_hash"]}};
  }
  return nlohmann::json{{"status", "OK"}, {kind, list}}.dump();
}

class LegiscanSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_config = config::default_config();
    m_store = std::make_unique<store::Store>(store::Store::open(m_dir.file("bw.db")));
    config::SourceConfig source;
    source.type = "legiscan";
    source.name = "legiscan";
    source.state_api.base_url = m_http.url("/");
    source.state_api.api_key_env = "BILLWATCH_TEST_LEGISCAN_KEY";
    source.state_api.states = {"AL"};
    m_config.sources.push_back(source);
    m_hb18 = test::legiscan_get_bill_answer("HB18");
    m_hb22 = test::legiscan_get_bill_answer("HB22");
    serve_lists({m_hb18["bill"], m_hb22["bill"]});
    put("op=getBill&id=1885997", m_hb18.dump());
    put("op=getBill&id=1885939", m_hb22.dump());
    std::string pdf = test::read_fixture("states/pdf/wy_2026_HB0065_Introduced.pdf");
    put("op=getBillText&id=3017093", nlohmann::json{{"status", "OK"},
                                                    {"text",
                                                     {{"doc_id", 3017093},
                                                      {"bill_id", 1885997},
                                                      {"date", "2024-07-08"},
                                                      {"type", "Introduced"},
                                                      {"mime", "application/pdf"},
                                                      {"doc", base64_encode(pdf)}}}}
                                         .dump());
  }

  void put(const std::string& query, const std::string& body) {
    m_site.put(std::string("/?key=") + k_key + "&" + query, body, "application/json");
  }
  void serve_lists(const std::vector<nlohmann::json>& bills) {
    put("op=getSearchRaw&state=AL&query=restraint OR seclusion&year=2025&page=1",
        list_answer("searchresult", bills));
    put("op=getMasterListRaw&id=2148", list_answer("masterlist", bills));
  }
  // Requests of one LegiScan operation (parameters are sorted by name in targets).
  int calls(const std::string& op) {
    std::string param = "op=" + op;
    int n = 0;
    for (const auto& r : m_site.requests()) {
      bool last = r.target.size() >= param.size() &&
                  r.target.compare(r.target.size() - param.size(), param.size(), param) == 0;
      if (last || r.target.find(param + "&") != std::string::npos) ++n;
    }
    return n;
  }

  RunSummary run() {
    crawler::HttpOptions options;
    options.outbound.allowed_hosts = {"127.0.0.1", "localhost"};  // the loopback test servers
    options.user_agent = "billwatch-test";
    options.timeout_ms = 10000;
    crawler::CurlHttpClient http(options);
    m_log.str("");
    m_clock.advance(3600);
    return run_once(m_config, RunDeps{http, *m_store, nullptr, m_clock, m_log, m_log});
  }

  test::ScopedEnv m_key{"BILLWATCH_TEST_LEGISCAN_KEY", k_key};
  crawler::CurlGlobal m_curl;
  TempDir m_dir;
  LoopbackHttpServer m_http;
  FixtureSite m_site{m_http};
  ManualClock m_clock{test::noon("2025-03-01")};
  config::Config m_config;
  std::unique_ptr<store::Store> m_store;
  std::ostringstream m_log;
  nlohmann::json m_hb18;
  nlohmann::json m_hb22;
};

TEST_F(LegiscanSourceTest, ChangeHashesDecideWhichBillsAreFetched) {
  // Run 1: the search finds HB18 (child passenger restraints: a false friend) and HB22;
  // neither is on topic, so neither is stored and no text is fetched.
  RunSummary first = run();
  EXPECT_EQ(first.failed, 0) << m_log.str();
  EXPECT_EQ(first.off_topic, 2);
  EXPECT_EQ(calls("getBill"), 2);
  EXPECT_EQ(calls("getBillText"), 0);
  EXPECT_FALSE(m_store->history("AL-2025-HB-18"));

  // Run 2: HB18 is added to track: fetched again though its hash did not move, followed,
  // and its text fetched.
  m_config.sources[0].state_api.track = {"AL-2025-HB-18"};
  RunSummary second = run();
  EXPECT_EQ(second.failed, 0) << m_log.str();
  EXPECT_EQ(second.new_bills, 1) << m_log.str();
  EXPECT_EQ(calls("getBill"), 3) << "HB18 again; HB22's hash did not move";
  EXPECT_EQ(calls("getBillText"), 1);
  auto hb18 = m_store->history("AL-2025-HB-18");
  ASSERT_TRUE(hb18);
  EXPECT_EQ(hb18->bill.bill.legiscan_id, "1885997");
  EXPECT_EQ(hb18->bill.bill.identifier, "HB 18");
  EXPECT_EQ(hb18->bill.stage, stage::k_in_committee);
  EXPECT_EQ(hb18->actions.size(), 3u);
  ASSERT_EQ(hb18->versions.size(), 1u);
  EXPECT_EQ(hb18->versions[0].label, "Introduced");
  EXPECT_EQ(hb18->versions[0].provenance.url, "https://legiscan.com/AL/text/HB18/id/3017093");
  EXPECT_TRUE(hb18->versions[0].relevance.relevant) << "the PDF stand-in is on topic";

  // Run 3: nothing moved. The session's master list is read (HB18 is followed); no getBill.
  RunSummary third = run();
  EXPECT_EQ(third.failed, 0) << m_log.str();
  EXPECT_EQ(calls("getMasterListRaw"), 1);
  EXPECT_EQ(calls("getBill"), 3);
  std::size_t events = m_store->history("AL-2025-HB-18")->events.size();

  // Run 4: HB18's change_hash moves (as it does for votes and sponsors too) with nothing
  // billwatch reports: one getBill, no getBillText, no event.
  m_hb18["bill"]["change_hash"] = "11111111111111111111111111111111";
  serve_lists({m_hb18["bill"], m_hb22["bill"]});
  put("op=getBill&id=1885997", m_hb18.dump());
  RunSummary fourth = run();
  EXPECT_EQ(fourth.failed, 0) << m_log.str();
  EXPECT_EQ(calls("getBill"), 4);
  EXPECT_EQ(calls("getBillText"), 1);
  EXPECT_EQ(m_store->history("AL-2025-HB-18")->events.size(), events);

  // Run 5: the document's text_hash moves with the same doc_id: getBillText once more;
  // the text is the same, so no new version.
  m_hb18["bill"]["change_hash"] = "22222222222222222222222222222222";
  m_hb18["bill"]["texts"][0]["text_hash"] = "33333333333333333333333333333333";
  serve_lists({m_hb18["bill"], m_hb22["bill"]});
  put("op=getBill&id=1885997", m_hb18.dump());
  RunSummary fifth = run();
  EXPECT_EQ(fifth.failed, 0) << m_log.str();
  EXPECT_EQ(calls("getBillText"), 2);
  EXPECT_EQ(m_store->history("AL-2025-HB-18")->versions.size(), 1u);
  EXPECT_EQ(m_store->history("AL-2025-HB-18")->events.size(), events);

  // The key went in the query, as LegiScan wants, and nowhere else.
  EXPECT_EQ(m_log.str().find(k_key), std::string::npos);
  auto versions = m_store->history("AL-2025-HB-18")->versions;
  EXPECT_EQ(versions[0].provenance.final_url.find(k_key), std::string::npos);
}

TEST_F(LegiscanSourceTest, TheMonthlyBudgetWarnsAt80PercentAndStops) {
  m_config.sources[0].state_api.monthly_query_budget = 5;
  m_config.sources[0].state_api.track = {"AL-2025-HB-18"};
  // search, getBill HB18, getBillText, getBill HB22 = 4 of 5: the 80% warning.
  RunSummary first = run();
  EXPECT_EQ(first.failed, 0) << m_log.str();
  bool warned = false;
  for (const auto& w : first.warnings) warned = warned || w.find("(80%)") != std::string::npos;
  EXPECT_TRUE(warned) << m_log.str();
  // Next run: the search is the 5th; the master list would be the 6th: refused.
  RunSummary second = run();
  bool stopped = false;
  for (const auto& w : second.warnings) {
    stopped = stopped || w.find(
                             "api.legiscan.com: 5 requests this month reach the key's limit "
                             "of 5; the rest waits for the next run") != std::string::npos;
  }
  EXPECT_TRUE(stopped) << m_log.str();
  EXPECT_EQ(calls("getMasterListRaw"), 0);
  EXPECT_TRUE(m_store->history("AL-2025-HB-18")) << "nothing stored is lost";
}

TEST_F(LegiscanSourceTest, ErrorsAreClearAndLoseNothing) {
  m_config.sources[0].state_api.track = {"AL-2025-HB-18"};
  run();
  ASSERT_TRUE(m_store->history("AL-2025-HB-18"));
  put("op=getSearchRaw&state=AL&query=restraint OR seclusion&year=2025&page=1",
      R"({"status":"ERROR","alert":{"message":"Invalid API key"}})");
  put("op=getMasterListRaw&id=2148", "{\"status\":\"OK\",\"masterlist\":{\"0\":");
  RunSummary summary = run();
  ASSERT_EQ(summary.errors.size(), 2u) << m_log.str();
  EXPECT_NE(summary.errors[0].find("LegiScan: LegiScan answered ERROR: Invalid API key"),
            std::string::npos)
      << summary.errors[0];
  EXPECT_NE(summary.errors[1].find("op=getMasterListRaw&id=2148: LegiScan: not well-formed JSON"),
            std::string::npos)
      << summary.errors[1];
  for (const auto& e : summary.errors) EXPECT_EQ(e.find(k_key), std::string::npos) << e;
  EXPECT_EQ(m_store->history("AL-2025-HB-18")->versions.size(), 1u);

  // Without a key the source says where to put one.
  test::ScopedEnv no_key("BILLWATCH_TEST_LEGISCAN_KEY", nullptr);
  RunSummary keyless = run();
  ASSERT_EQ(keyless.errors.size(), 1u);
  EXPECT_NE(keyless.errors[0].find("no LegiScan key: put it in $BILLWATCH_TEST_LEGISCAN_KEY"),
            std::string::npos);
}

}  // namespace
}  // namespace billwatch::app
