// The whole daily cycle, in process: a real HTTP server serving real bill pages, a real
// SQLite file and a real SMTP server.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <sstream>

#include "billwatch/app/run_once.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/curl_global.hpp"
#include "billwatch/crawler/curl_http_client.hpp"
#include "files.hpp"
#include "loopback_http_server.hpp"
#include "manual_clock.hpp"
#include "smtp_server_process.hpp"

namespace billwatch::app {
namespace {

using test::LoopbackHttpServer;
using test::ManualClock;
using test::SmtpServerProcess;
using test::TempDir;

// A page whose content the test can change, served with an ETag that honours
// If-None-Match, as a well-behaved legislature server would.
class ChangingPage {
 public:
  ChangingPage(LoopbackHttpServer& http, const std::string& path, std::string content)
      : m_content(std::move(content)) {
    http.server().Get(path, [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(m_mutex);
      std::string etag = "\"" + sha256_hex(m_content).substr(0, 16) + "\"";
      res.set_header("ETag", etag);
      if (req.get_header_value("If-None-Match") == etag) {
        res.status = 304;
        return;
      }
      res.set_content(m_content, "text/markdown; charset=utf-8");
    });
  }
  void set(std::string content) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_content = std::move(content);
  }

 private:
  std::mutex m_mutex;
  std::string m_content;
};

config::SourceConfig html_source(const std::string& name, const std::string& jurisdiction,
                                 std::vector<std::string> urls) {
  config::SourceConfig source;
  source.type = "html";
  source.name = name;
  source.jurisdiction = jurisdiction;
  source.urls = std::move(urls);
  return source;
}

class RunCycleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_config = config::default_config();
    m_config.database.path = m_dir.file("billwatch.db");
    m_store = std::make_unique<store::Store>(store::Store::open(m_config.database.path));
  }

  RunSummary run(notifier::MailSender* mail) {
    crawler::HttpOptions options;
    options.outbound.allowed_hosts = {"127.0.0.1", "localhost"};  // the loopback test servers
    options.user_agent = "billwatch-test";
    options.timeout_ms = 5000;
    options.retry_base_ms = 10;  // retried failures stay quick; fault_injection_test times them
    crawler::CurlHttpClient http(options);
    m_log.str("");
    m_clock.advance(86400);
    return run_once(m_config, RunDeps{http, *m_store, mail, m_clock, m_log, m_log});
  }

  crawler::CurlGlobal m_curl;
  TempDir m_dir;
  LoopbackHttpServer m_http;
  ManualClock m_clock;
  config::Config m_config;
  std::unique_ptr<store::Store> m_store;
  std::ostringstream m_log;
};

