// html sources with [source.selectors], end to end: the example configurations in
// config/examples run against the real legislature pages of the fixtures, served on
// loopback in place of the sites.
#include <gtest/gtest.h>

#include <sstream>

#include "billwatch/app/run_once.hpp"
#include "billwatch/config/config.hpp"
#include "billwatch/crawler/curl_global.hpp"
#include "billwatch/crawler/curl_http_client.hpp"
#include "files.hpp"
#include "fixture_site.hpp"
#include "loopback_http_server.hpp"
#include "manual_clock.hpp"

namespace billwatch::app {
namespace {

using test::FixtureSite;
using test::LoopbackHttpServer;
using test::ManualClock;
using test::TempDir;

std::string example(const std::string& name) {
  return test::read_file(std::string(BILLWATCH_SOURCE_DIR) + "/config/examples/" + name);
}

std::string states(const std::string& name) {
  return test::read_fixture("states/" + name);
}

// The page with links to `host` pointed at the loopback server: tests never leave it.
std::string relinked(std::string page, const std::string& host, const std::string& loopback) {
  for (auto at = page.find(host); at != std::string::npos; at = page.find(host, at)) {
    page.replace(at, host.size(), loopback);
    at += loopback.size();
  }
  return page;
}

class SelectorSourceTest : public ::testing::Test {
 protected:
  // Loads an example config with its site's URLs pointed at the loopback server.
  void load(const std::string& name, const std::vector<std::string>& paths) {
    m_config = config::parse_config(example(name), name, ".");
    std::size_t next = 0;
    for (auto& source : m_config.sources) {
      for (auto& url : source.urls) url = m_http.url(paths.at(next++));
    }
    m_store = std::make_unique<store::Store>(store::Store::open(m_dir.file("bw.db")));
  }

  RunSummary run() {
    crawler::HttpOptions options;
    options.outbound.allowed_hosts = {"127.0.0.1", "localhost"};  // the loopback test servers
    options.user_agent = "billwatch-test";
    options.timeout_ms = 10000;
    crawler::CurlHttpClient http(options);
    m_log.str("");
    m_clock.advance(86400);
    return run_once(m_config, RunDeps{http, *m_store, nullptr, m_clock, m_log, m_log});
  }

  std::vector<EventKind> kinds_since(const std::string& bill, std::size_t first) {
    std::vector<EventKind> kinds;
    auto events = m_store->history(bill)->events;
    for (std::size_t i = first; i < events.size(); ++i) kinds.push_back(events[i].kind);
    return kinds;
  }

