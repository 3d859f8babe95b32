// The Open States source end to end against a loopback server answering as
// v3.openstates.org does.
//
// Constructed for the test (said where they are made): the /bills answers. No live API
// answer is in the fixtures, so each is built, in the documented v3 shape, from the real
// openstates-core scraper objects of Alabama SB16 (two scrapes that differ only in `_id`
// and `scraped_at`, carried over as `updated_at`). The version documents those objects
// link on alison.legislature.state.al.us are served on loopback under the same file
// names, with the real PDF of Wyoming HB0065 as a stand-in.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "billwatch/app/run_once.hpp"
#include "billwatch/crawler/curl_global.hpp"
#include "billwatch/crawler/curl_http_client.hpp"
#include "files.hpp"
#include "fixture_site.hpp"
#include "loopback_http_server.hpp"
#include "manual_clock.hpp"

namespace billwatch::app {
namespace {

using nlohmann::json;
using test::FixtureSite;
using test::LoopbackHttpServer;
using test::ManualClock;
using test::TempDir;

const char* k_key = "test-openstates-key-42";

// A v3 /bills result made from a scraper object: the same identity, actions (with the
// organization nested as the API does) and versions (links moved to `docs_base`).
json api_result(const json& scrape, const std::string& docs_base,
                const std::string& id = "ocd-bill/5f3c8d2a-al-2025-sb16") {
  json result;
  result["id"] = id;
  result["session"] = scrape["legislative_session"];
  result["jurisdiction"] = scrape["jurisdiction"];
  result["identifier"] = scrape["identifier"];
  result["title"] = scrape["title"];
  result["updated_at"] = scrape["scraped_at"];
  result["actions"] = json::array();
  int order = 0;
  for (const auto& a : scrape["actions"]) {
    std::string pseudo = a["organization_id"];
    std::string chamber = pseudo.find("upper") != std::string::npos ? "upper" : "lower";
    result["actions"].push_back({{"description", a["description"]},
                                 {"date", a["date"]},
                                 {"classification", a["classification"]},
                                 {"order", order++},
                                 {"organization", {{"classification", chamber}}}});
  }
  result["versions"] = json::array();
  for (auto v : scrape["versions"]) {
    for (auto& link : v["links"]) {
      std::string url = link["url"];
      link["url"] = docs_base + url.substr(url.rfind('/'));
    }
    result["versions"].push_back(v);
  }
  result["sources"] = scrape["sources"];
  return result;
}

std::string page_of(const std::vector<json>& results, int page = 1, int max_page = 1) {
  return json{{"results", results},
              {"pagination",
               {{"per_page", 20}, {"page", page}, {"max_page", max_page}, {"total_items", 1}}}}
      .dump();
}

class OpenStatesSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_config = config::default_config();
    m_store = std::make_unique<store::Store>(store::Store::open(m_dir.file("bw.db")));
    config::SourceConfig source;
    source.type = "openstates";
    source.name = "openstates";
    source.state_api.base_url = m_http.url("");
    source.state_api.api_key_env = "BILLWATCH_TEST_OPENSTATES_KEY";
    source.state_api.states = {"AL"};
    source.state_api.requests_per_minute = 6000;  // pacing: sources_test, on the test clock
    m_config.sources.push_back(source);
    m_v1 = json::parse(test::read_fixture("states/al_2025_SB16_openstates_scrape_v1.json"));
    m_v2 = json::parse(test::read_fixture("states/al_2025_SB16_openstates_scrape_v2.json"));
    m_site.put("/docs/SB16-int.pdf", test::read_fixture("states/pdf/wy_2026_HB0065_Introduced.pdf"),
               "application/pdf");
  }

  void serve(const json& scrape) {
    m_site.put("/bills", page_of({api_result(scrape, m_http.url("/docs"))}), "application/json");
  }

  RunSummary run() {
    crawler::HttpOptions options;
    options.outbound.allowed_hosts = {"127.0.0.1", "localhost"};  // the loopback test servers
    options.user_agent = "billwatch-test";
    options.timeout_ms = 10000;
    options.retry_base_ms = 10;
    crawler::CurlHttpClient http(options);
    m_log.str("");
    m_clock.advance(86400);
    return run_once(m_config, RunDeps{http, *m_store, nullptr, m_clock, m_log, m_log});
  }

  int bills_requests() {
    int n = 0;
    for (const auto& r : m_site.requests()) n += r.target.rfind("/bills?", 0) == 0;
    return n;
  }