TEST_F(RunCycleTest, TwoVersionsTwoEventsOneMailEachAndNothingOnAnUnchangedRun) {
  if (!SmtpServerProcess::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  SmtpServerProcess smtp;
  ChangingPage page(m_http, "/hb1795.md",
                    test::read_fixture("states/wa_2025-26_HB1795_text_1_original.md"));
  m_config.sources.push_back(html_source("wa-hb1795", "WA", {m_http.url("/hb1795.md")}));
  m_config.smtp = config::SmtpConfig{smtp.url(), "Bill alerts <alerts@example.org>", "", ""};
  m_store->subscribe("wa@example.org", {"WA"}, m_clock.now());
  m_store->subscribe("everything@example.org", {}, m_clock.now());
  m_store->subscribe("texas@example.org", {"TX"}, m_clock.now());
  notifier::SmtpSender mail(notifier::SmtpOptions{smtp.url(), "", "", 10000, 5000});

  RunSummary first = run(&mail);
  EXPECT_EQ(first.fetched, 1);
  EXPECT_EQ(first.new_bills, 1);
  EXPECT_EQ(first.changed, 0);
  EXPECT_EQ(first.failed, 0);
  EXPECT_EQ(first.emails_sent, 2);
  EXPECT_EQ(exit_code(first), 0);

  page.set(test::read_fixture("states/wa_2025-26_HB1795_text_S_substitute.md"));
  RunSummary second = run(&mail);
  EXPECT_EQ(second.fetched, 1);
  EXPECT_EQ(second.new_bills, 0);
  EXPECT_EQ(second.changed, 1);
  // new_version and provisions_changed, in one message to each of the two matching
  // subscribers (one message per subscriber and run).
  EXPECT_EQ(second.emails_sent, 2);

  RunSummary third = run(&mail);
  EXPECT_EQ(third.not_modified, 1);
  EXPECT_EQ(third.fetched, 0);
  EXPECT_EQ(third.changed + third.new_bills, 0);
  EXPECT_EQ(third.emails_sent, 0);

  auto history = m_store->history("wa-hb1795");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->versions.size(), 2u);
  ASSERT_EQ(history->events.size(), 3u);
  EXPECT_EQ(history->events[0].kind, EventKind::NewBill);
  EXPECT_EQ(history->events[1].kind, EventKind::NewVersion);
  EXPECT_EQ(history->events[2].kind, EventKind::ProvisionsChanged);
  EXPECT_EQ(history->events[2].version_id, history->versions[1].id);
  // The analyzer's provisions are stored with each version.
  EXPECT_FALSE(history->versions[0].provisions.empty());
  EXPECT_LT(history->events[0].id, history->events[1].id);
  EXPECT_EQ(history->bill.bill.title, "HB 1795 - Student restraint, isolation");
  EXPECT_TRUE(history->versions[1].relevance.relevant);

  auto messages = smtp.messages();
  ASSERT_EQ(messages.size(), 4u) << "exactly one mail per matching subscriber per run";
  std::multiset<std::string> recipients;
  for (const auto& m : messages) recipients.insert(m["rcpt_tos"][0].get<std::string>());
  EXPECT_EQ(recipients.count("wa@example.org"), 2u);
  EXPECT_EQ(recipients.count("everything@example.org"), 2u);
  EXPECT_EQ(recipients.count("texas@example.org"), 0u);

  EXPECT_EQ(messages[0]["headers"]["Subject"],
            "[billwatch] WA HB 1795 - Student restraint, isolation: now watching");
  const auto& changed = messages[2];
  // The subject says the most important change, in words.
  EXPECT_EQ(changed["headers"]["Subject"],
            "[billwatch] WA HB 1795 - Student restraint, isolation: Removed: Ban on prone and "
            "other dangerous restraint (was Sec. 3(a)(v)) (+51 more)");
  std::string text = changed["text"];
  EXPECT_NE(text.find("The text of this bill changed: billwatch stored version 2"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("paragraphs removed"), std::string::npos);
  // The provisions say what changed; the text's paragraph samples would repeat it at length.
  EXPECT_EQ(text.find("The purpose of this act is to protect students"), std::string::npos);
  EXPECT_NE(text.find("Source: " + m_http.url("/hb1795.md")), std::string::npos);
  // The provision changes are in the same message, under the same bill.
  EXPECT_NE(text.find("Removed: Ban on seclusion"), std::string::npos) << text;
  EXPECT_NE(text.find("Added: Permission to restrain or seclude"), std::string::npos) << text;
  EXPECT_EQ(text.find("seclusion_ban"), std::string::npos) << "no category ids in a mail";
  EXPECT_EQ(text.find("permissive_use"), std::string::npos);
  // Readable in ten seconds: a short mail whose first five changes are the ones that matter
  // (the ban on isolating young students is gone; restraint may now be planned in an IEP).
  std::istringstream lines(text);
  std::string line;
  int count = 0;
  int words = 0;
  std::vector<std::string> changes;
  while (std::getline(lines, line)) {
    ++count;
    std::istringstream w(line);
    for (std::string word; w >> word;) ++words;
    if (line.rfind("  * ", 0) == 0) changes.push_back(line);
  }
  EXPECT_LE(count, 40) << text;
  EXPECT_LE(words, 400) << text;
  ASSERT_GE(changes.size(), 5u) << text;
  std::string first_five;
  for (int i = 0; i < 5; ++i) first_five += changes[static_cast<std::size_t>(i)] + "\n";
  EXPECT_NE(first_five.find("Removed: Ban on seclusion"), std::string::npos) << first_five;
  EXPECT_NE(first_five.find("Added: Permission to restrain or seclude"), std::string::npos)
      << first_five;
  EXPECT_EQ(text.find("Removed: Ban on mechanical restraint"), std::string::npos)
      << "the mechanical-restraint ban moved into one list with the others: not removed";
  // The golden file is this mail as a reader sees it (the port and times made constant);
  // BILLWATCH_UPDATE_GOLDEN=1 rewrites it after a wanted change, for reading in review.
  std::string golden = text;
  for (std::size_t at = golden.find(m_http.url("")); at != std::string::npos;
       at = golden.find(m_http.url(""), at)) {
    golden.replace(at, m_http.url("").size(), "http://127.0.0.1:PORT");
  }
  if (std::size_t token = golden.find("--token "); token != std::string::npos) {
    std::size_t end = golden.find('`', token);
    golden.replace(token + 8, end - token - 8, "TOKEN");  // a new secret every test
  }
  std::string golden_path = test::fixture_path("golden/wa_hb1795_substitute_alert.txt");
  if (std::getenv("BILLWATCH_UPDATE_GOLDEN")) test::write_file(golden_path, golden);
  // tests/render_alert.sh renders this mail's HTML part in headless Chromium.
  if (const char* html_out = std::getenv("BILLWATCH_ALERT_HTML")) {
    test::write_file(html_out, changed["html"].get<std::string>());
  }
  EXPECT_EQ(golden, test::read_file(golden_path)) << golden;
  EXPECT_EQ(text.find("HB 1795 - Student restraint, isolation (WA)"),
            text.rfind("HB 1795 - Student restraint, isolation (WA)"))
      << "the bill's title once, its two events below it";

  // A fourth run, even with the server ignoring validators, changes nothing either.
  RunSummary fourth = run(&mail);
  EXPECT_EQ(fourth.emails_sent, 0);
  EXPECT_EQ(smtp.messages().size(), 4u);
}

TEST_F(RunCycleTest, ServerIgnoringValidatorsIsCaughtByTheContentHash) {
  std::atomic<int> served = 0;
  m_http.server().Get("/page.html", [&](const httplib::Request&, httplib::Response& res) {
    ++served;
    // Different markup and whitespace each time, same text.
    res.set_content("<html><body><p>No student shall be placed in seclusion." +
                        std::string(static_cast<std::size_t>(served.load()), ' ') +
                        "</p></body></html>",
                    "text/html");
  });
  m_config.sources.push_back(html_source("page", "OR", {m_http.url("/page.html")}));
  EXPECT_EQ(run(nullptr).new_bills, 1);
  RunSummary again = run(nullptr);
  EXPECT_EQ(again.fetched, 1);
  EXPECT_EQ(again.unchanged, 1);
  EXPECT_EQ(again.changed, 0);
  EXPECT_EQ(m_store->history("page")->versions.size(), 1u);
}

TEST_F(RunCycleTest, IdenticalBytesAreUnchangedWithoutParsingAndBlockPagesAreNeverStored) {
  std::atomic<int> mode = 0;  // 0: the bill, 1: a Cloudflare challenge instead
  const std::string bill = "<html><body><p>No student shall be secluded.</p></body></html>";
  m_http.server().Get("/bill.html", [&](const httplib::Request&, httplib::Response& res) {
    if (mode == 1) {
      res.status = 403;
      res.set_header("Server", "cloudflare");
      res.set_content("<html><head><title>Just a moment...</title></head></html>", "text/html");
      return;
    }
    res.set_content(bill, "text/html");  // no validators: every run downloads it
  });
  m_config.sources.push_back(html_source("bill", "OR", {m_http.url("/bill.html")}));
  ASSERT_EQ(run(nullptr).new_bills, 1);

  RunSummary same = run(nullptr);
  EXPECT_EQ(same.unchanged, 1);
  auto state = m_store->fetch_state(m_http.url("/bill.html"));
  EXPECT_EQ(state->body_hash, sha256_hex(bill));
  EXPECT_EQ(state->last_outcome, "unchanged");

  mode = 1;
  RunSummary blocked = run(nullptr);
  EXPECT_EQ(blocked.blocked, 1);
  EXPECT_EQ(blocked.failed, 1);
  EXPECT_EQ(blocked.changed, 0);
  EXPECT_EQ(m_store->history("bill")->versions.size(), 1u) << "a challenge page is not a version";
  EXPECT_EQ(m_store->fetch_state(m_http.url("/bill.html"))->last_outcome, "blocked");
  EXPECT_NE(m_log.str().find("blocked: Cloudflare"), std::string::npos) << m_log.str();
}

TEST_F(RunCycleTest, WithoutSmtpAlertsStayQueuedUntilMailIsConfigured) {
  ChangingPage page(m_http, "/bill.md", "# Bill\n\nStudents may not be secluded at school.");
  m_config.sources.push_back(html_source("bill", "WA", {m_http.url("/bill.md")}));
  m_store->subscribe("p@example.org", {}, m_clock.now());
  RunSummary first = run(nullptr);
  EXPECT_EQ(first.emails_queued, 1);
  EXPECT_NE(m_log.str().find("1 alert(s) stay queued"), std::string::npos) << m_log.str();
  EXPECT_EQ(m_store->pending_deliveries(k_max_delivery_attempts).size(), 1u);
}

TEST_F(RunCycleTest, MailServerDownKeepsAlertsForTheNextRun) {
  if (!SmtpServerProcess::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  auto smtp = std::make_unique<SmtpServerProcess>();
  std::string url = smtp->url();
  smtp->stop();
  ChangingPage page(m_http, "/bill.md", "# Bill\n\nStudents may not be secluded at school.");
  m_config.sources.push_back(html_source("bill", "WA", {m_http.url("/bill.md")}));
  m_config.smtp = config::SmtpConfig{url, "alerts@example.org", "", ""};
  m_store->subscribe("p@example.org", {}, m_clock.now());
  {
    notifier::SmtpSender down(notifier::SmtpOptions{url, "", "", 3000, 1000});
    RunSummary first = run(&down);
    EXPECT_EQ(first.emails_sent, 0);
    EXPECT_EQ(first.emails_failed, 0);
    EXPECT_EQ(first.emails_queued, 1) << "nobody answered: it stays queued";
  }
  SmtpServerProcess up;
  m_config.smtp->url = up.url();
  notifier::SmtpSender mail(notifier::SmtpOptions{up.url(), "", "", 10000, 5000});
  RunSummary second = run(&mail);
  EXPECT_EQ(second.emails_sent, 1);
  EXPECT_EQ(up.messages().size(), 1u);
  EXPECT_EQ(run(&mail).emails_sent, 0);
}

TEST_F(RunCycleTest, ARefusedRecipientDoesNotBlockTheOthersAndIsNotRetried) {
  if (!SmtpServerProcess::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  SmtpServerProcess smtp({{"gone@example.org", "550 5.1.1 No such user here"},
                          {"busy@example.org", "451 4.7.1 Greylisted, try again later"}});
  ChangingPage page(m_http, "/bill.md", "# Bill\n\nStudents may not be secluded at school.");
  m_config.sources.push_back(html_source("bill", "WA", {m_http.url("/bill.md")}));
  m_config.smtp = config::SmtpConfig{smtp.url(), "alerts@example.org", "", ""};
  for (const char* who :
       {"a@example.org", "gone@example.org", "busy@example.org", "z@example.org"}) {
    m_store->subscribe(who, {}, m_clock.now());
  }
  notifier::SmtpSender mail(notifier::SmtpOptions{smtp.url(), "", "", 10000, 5000});
  RunSummary first = run(&mail);
  EXPECT_EQ(first.emails_sent, 2) << m_log.str();
  EXPECT_EQ(first.emails_failed, 2);
  EXPECT_EQ(first.emails_queued, 0) << "two refusals are not a server that is down";
  EXPECT_NE(m_log.str().find("gone@example.org"), std::string::npos);
  EXPECT_NE(m_log.str().find("(last server reply 550)"), std::string::npos) << m_log.str();
  std::vector<std::string> received;
  for (const auto& m : smtp.messages()) received.push_back(m["rcpt_tos"][0]);
  EXPECT_EQ(received, (std::vector<std::string>{"a@example.org", "z@example.org"}));
  // Next run: the greylisted delivery is tried again, the refused one is not.
  auto pending = m_store->pending_deliveries(k_max_delivery_attempts);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].subscriber.email, "busy@example.org");
}

TEST_F(RunCycleTest, AnOffTopicPageIsStoredButAlertsOnlyThoseWhoAskedForEveryPage) {
  if (!SmtpServerProcess::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  SmtpServerProcess smtp;
  // A legislature's page about restraint of trade, among the pages a source reads.
  ChangingPage trade(
      m_http, "/trade.txt",
      test::read_fixture("states/az_2016_HB2215_text_restraint_of_trade_negative.txt"));
  m_config.sources.push_back(html_source("az", "AZ", {m_http.url("/trade.txt")}));
  m_config.smtp = config::SmtpConfig{smtp.url(), "alerts@example.org", "", ""};
  m_store->subscribe("parent@example.org", {}, m_clock.now());
  SubscriptionFilter everything;
  everything.all_pages = true;
  m_store->add_subscription("watcher@example.org", "", everything, std::nullopt, m_clock.now());
  notifier::SmtpSender mail(notifier::SmtpOptions{smtp.url(), "", "", 10000, 5000});
  RunSummary summary = run(&mail);
  EXPECT_EQ(summary.new_bills, 1) << "stored: " << m_log.str();
  auto messages = smtp.messages();
  ASSERT_EQ(messages.size(), 1u) << "only the subscriber who asked for every page";
  EXPECT_EQ(messages[0]["rcpt_tos"][0], "watcher@example.org");
  std::string text = messages[0]["text"];
  EXPECT_NE(text.find("The relevance screen found no restraint or seclusion of students"),
            std::string::npos)
      << text;
}

TEST_F(RunCycleTest, ADailyDigestWaitsForTheNextDayAndGroupsByBill) {
  if (!SmtpServerProcess::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  SmtpServerProcess smtp;
  ChangingPage wa(m_http, "/wa.md",
                  test::read_fixture("states/wa_2025-26_HB1795_text_1_original.md"));
  ChangingPage tx(m_http, "/tx.md", "# TX bill\n\nStudents may not be secluded at school.");
  m_config.sources.push_back(html_source("wa", "WA", {m_http.url("/wa.md")}));
  m_config.sources.push_back(html_source("tx", "TX", {m_http.url("/tx.md")}));
  m_config.smtp = config::SmtpConfig{smtp.url(), "alerts@example.org", "", ""};
  m_config.notifier.digest_hour = 7;  // the clock runs at 10:25 UTC
  m_store->add_subscription("daily@example.org", "", {}, Frequency::Daily, m_clock.now());
  m_store->subscribe("now@example.org", {}, m_clock.now());
  notifier::SmtpSender mail(notifier::SmtpOptions{smtp.url(), "", "", 10000, 5000});

  // Day 1, 10:25: two new bills. The first digest goes out at once; the immediate
  // subscriber gets the same two events in one message.
  RunSummary first = run(&mail);
  EXPECT_EQ(first.emails_sent, 2) << m_log.str();
  // Day 1, 11:25: WA's Substitute. The digest waits for tomorrow; the immediate one not.
  wa.set(test::read_fixture("states/wa_2025-26_HB1795_text_S_substitute.md"));
  m_clock.advance(-86400 + 3600);
  RunSummary later = run(&mail);
  EXPECT_EQ(later.emails_sent, 1) << m_log.str();
  ASSERT_EQ(smtp.messages().size(), 3u);
  EXPECT_EQ(smtp.messages()[2]["rcpt_tos"][0], "now@example.org");
  // Day 2, 11:25: the digest with both of WA's events under one heading.
  RunSummary next_day = run(&mail);
  EXPECT_EQ(next_day.emails_sent, 1) << m_log.str();
  auto messages = smtp.messages();
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[3]["rcpt_tos"][0], "daily@example.org");
  EXPECT_EQ(messages[3]["headers"]["Subject"], "[billwatch] Daily digest: 1 bill changed")
      << "a digest says it is one";
  // And nothing twice.
  EXPECT_EQ(run(&mail).emails_sent, 0);
  // The first digest grouped by jurisdiction: TX before WA.
  std::string first_digest;
  for (const auto& m : messages) {
    if (m["rcpt_tos"][0] == "daily@example.org") {
      first_digest = m["text"];
      break;
    }
  }
  EXPECT_LT(first_digest.find("=== TX ==="), first_digest.find("=== WA ===")) << first_digest;
  // For the README's example digest.
  if (const char* digest_out = std::getenv("BILLWATCH_DIGEST_TEXT")) {
    test::write_file(digest_out, first_digest);
  }
}

TEST_F(RunCycleTest, BadSourcesAreReportedAndTheRestStillProcessedWithoutLosingData) {
  // Run 1: every page is fine, so each bill has a stored version.
  ChangingPage good(m_http, "/good.md", "# Good\n\nSchool staff shall not use prone restraint.");
  m_config.sources.push_back(html_source("good", "WA", {m_http.url("/good.md")}));
  m_config.sources.push_back(html_source("flaky", "WA", {m_http.url("/flaky-switch")}));
  std::atomic<bool> flaky_broken = false;
  m_http.server().Get("/flaky-switch", [&](const httplib::Request&, httplib::Response& res) {
    if (flaky_broken) {
      res.status = 500;
      res.set_content("Internal error", "text/plain");
    } else {
      res.set_content("# Flaky\n\nThe first text of the flaky bill.", "text/markdown");
    }
  });
  RunSummary first = run(nullptr);
  ASSERT_EQ(first.new_bills, 2);
  auto flaky_before = m_store->latest_version("flaky");
  ASSERT_TRUE(flaky_before);

  // Run 2: one good page changed, and every kind of bad input beside it.
  good.set("# Good\n\nSchool staff shall not use prone or supine restraint.");
  flaky_broken = true;
  int closed_port;
  {
    LoopbackHttpServer gone;
    closed_port = gone.port();
  }
  std::string unreachable = "http://127.0.0.1:" + std::to_string(closed_port) + "/bill";
  m_http.server().Get("/missing",
                      [](const httplib::Request&, httplib::Response& res) { res.status = 404; });
  m_http.server().Get("/binary", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "image/png");
  });
  m_http.server().Get("/bad-utf8", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<p>" + std::string(100, '\xFF') + "</p>", "text/html; charset=utf-8");
  });
  m_http.server().Get("/stray-byte", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<p>Seclusion \xC3\x28 rooms</p>", "text/html; charset=utf-8");
  });
  m_config.sources.push_back(html_source("unreachable", "WA", {unreachable}));
  m_config.sources.push_back(html_source("missing", "WA", {m_http.url("/missing")}));
  m_config.sources.push_back(html_source("binary", "WA", {m_http.url("/binary")}));
  m_config.sources.push_back(html_source("bad-utf8", "WA", {m_http.url("/bad-utf8")}));
  m_config.sources.push_back(html_source("stray-byte", "WA", {m_http.url("/stray-byte")}));

  RunSummary second = run(nullptr);
  EXPECT_EQ(second.changed, 1) << m_log.str();
  EXPECT_EQ(second.failed, 5) << m_log.str();
  EXPECT_EQ(exit_code(second), 1);
  auto has_error = [&](const std::string& prefix, const std::string& text) {
    for (const auto& e : second.errors) {
      if (e.rfind(prefix, 0) == 0 && e.find(text) != std::string::npos) return true;
    }
    ADD_FAILURE() << "no error starting with '" << prefix << "' containing '" << text << "' in:\n"
                  << m_log.str();
    return false;
  };
  has_error("source 'flaky': " + m_http.url("/flaky-switch") + ": ", "HTTP 500");
  has_error("source 'unreachable': " + unreachable + ": ", "onnect");
  has_error("source 'missing': " + m_http.url("/missing") + ": ", "HTTP 404");
  has_error("source 'binary': " + m_http.url("/binary") + ": ", "binary content (image/png)");
  has_error("source 'bad-utf8': " + m_http.url("/bad-utf8") + ": ",
            "not text in its charset: 100 byte(s) invalid in utf-8, the first at byte 3");
  // One stray byte costs a replacement character and a warning, not the page.
  EXPECT_EQ(second.new_bills, 1) << m_log.str();
  ASSERT_EQ(second.warnings.size(), 1u);
  EXPECT_EQ(second.warnings[0], "source 'stray-byte': " + m_http.url("/stray-byte") +
                                    ": replaced 1 byte(s) invalid in utf-8, the first at byte 13 "
                                    "with U+FFFD");
  EXPECT_EQ(m_store->latest_version("stray-byte")->text, "Seclusion \xEF\xBF\xBD( rooms");

  // Stored data is untouched by the failures, and the failures are recorded per URL.
  auto flaky_after = m_store->latest_version("flaky");
  ASSERT_TRUE(flaky_after);
  EXPECT_EQ(flaky_after->id, flaky_before->id);
  EXPECT_EQ(flaky_after->text, flaky_before->text);
  EXPECT_EQ(m_store->history("flaky")->versions.size(), 1u);
  EXPECT_EQ(m_store->fetch_state(m_http.url("/flaky-switch"))->consecutive_failures, 1);
  EXPECT_EQ(m_store->fetch_state(m_http.url("/flaky-switch"))->last_status, 500);
  EXPECT_FALSE(m_store->history("missing"));
  EXPECT_EQ(m_store->history("good")->versions.size(), 2u);

  // Per-source health: a source whose every page failed counts a failed run.
  SQLite::Database db(m_config.database.path, SQLite::OPEN_READONLY);
  auto health = [&](const std::string& source) {
    SQLite::Statement q(db,
                        "SELECT pages, failures, consecutive_failures, last_error "
                        "FROM source_health WHERE source = ?");
    q.bind(1, source);
    EXPECT_TRUE(q.executeStep()) << source;
    return std::tuple(q.getColumn(0).getInt(), q.getColumn(1).getInt(), q.getColumn(2).getInt(),
                      q.getColumn(3).getString());
  };
  EXPECT_EQ(health("missing"), std::tuple(1, 1, 1, m_http.url("/missing") + ": HTTP 404"));
  EXPECT_EQ(std::get<2>(health("good")), 0);
  EXPECT_EQ(std::get<1>(health("good")), 0);
}

}  // namespace
}  // namespace billwatch::app