  crawler::CurlGlobal m_curl;
  TempDir m_dir;
  LoopbackHttpServer m_http;
  FixtureSite m_site{m_http};
  ManualClock m_clock{test::noon("2026-02-20")};
  config::Config m_config;
  std::unique_ptr<store::Store> m_store;
  std::ostringstream m_log;
};

const char* k_wa_page = "/bill/2025-26/hb/1795/";

TEST_F(SelectorSourceTest, WashingtonStatusPageANewHearingAndASubstitute) {
  load("wa-hb1795-status.toml", {k_wa_page});
  m_site.put(k_wa_page, states("wa_2025-26_HB1795_status_v1.html"), "text/html; charset=utf-8");
  // The revisions the page links ("1/", "S/"), in the Markdown wa-law.org keeps them in.
  m_site.put("/bill/2025-26/hb/1795/1/", states("wa_2025-26_HB1795_text_1_original.md"),
             "text/markdown; charset=utf-8");
  m_site.put("/bill/2025-26/hb/1795/S/", states("wa_2025-26_HB1795_text_S_substitute.md"),
             "text/markdown; charset=utf-8");

  RunSummary first = run();
  EXPECT_EQ(first.failed, 0) << m_log.str();
  EXPECT_EQ(first.new_bills, 1) << m_log.str();
  auto bill = m_store->history("WA-2025-HB-1795");
  ASSERT_TRUE(bill);
  EXPECT_EQ(bill->bill.bill.title, "HB 1795 - Student restraint, isolation");
  ASSERT_EQ(bill->actions.size(), 1u);
  EXPECT_EQ(bill->actions[0].action.text,
            "Mon 02/10 01:30 PM - Education (ED): HB 1795 Student restraint, isolation");
  ASSERT_EQ(bill->versions.size(), 1u);
  EXPECT_EQ(bill->versions[0].label, "Original Bill");
  std::size_t seen = bill->events.size();

  // The later page: a second hearing, a Substitute, and new articles (which are not read).
  m_site.put(k_wa_page, states("wa_2025-26_HB1795_status_v2.html"), "text/html; charset=utf-8");
  RunSummary second = run();
  EXPECT_EQ(second.failed, 0) << m_log.str();
  EXPECT_EQ(kinds_since("WA-2025-HB-1795", seen),
            (std::vector<EventKind>{EventKind::Action, EventKind::NewVersion,
                                    EventKind::ProvisionsChanged}));
  bill = m_store->history("WA-2025-HB-1795");
  EXPECT_EQ(bill->actions.size(), 2u);
  EXPECT_EQ(bill->versions.back().label, "Substitute Bill");
  seen = bill->events.size();

  // Unchanged: nothing.
  run();
  EXPECT_EQ(m_store->history("WA-2025-HB-1795")->events.size(), seen);
  EXPECT_EQ(m_http.hits("/bill/2025-26/hb/1795/S/"), 1);
}

TEST_F(SelectorSourceTest, ALayoutChangeIsReportedNotStoredAsEmptyContent) {
  load("wa-hb1795-status.toml", {k_wa_page});
  m_site.put(k_wa_page, states("wa_2025-26_HB1795_status_v1.html"), "text/html; charset=utf-8");
  m_site.put("/bill/2025-26/hb/1795/1/", states("wa_2025-26_HB1795_text_1_original.md"),
             "text/markdown; charset=utf-8");
  run();
  std::size_t seen = m_store->history("WA-2025-HB-1795")->events.size();

  // A redesign: the hearings are no longer headings.
  std::string redesigned = states("wa_2025-26_HB1795_status_v1.html");
  for (auto at = redesigned.find("<h3>"); at != std::string::npos; at = redesigned.find("<h3>")) {
    redesigned.replace(at, 4, "<div class=\"hearing\">");
  }
  for (auto at = redesigned.find("</h3>"); at != std::string::npos; at = redesigned.find("</h3>")) {
    redesigned.replace(at, 5, "</div>");
  }
  m_site.put(k_wa_page, redesigned, "text/html; charset=utf-8");
  for (int i = 1; i <= 2; ++i) {
    RunSummary summary = run();
    EXPECT_EQ(summary.failed, 0) << "run " << i << ": not yet unhealthy: " << m_log.str();
    ASSERT_FALSE(summary.warnings.empty());
    EXPECT_NE(summary.warnings[0].find("selector actions = \"h3\" matched before and has matched "
                                       "nothing for " +
                                       std::to_string(i) + " run"),
              std::string::npos)
        << summary.warnings[0];
    EXPECT_EQ(m_store->history("WA-2025-HB-1795")->events.size(), seen) << "nothing stored";
  }
  RunSummary third = run();
  ASSERT_EQ(third.errors.size(), 1u) << m_log.str();
  EXPECT_NE(third.errors[0].find("for 3 runs: the page layout probably changed"),
            std::string::npos);
  EXPECT_EQ(kinds_since("WA-2025-HB-1795", seen),
            std::vector<EventKind>{EventKind::SourceUnhealthy});
  RunSummary fourth = run();
  EXPECT_EQ(fourth.failed, 1) << "still failing, and said so";
  EXPECT_EQ(m_store->history("WA-2025-HB-1795")->events.size(), seen + 1) << "one event, once";
  EXPECT_EQ(m_store->history("WA-2025-HB-1795")->actions.size(), 1u) << "nothing lost";

  // Fixed: the page reads again.
  m_site.put(k_wa_page, states("wa_2025-26_HB1795_status_v1.html"), "text/html; charset=utf-8");
  RunSummary fixed = run();
  EXPECT_EQ(fixed.failed, 0) << m_log.str();
}

TEST_F(SelectorSourceTest, MissouriSenateActionsAndVersions) {
  load("mo-senate.toml", {"/11info/BTS_Web/Actions.aspx", "/11info/BTS_Web/BillText.aspx"});
  m_site.put("/11info/BTS_Web/Actions.aspx", states("mo_openstates_test_billactions.html"),
             "text/html");
  // Its version links point at senate.mo.gov: here at loopback, where they are missing.
  m_site.put("/11info/BTS_Web/BillText.aspx",
             relinked(states("mo_openstates_test_billversions.html"), "http://www.senate.mo.gov",
                      m_http.url("")),
             "text/html");
  RunSummary summary = run();
  auto sb1 = m_store->history("MO-2011-SB-1");
  ASSERT_TRUE(sb1) << m_log.str();
  EXPECT_EQ(sb1->bill.bill.title,
            "Bars employers from requiring employees to engage in or cease engaging in certain "
            "labor practices");
  ASSERT_GE(sb1->actions.size(), 10u);
  EXPECT_EQ(sb1->actions[0].action.date, "2010-12-01");
  EXPECT_EQ(sb1->actions[0].action.text, "Prefiled");
  // SB 70's four version PDFs are not in the fixtures: each missing one is an error
  // naming its URL, and the bill is still stored.
  auto sb70 = m_store->history("MO-2011-SB-70");
  ASSERT_TRUE(sb70);
  EXPECT_EQ(summary.failed, 4) << m_log.str();
  for (const auto& e : summary.errors) {
    EXPECT_NE(e.find("source 'mo-sb70-versions': " + m_http.url("/11info/pdf-bill/")),
              std::string::npos)
        << e;
  }
}

TEST_F(SelectorSourceTest, SouthCarolinaBillPage) {
  load("sc-s494.toml", {"/billsearch.php"});
  // The page links its full text on www.scstatehouse.gov: here at loopback, same path.
  m_site.put(
      "/billsearch.php",
      relinked(states("sc_openstates_bill494.html"), "http://www.scstatehouse.gov", m_http.url("")),
      "text/html");
  m_site.put("/sess119_2011-2012/bills/494.htm", states("sc_openstates_494_fulltext.htm"),
             "text/html");
  RunSummary summary = run();
  auto s494 = m_store->history("SC-2011-S-494");
  ASSERT_TRUE(s494) << m_log.str();
  EXPECT_EQ(s494->bill.bill.title.rfind("S 0494 General Bill", 0), 0u) << s494->bill.bill.title;
  ASSERT_GE(s494->actions.size(), 3u);
  EXPECT_EQ(s494->actions[0].action.date, "2011-02-02");
  EXPECT_EQ(s494->actions[0].action.text.rfind("Introduced and read first time", 0), 0u);
  EXPECT_EQ(summary.failed, 0) << m_log.str();
  ASSERT_EQ(s494->versions.size(), 1u);
  EXPECT_EQ(s494->versions[0].label, "View full text");
  EXPECT_EQ(s494->versions[0].provenance.url, m_http.url("/sess119_2011-2012/bills/494.htm"));
}

TEST_F(SelectorSourceTest, ABadSelectorIsAConfigErrorWithItsLine) {
  std::string text =
      "[[source]]\ntype = \"html\"\nname = \"x\"\njurisdiction = \"WA\"\n"
      "urls = [\"https://example.org/\"]\n[source.selectors]\ntitle = \"h1\"\n"
      "actions = \"tr:first-child\"\n";
  config::Config config = config::parse_config(text, "bw.toml", ".");
  try {
    sources::check_sources(config);
    FAIL() << "accepted";
  } catch (const config::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()),
              "bw.toml:8: source[0].selectors.actions: selector 'tr:first-child': unsupported "
              "pseudo-class ':first-child' (only :nth-child(n)) at character 15");
  }
}

}  // namespace
}  // namespace billwatch::app