  test::ScopedEnv m_key{"BILLWATCH_TEST_OPENSTATES_KEY", k_key};
  crawler::CurlGlobal m_curl;
  TempDir m_dir;
  LoopbackHttpServer m_http;
  FixtureSite m_site{m_http};
  ManualClock m_clock{test::noon("2025-07-25")};
  config::Config m_config;
  std::unique_ptr<store::Store> m_store;
  std::ostringstream m_log;
  json m_v1;
  json m_v2;
};

TEST_F(OpenStatesSourceTest, AFollowedBillIsStoredAndAVolatileOnlyChangeSaysNothing) {
  // SB16 is about police restraints, not schools: followed only through track.
  serve(m_v1);
  RunSummary untracked = run();
  EXPECT_EQ(untracked.failed, 0) << m_log.str();
  EXPECT_EQ(untracked.off_topic, 1);
  EXPECT_FALSE(m_store->history("AL-2025-SB-16"));

  m_config.sources[0].state_api.track = {"AL-2025-SB-16"};
  RunSummary first = run();
  EXPECT_EQ(first.failed, 0) << m_log.str();
  EXPECT_EQ(first.new_bills, 1) << m_log.str();
  auto sb16 = m_store->history("AL-2025-SB-16");
  ASSERT_TRUE(sb16);
  EXPECT_EQ(sb16->bill.bill.openstates_id, "ocd-bill/5f3c8d2a-al-2025-sb16");
  EXPECT_EQ(sb16->bill.bill.identifier, "SB 16");
  EXPECT_EQ(sb16->actions.size(), 3u);
  ASSERT_EQ(sb16->versions.size(), 1u);
  EXPECT_EQ(sb16->versions[0].label, "Introduced");
  EXPECT_EQ(sb16->versions[0].provenance.url, m_http.url("/docs/SB16-int.pdf"));
  std::size_t events = sb16->events.size();

  // The second scrape differs only in _id and scraped_at (here: updated_at): no event.
  serve(m_v2);
  RunSummary second = run();
  EXPECT_EQ(second.failed, 0) << m_log.str();
  EXPECT_EQ(m_store->history("AL-2025-SB-16")->events.size(), events);
  EXPECT_EQ(m_http.hits("/docs/SB16-int.pdf"), 1) << "no document fetched again";

  // Every request carried the key in its header and asked what the issue says.
  for (const auto& r : m_site.requests()) {
    if (r.target.rfind("/bills?", 0) != 0) continue;
    EXPECT_EQ(r.api_key, k_key) << "sent as the X-API-KEY header";
    EXPECT_NE(r.target.find("include=actions"), std::string::npos);
    EXPECT_NE(r.target.find("jurisdiction=ocd-jurisdiction/country:us/state:al/government"),
              std::string::npos)
        << r.target;
    EXPECT_NE(r.target.find("per_page=20"), std::string::npos);
    EXPECT_NE(r.target.find("q=restraint OR seclusion"), std::string::npos);
  }
  EXPECT_NE(m_site.requests().back().target.find("updated_since=2025-07-26"), std::string::npos)
      << m_site.requests().back().target;
}

TEST_F(OpenStatesSourceTest, RateLimitsAreRespected) {
  m_config.sources[0].state_api.track = {"AL-2025-SB-16"};
  serve(m_v1);
  // Over the limit once: the crawler waits the Retry-After and asks again.
  m_site.fail_next("/bills", 1, 429, "1");
  RunSummary limited = run();
  EXPECT_EQ(limited.failed, 0) << m_log.str();
  EXPECT_EQ(bills_requests(), 2);
  EXPECT_TRUE(m_store->history("AL-2025-SB-16"));

  // The day's budget: with 1 a day (used by the run above), the next run stops at once.
  m_config.sources[0].state_api.requests_per_day = 1;
  m_site.put("/bills", page_of({api_result(m_v1, m_http.url("/docs"))}, 1, 3), "application/json");
  m_clock.advance(-86400 + 60);  // the same day as the run above
  RunSummary spent = run();
  bool warned = false;
  for (const auto& w : spent.warnings) {
    warned =
        warned || w.find("v3.openstates.org: 1 requests this day reach the key's limit of 1") !=
                      std::string::npos;
  }
  EXPECT_TRUE(warned) << m_log.str();
}

TEST_F(OpenStatesSourceTest, ApiErrorsAreClearAndLoseNothing) {
  m_config.sources[0].state_api.track = {"AL-2025-SB-16"};
  serve(m_v1);
  run();
  ASSERT_TRUE(m_store->history("AL-2025-SB-16"));

  m_site.put("/bills", R"({"detail":"Invalid API key."})", "application/json", 401);
  RunSummary refused = run();
  ASSERT_EQ(refused.errors.size(), 1u) << m_log.str();
  EXPECT_NE(refused.errors[0].find("v3.openstates.org: HTTP 401"), std::string::npos)
      << refused.errors[0];
  EXPECT_NE(refused.errors[0].find("(is the key valid?)"), std::string::npos);
  EXPECT_EQ(refused.errors[0].find(k_key), std::string::npos);

  // Without a key Open States answers 403.
  m_site.put("/bills", R"({"detail":"Must provide API Key."})", "application/json", 403);
  RunSummary forbidden = run();
  ASSERT_EQ(forbidden.errors.size(), 1u) << m_log.str();
  EXPECT_NE(forbidden.errors[0].find("v3.openstates.org: HTTP 403"), std::string::npos)
      << forbidden.errors[0];

  m_site.put("/bills", R"({"results": [{"id": )", "application/json");
  RunSummary broken = run();
  ASSERT_EQ(broken.errors.size(), 1u) << m_log.str();
  EXPECT_NE(broken.errors[0].find("Open States: not well-formed JSON"), std::string::npos)
      << broken.errors[0];
  EXPECT_EQ(m_store->history("AL-2025-SB-16")->versions.size(), 1u) << "nothing lost";
}

TEST_F(OpenStatesSourceTest, TheSameBillFromLegiscanAndOpenStatesIsOneBill) {
  // Alabama HB18 is in both fixtures: Open States' scrape (here as a /bills answer) and
  // LegiScan's getBill (served as api.legiscan.com would, with a constructed search
  // answer in its documented shape).
  test::ScopedEnv legiscan_key("BILLWATCH_TEST_LEGISCAN_KEY", "legiscankey42");
  json hb18_os = json::parse(test::read_fixture("states/al_2025_HB18_openstates_scrape.json"));
  m_site.put("/bills", page_of({api_result(hb18_os, m_http.url("/docs"), "ocd-bill/al-hb18")}),
             "application/json");
  json hb18_ls;
  for (auto& answer :
       json::parse(test::read_fixture("states/legiscan_api_getBill_AL_2025_list.json"))) {
    if (answer["bill"]["bill_number"] == "HB18") hb18_ls = answer;
  }
  json search = {{"status", "OK"},
                 {"searchresult",
                  {{"summary", {{"page_total", 1}}},
                   {"0", {{"bill_id", 1885997}, {"number", "HB18"}, {"change_hash", "85e9"}}}}}};
  m_site.put(
      "/legiscan/?key=legiscankey42&op=getSearchRaw&page=1&query=restraint OR "
      "seclusion&state=AL&year=2025",
      search.dump(), "application/json");
  m_site.put("/legiscan/?key=legiscankey42&op=getBill&id=1885997", hb18_ls.dump(),
             "application/json");
  config::SourceConfig legiscan;
  legiscan.type = "legiscan";
  legiscan.name = "legiscan";
  legiscan.state_api.base_url = m_http.url("/legiscan/");
  legiscan.state_api.api_key_env = "BILLWATCH_TEST_LEGISCAN_KEY";
  legiscan.state_api.states = {"AL"};
  legiscan.state_api.track = {"AL-2025-HB-18"};
  m_config.sources.push_back(legiscan);
  m_config.sources[0].state_api.track = {"AL-2025-HB-18"};

  RunSummary summary = run();
  EXPECT_EQ(summary.new_bills, 1) << "new to the first source, known to the second";
  auto bills = m_store->bills();
  ASSERT_EQ(bills.size(), 1u) << m_log.str();
  EXPECT_EQ(bills[0].bill.id, "AL-2025-HB-18");
  EXPECT_EQ(bills[0].bill.openstates_id, "ocd-bill/al-hb18");
  EXPECT_EQ(bills[0].bill.legiscan_id, "1885997");
  // Open States saw the bill postponed; LegiScan's latest says referred: the actions of
  // both are kept, and the furthest-by-date stage stands.
  auto history = m_store->history("AL-2025-HB-18");
  EXPECT_GT(history->actions.size(), 3u);
}

}  // namespace
}  // namespace billwatch::app
