// The command line, driven in process: exit codes, messages, and the commands that read
// and write the database.
#include "billwatch/app/cli.hpp"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <sstream>

#include "billwatch/config/config.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/curl_global.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/notifier/tokens.hpp"
#include "billwatch/store/run_lock.hpp"
#include "billwatch/store/store.hpp"
#include "cli_runner.hpp"
#include "files.hpp"
#include "loopback_http_server.hpp"
#include "smtp_server_process.hpp"

namespace billwatch::app {
namespace {

using test::TempDir;

using test::cli;
using test::CliResult;

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_config = m_dir.file("bw.toml");
    test::write_file(m_config, "[database]\npath = \"" + m_dir.file("bw.db") + "\"\n");
  }
  crawler::CurlGlobal m_curl;
  TempDir m_dir;
  std::string m_config;
  test::ScopedEnv m_no_env{"BILLWATCH_CONFIG", nullptr};
};

TEST_F(CliTest, VersionAndHelp) {
  auto version = cli({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_NE(version.out.find("billwatch " BILLWATCH_VERSION), std::string::npos);
  auto help = cli({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("Exit codes: 0 ok; 1 some sources failed"), std::string::npos);
  auto run_help = cli({"run", "--help"});
  EXPECT_EQ(run_help.code, 0);
  EXPECT_NE(run_help.out.find("--json"), std::string::npos);
}

TEST_F(CliTest, UsageErrorsExitWith2) {
  EXPECT_EQ(cli({}).code, 2);
  EXPECT_EQ(cli({"frobnicate"}).code, 2);
  EXPECT_EQ(cli({"history"}).code, 2);
  auto bad_address = cli({"--config", m_config, "subscribe", "--confirmed", "not-an-address"});
  EXPECT_EQ(bad_address.code, 2);
  EXPECT_NE(bad_address.err.find("'not-an-address' is not a valid mail address"),
            std::string::npos);
  auto bad_jurisdiction = cli({"--config", m_config, "subscribe", "--confirmed", "a@example.org",
                               "--jurisdiction", "Wash"});
  EXPECT_EQ(bad_jurisdiction.code, 2);
}

TEST_F(CliTest, BrokenConfigExitsWith2AndNamesFileAndLine) {
  test::write_file(m_config, "[crawler]\ntimeout_s = 30\nper_host = 4\n");
  auto result = cli({"--config", m_config, "run"});
  EXPECT_EQ(result.code, 2);
  EXPECT_NE(result.err.find(m_config + ":3: crawler.per_host: unknown key"), std::string::npos)
      << result.err;
  auto missing = cli({"--config", m_dir.file("absent.toml"), "bills"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("absent.toml: cannot read config file"), std::string::npos);
}

TEST_F(CliTest, InitWritesTheExampleAndRefusesToOverwrite) {
  std::string path = m_dir.file("new.toml");
  auto first = cli({"init", path});
  EXPECT_EQ(first.code, 0) << first.err;
  EXPECT_EQ(test::read_file(path), config::example_config_text());
  EXPECT_NO_THROW(config::load_config(path));
  auto again = cli({"init", path});
  EXPECT_EQ(again.code, 2);
  EXPECT_NE(again.err.find("already exists; use --force"), std::string::npos);
  EXPECT_EQ(cli({"init", path, "--force"}).code, 0);
}

// `forget` leaves nothing of an address: its subscriber row, subscriptions and ledger rows.
TEST_F(CliTest, ForgetDeletesAnAddressCompletely) {
  ASSERT_EQ(cli({"--config", m_config, "subscribe", "--confirmed", "p@example.org",
                 "--jurisdiction", "WA"})
                .code,
            0);
  ASSERT_EQ(cli({"--config", m_config, "subscribe", "--confirmed", "q@example.org"}).code, 0);
  {
    store::Store db = store::Store::open(m_dir.file("bw.db"));
    store::NewVersion v;
    v.bill.id = "WA-2025-HB-1795";
    v.bill.jurisdiction = "WA";
    v.bill.title = "HB 1795";
    v.bill.url = "https://app.leg.wa.gov/";
    v.text = "No school may place a student in seclusion.";
    v.provenance.url = v.bill.url;
    auto saved = db.save_version(v, 1000);
    for (const auto& s : db.subscribers()) db.mark_sending(s.id, saved.event_id, 1001);
  }
  auto count = [&](const std::string& sql) {
    SQLite::Database db(m_dir.file("bw.db"), SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getInt();
  };
  ASSERT_EQ(count("SELECT COUNT(*) FROM deliveries"), 2);
  auto forgot = cli({"--config", m_config, "forget", "P@example.org"});
  EXPECT_EQ(forgot.code, 0) << forgot.err;
  EXPECT_NE(forgot.out.find("forgot P@example.org"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) FROM subscribers WHERE email = 'p@example.org'"), 0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM subscriptions s LEFT JOIN subscribers b ON b.id = "
                  "s.subscriber_id WHERE b.id IS NULL"),
            0);
  EXPECT_EQ(count("SELECT COUNT(*) FROM deliveries"), 1) << "q@example.org's row stays";
  auto again = cli({"--config", m_config, "forget", "p@example.org"});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("p@example.org is not in the database"), std::string::npos);
}

TEST_F(CliTest, SubscribeListUnsubscribe) {
  EXPECT_EQ(cli({"--config", m_config, "subscribe", "--confirmed", "p@example.org",
                 "--jurisdiction", "wa", "--jurisdiction", "US"})
                .code,
            0);
  auto list = cli({"--config", m_config, "subscribers", "--json"});
  ASSERT_EQ(list.code, 0);
  auto json = nlohmann::json::parse(list.out);
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["email"], "p@example.org");
  ASSERT_EQ(json[0]["subscriptions"].size(), 1u);
  EXPECT_EQ(json[0]["subscriptions"][0]["jurisdictions"], nlohmann::json::array({"WA", "US"}));
  EXPECT_EQ(json[0]["frequency"], "immediate");

  // A second subscription: moves of one federal bill to enactment, in a weekly digest.
  auto more = cli({"--config", m_config, "subscribe", "--confirmed", "p@example.org", "--bill",
                   "US-119-HR-6617", "--stage", "enacted", "--keyword", "Students", "--digest",
                   "weekly", "--name", "Pat"});
  ASSERT_EQ(more.code, 0) << more.err;
  EXPECT_EQ(more.out,
            "added a subscription for p@example.org: bills US-119-HR-6617; events "
            "status_changed; stages enacted; keywords Students; alerts weekly (for all of this "
            "address's subscriptions)\n")
      << "the frequency is said, and that it is the address's";
  // Categories by id or by name, any case; a typo gets the nearest one.
  auto named = cli({"--config", m_config, "subscribe", "--confirmed", "p@example.org", "--category",
                    "ban on SECLUSION"});
  ASSERT_EQ(named.code, 0) << named.err;
  EXPECT_NE(named.out.find("categories seclusion_ban"), std::string::npos) << named.out;
  auto typo = cli({"--config", m_config, "subscribe", "--confirmed", "p@example.org", "--category",
                   "prone_ban"});
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("--category 'prone_ban' is not a provision category; did you mean "
                          "prone_restraint_ban (Ban on prone and other dangerous restraint)?"),
            std::string::npos)
      << typo.err;
  auto help = cli({"subscribe", "--help"});
  EXPECT_NE(help.out.find("permissive_use (Permission to restrain or seclude)"), std::string::npos)
      << "the categories are listed in --help";
  auto listed = cli({"--config", m_config, "subscriptions", "p@example.org"});
  ASSERT_EQ(listed.code, 0) << listed.err;
  EXPECT_NE(listed.out.find("p@example.org (Pat)  weekly"), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find("  - jurisdictions WA,US\n"), std::string::npos) << listed.out;
  // Bad filters are usage errors (exit 2), naming the flag.
  auto bad_event =
      cli({"--config", m_config, "subscribe", "--confirmed", "p@example.org", "--event", "moved"});
  EXPECT_EQ(bad_event.code, 2);
  EXPECT_NE(bad_event.err.find("--event 'moved'"), std::string::npos) << bad_event.err;
  auto bad_digest = cli(
      {"--config", m_config, "subscribe", "--confirmed", "p@example.org", "--digest", "hourly"});
  EXPECT_EQ(bad_digest.code, 2);
  auto bad_name = cli(
      {"--config", m_config, "subscribe", "--confirmed", "p@example.org", "--name", "a\r\nBcc: x"});
  EXPECT_EQ(bad_name.code, 2) << "header injection through the name";

  EXPECT_EQ(cli({"--config", m_config, "unsubscribe", "p@example.org"}).code, 0);
  auto again = cli({"--config", m_config, "unsubscribe", "p@example.org"});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("is not subscribed"), std::string::npos);
}

TEST_F(CliTest, UnsubscribeWithATokenFromAnAlert) {
  ASSERT_EQ(cli({"--config", m_config, "subscribe", "--confirmed", "p@example.org"}).code, 0);
  ASSERT_EQ(cli({"--config", m_config, "subscribe", "--confirmed", "q@example.org"}).code, 0);
  // A forged token is refused; the secret is made on first use, readable by its owner only.
  auto forged = cli({"--config", m_config, "unsubscribe", "--token", "1-0123456789abcdef"});
  EXPECT_EQ(forged.code, 1);
  EXPECT_NE(forged.err.find("this unsubscribe token is not valid"), std::string::npos);
  std::string secret_file = m_dir.file("billwatch.secret");
  struct stat info {};
  ASSERT_EQ(::stat(secret_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::string secret = test::read_file(secret_file);
  secret.resize(secret.find('\n'));
  // The token an alert to q@example.org (subscriber 2) carries unsubscribes q, and only q.
  auto done =
      cli({"--config", m_config, "unsubscribe", "--token", notifier::unsubscribe_token(secret, 2)});
  EXPECT_EQ(done.code, 0) << done.err;
  EXPECT_EQ(done.out, "unsubscribed q@example.org\n");
  // The same token again (a second click) is success; the mailto: subject form works too.
  auto twice = cli({"--config", m_config, "unsubscribe", "--token",
                    "unsubscribe " + notifier::unsubscribe_token(secret, 2)});
  EXPECT_EQ(twice.code, 0) << twice.err;
  EXPECT_EQ(twice.out, "already unsubscribed\n");
  auto list = nlohmann::json::parse(cli({"--config", m_config, "subscribers", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["email"], "p@example.org");
  EXPECT_EQ(cli({"--config", m_config, "unsubscribe"}).code, 2) << "an address or a token";
}

// Without --confirmed the operator's `subscribe` sends the same confirmation mail as the
// web's form and subscribes no one; `subscribers` lists the request as pending; `forget`
// deletes the request too.
TEST_F(CliTest, SubscribeWithoutConfirmedMailsAConfirmationAndWaits) {
  auto no_mail = cli({"--config", m_config, "subscribe", "p@example.org", "--jurisdiction", "WA"});
  EXPECT_EQ(no_mail.code, 2);
  EXPECT_NE(no_mail.err.find("no [smtp] section"), std::string::npos) << no_mail.err;
  EXPECT_NE(no_mail.err.find("--confirmed"), std::string::npos);
  if (!test::SmtpServerProcess::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  test::SmtpServerProcess smtp;
  std::string smtp_section =
      "\"\n[smtp]\nurl = \"" + smtp.url() + "\"\nfrom = \"alerts@example.org\"\n";
  test::write_file(m_config, "[database]\npath = \"" + m_dir.file("bw.db") + smtp_section);
  auto no_site = cli({"--config", m_config, "subscribe", "p@example.org"});
  EXPECT_EQ(no_site.code, 2);
  EXPECT_NE(no_site.err.find("[web] base_url"), std::string::npos) << no_site.err;

  test::write_file(m_config, "[database]\npath = \"" + m_dir.file("bw.db") + smtp_section +
                                 "[web]\nbase_url = \"https://alerts.example.org\"\n");
  auto asked = cli({"--config", m_config, "subscribe", "p@example.org", "--jurisdiction", "WA",
                    "--digest", "weekly"});
  EXPECT_EQ(asked.code, 0) << asked.err;
  EXPECT_NE(asked.out.find("sent a confirmation mail to p@example.org"), std::string::npos);
  auto messages = smtp.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0]["text"].get<std::string>().find("https://alerts.example.org/confirm/"),
            std::string::npos);
  EXPECT_NE(messages[0]["text"].get<std::string>().find("in Washington"), std::string::npos);

  auto list = nlohmann::json::parse(cli({"--config", m_config, "subscribers", "--json"}).out);
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["status"], "pending");
  EXPECT_EQ(list[0]["frequency"], "weekly");
  auto text = cli({"--config", m_config, "subscriptions"});
  EXPECT_NE(text.out.find("waiting for confirmation:\np@example.org  weekly"), std::string::npos)
      << text.out;
  {
    store::Store db = store::Store::open(m_dir.file("bw.db"));
    EXPECT_TRUE(db.subscribers().empty()) << "no one is subscribed before the link is opened";
  }
  EXPECT_EQ(cli({"--config", m_config, "forget", "p@example.org"}).code, 0);
  EXPECT_EQ(nlohmann::json::parse(cli({"--config", m_config, "subscribers", "--json"}).out).size(),
            0u);
}

TEST_F(CliTest, NotifySendsWithoutFetchingAndTheOutboxShowsWhatFailed) {
  if (!test::SmtpServerProcess::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  test::SmtpServerProcess smtp(
      std::map<std::string, std::string>{{"gone@example.org", "550 5.1.1 No such user here"}});
  test::write_file(m_config, "[database]\npath = \"" + m_dir.file("bw.db") +
                                 "\"\n[smtp]\nurl = \"" + smtp.url() +
                                 "\"\nfrom = \"alerts@example.org\"\n");
  ASSERT_EQ(cli({"--config", m_config, "subscribe", "--confirmed", "p@example.org"}).code, 0);
  ASSERT_EQ(cli({"--config", m_config, "subscribe", "--confirmed", "gone@example.org"}).code, 0);
  {
    // An event, as a run would record it.
    store::Store store = store::Store::open(m_dir.file("bw.db"));
    store::NewVersion version;
    version.bill.id = "wa-1";
    version.bill.jurisdiction = "WA";
    version.bill.title = "Student restraint";
    version.bill.url = "https://example.org/wa-1";
    version.text = "Students may not be secluded.";
    version.relevance.relevant = true;  // on topic: off-topic pages alert only --all-pages
    store.save_version(version, 1764325500);
  }
  auto waiting = nlohmann::json::parse(cli({"--config", m_config, "outbox", "--json"}).out);
  ASSERT_EQ(waiting.size(), 2u);
  EXPECT_EQ(waiting[0]["status"], "pending");
  EXPECT_EQ(waiting[0]["why"], "the next run sends it");

  auto sent = cli({"--config", m_config, "notify"});
  EXPECT_EQ(sent.code, 1) << "one alert failed";
  EXPECT_EQ(sent.out, "emails sent 1, failed 1, queued 0\n");
  ASSERT_EQ(smtp.messages().size(), 1u);

  auto failed = cli({"--config", m_config, "outbox"});
  EXPECT_NE(failed.out.find("refused  gone@example.org  event 1 (new_bill, wa-1)"),
            std::string::npos)
      << failed.out;
  EXPECT_NE(failed.out.find("550"), std::string::npos);
  EXPECT_NE(failed.out.find("the mail server refused it; it is not retried"), std::string::npos)
      << "the outbox says why";
  // A retry does not send a refused alert again, nor the sent one.
  auto retried = cli({"--config", m_config, "outbox", "--retry"});
  EXPECT_EQ(retried.out, "emails sent 0, failed 0, queued 0\n") << retried.err;
  EXPECT_EQ(smtp.messages().size(), 1u);
}

TEST_F(CliTest, ASmtpPasswordFileOthersCanReadIsRefused) {
  std::string password = m_dir.file("smtp.pass");
  test::write_file(password, "secret\n");
  ::chmod(password.c_str(), 0644);
  test::write_file(m_config, "[database]\npath = \"" + m_dir.file("bw.db") +
                                 "\"\n[smtp]\nurl = \"smtp://127.0.0.1:9\"\nfrom = "
                                 "\"a@example.org\"\nusername = \"a\"\npassword_file = \"" +
                                 password + "\"\n");
  auto refused = cli({"--config", m_config, "notify"});
  EXPECT_EQ(refused.code, 2);
  EXPECT_NE(refused.err.find("smtp.password_file: '" + password + "' can be read by others"),
            std::string::npos)
      << refused.err;
  ::chmod(password.c_str(), 0600);
  auto nothing = cli({"--config", m_config, "notify"});
  EXPECT_EQ(nothing.code, 0) << nothing.err;  // nothing pending: the server is not needed
}

TEST_F(CliTest, RunWithoutAnyConfigExplainsHowToAddSources) {
  char old_cwd[4096];
  ASSERT_NE(getcwd(old_cwd, sizeof old_cwd), nullptr);
  ASSERT_EQ(chdir(m_dir.path().c_str()), 0);
  auto result = cli({"run"});
  EXPECT_EQ(chdir(old_cwd), 0);
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_NE(result.err.find("no sources configured in (built-in defaults): add [[source]]"),
            std::string::npos)
      << result.err;
  EXPECT_TRUE(std::filesystem::exists(m_dir.file("billwatch.db")));
}

TEST_F(CliTest, RunJsonBillsAndHistory) {
  test::LoopbackHttpServer http;
  http.server().Get("/sb1.html", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("<title>SB 1 Seclusion</title><p>No pupil shall be secluded in a school.</p>",
                    "text/html");
  });
  test::write_file(m_config, "[database]\npath = \"" + m_dir.file("bw.db") +
                                 "\"\n[crawler]\nallow_private = [\"127.0.0.1\"]\n"
                                 "[[source]]\ntype = \"html\"\nname = \"or-sb1\"\n"
                                 "jurisdiction = \"OR\"\nurls = [\"" +
                                 http.url("/sb1.html") + "\", \"" + http.url("/gone") + "\"]\n");
  auto run = cli({"--config", m_config, "run", "--json"});
  EXPECT_EQ(run.code, 1) << "one of the two pages is missing";
  auto summary = nlohmann::json::parse(run.out);
  for (const char* key : {"fetched", "not_modified", "unchanged", "changed", "new", "failed",
                          "emails_sent", "seconds"}) {
    EXPECT_TRUE(summary.contains(key)) << key;
  }
  EXPECT_EQ(summary["new"], 1);
  EXPECT_EQ(summary["failed"], 1);
  EXPECT_NE(run.err.find("error: source 'or-sb1': " + http.url("/gone") + ": HTTP 404"),
            std::string::npos)
      << run.err;

  auto bills = nlohmann::json::parse(cli({"--config", m_config, "bills", "--json"}).out);
  ASSERT_EQ(bills.size(), 1u);
  EXPECT_EQ(bills[0]["id"], "or-sb1/sb1-html");
  EXPECT_EQ(bills[0]["title"], "SB 1 Seclusion");
  EXPECT_EQ(bills[0]["relevant"], true);
  // Names, as the export codebook and the web API give them ("" for a page without
  // actions), never the enum's number.
  EXPECT_EQ(bills[0]["stage"], "");

  auto history = cli({"--config", m_config, "history", "or-sb1/sb1-html", "--json"});
  ASSERT_EQ(history.code, 0);
  auto h = nlohmann::json::parse(history.out);
  EXPECT_EQ(h["versions"].size(), 1u);
  EXPECT_EQ(h["events"][0]["kind"], "new_bill");
  auto nope = cli({"--config", m_config, "history", "nope"});
  EXPECT_EQ(nope.code, 2);
  EXPECT_EQ(nope.err, "billwatch: no bill 'nope'; `billwatch bills` lists them\n");

  auto quiet = cli({"--config", m_config, "run", "--quiet"});
  EXPECT_EQ(quiet.code, 1);
  EXPECT_EQ(quiet.out, "");
  EXPECT_EQ(quiet.err, "error: source 'or-sb1': " + http.url("/gone") + ": HTTP 404\n");

  auto text = cli({"--config", m_config, "bills"});
  EXPECT_NE(text.out.find("or-sb1/sb1-html"), std::string::npos);
}

// Two versions of WA HB 1795 served one after the other, for the researchers' commands.
class ResearchCliTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    m_http.server().Get("/hb1795.md", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(m_page, "text/markdown; charset=utf-8");
    });
    test::write_file(m_config, "[database]\npath = \"" + m_dir.file("bw.db") +
                                   "\"\n[crawler]\nallow_private = [\"127.0.0.1\"]\n"
                                   "[[source]]\ntype = \"html\"\nname = \"wa\"\n"
                                   "jurisdiction = \"WA\"\nbill_id = \"WA-2025-HB-1795\"\n"
                                   "urls = [\"" +
                                   m_http.url("/hb1795.md") + "\"]\n");
    m_page = test::read_fixture("states/wa_2025-26_HB1795_text_1_original.md");
    EXPECT_EQ(cli({"--config", m_config, "run", "--quiet"}).code, 0);
    m_page = test::read_fixture("states/wa_2025-26_HB1795_text_S_substitute.md");
    EXPECT_EQ(cli({"--config", m_config, "run", "--quiet"}).code, 0);
  }
  test::LoopbackHttpServer m_http;
  std::string m_page;
};

TEST_F(ResearchCliTest, ShowHistoryAndBillsFilters) {
  auto show = cli({"--config", m_config, "show", "WA-2025-HB-1795"});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_NE(show.out.find("2 version(s)"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("concerns restraint/seclusion of students"), std::string::npos);
  auto show_json = nlohmann::json::parse(
      cli({"--config", m_config, "show", "WA-2025-HB-1795", "--json", "--text"}).out);
  EXPECT_EQ(
      show_json["latest"]["text"],
      crawler::normalize_text(test::read_fixture("states/wa_2025-26_HB1795_text_S_substitute.md")));

  auto history = cli({"--config", m_config, "history", "WA-2025-HB-1795", "--csv"});
  ASSERT_EQ(history.code, 0);
  EXPECT_EQ(history.out.rfind(
                "date,kind,version,label,stage,chamber,text,category,change,content_hash\r\n", 0),
            0u)
      << history.out;
  // Fields, not prose: each version, and each category it added or removed, on its own row.
  EXPECT_NE(history.out.find(",version,1,\"HB 1795 - Student restraint, isolation\","),
            std::string::npos)
      << history.out;
  EXPECT_NE(history.out.find(",provision,2,,,,,seclusion_ban,removed,"), std::string::npos)
      << history.out;

  auto csv = cli({"--config", m_config, "bills", "--csv", "--jurisdiction", "wa"});
  EXPECT_NE(csv.out.find("\r\nWA-2025-HB-1795,WA,"), std::string::npos) << csv.out;
  auto other = cli({"--config", m_config, "bills", "--jurisdiction", "OR", "--json"});
  EXPECT_EQ(nlohmann::json::parse(other.out).size(), 0u);
  auto before = cli({"--config", m_config, "bills", "--as-of", "2000-01-01", "--json"});
  EXPECT_EQ(nlohmann::json::parse(before.out).size(), 0u) << "not known in 2000";
  auto bad_stage = cli({"--config", m_config, "bills", "--stage", "passed"});
  EXPECT_EQ(bad_stage.code, 2);
  EXPECT_NE(bad_stage.err.find("expected one of introduced, in_committee"), std::string::npos);
  auto history_json = nlohmann::json::parse(
      cli({"--config", m_config, "history", "WA-2025-HB-1795", "--json"}).out);
  EXPECT_EQ(history_json["versions"][0]["content_hash"].get<std::string>().size(), 64u);
  auto bad_date = cli({"--config", m_config, "bills", "--as-of", "2025-02-30"});
  EXPECT_EQ(bad_date.code, 2);
  EXPECT_EQ(bad_date.err, "billwatch: --as-of '2025-02-30': expected a date such as 2025-03-01\n");
}

TEST_F(ResearchCliTest, DiffBetweenTheTwoVersions) {
  auto diff = cli({"--config", m_config, "diff", "WA-2025-HB-1795"});
  ASSERT_EQ(diff.code, 0) << diff.err;
  EXPECT_EQ(diff.out.rfind("--- WA-2025-HB-1795 version 1 (", 0), 0u) << diff.out.substr(0, 200);
  EXPECT_NE(diff.out.find("+++ WA-2025-HB-1795 version 2 ("), std::string::npos);
  EXPECT_NE(diff.out.find("@@ "), std::string::npos);
  EXPECT_EQ(diff.out.find('\x1b'), std::string::npos) << "no colour when not a terminal";
  auto colored = cli({"--config", m_config, "diff", "WA-2025-HB-1795", "--color", "always"});
  EXPECT_NE(colored.out.find("\x1b[31m[-"), std::string::npos);
  auto html = cli({"--config", m_config, "diff", "WA-2025-HB-1795", "--format", "html"});
  EXPECT_NE(html.out.find("<del>"), std::string::npos);
  auto same = cli({"--config", m_config, "diff", "WA-2025-HB-1795", "--from", "2", "--to", "2"});
  EXPECT_NE(same.out.find("(the texts are identical)"), std::string::npos);
  auto missing = cli({"--config", m_config, "diff", "WA-2025-HB-1795", "--from", "9"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("no version 9 of WA-2025-HB-1795"), std::string::npos);
}

TEST_F(ResearchCliTest, SearchExportAndBackup) {
  auto search = cli({"--config", m_config, "search", "\"mechanical restraint\"", "--json"});
  ASSERT_EQ(search.code, 0) << search.err;
  auto hits = nlohmann::json::parse(search.out);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0]["bill_id"], "WA-2025-HB-1795");
  EXPECT_NE(hits[0]["snippet"].get<std::string>().find("[Mechanical restraint]"), std::string::npos)
      << hits[0]["snippet"];
  auto bad = cli({"--config", m_config, "search", "( * )"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "billwatch: search: the query has no word to search for\n");
  auto odd = cli({"--config", m_config, "search", "AND ("});
  EXPECT_EQ(odd.code, 0) << "searched as a word: " << odd.err;

  auto exported =
      cli({"--config", m_config, "export", "--format", "json", "--out", m_dir.file("export")});
  ASSERT_EQ(exported.code, 0) << exported.err;
  EXPECT_NE(exported.out.find("codebook.md"), std::string::npos);
  auto versions = nlohmann::json::parse(test::read_file(m_dir.file("export/versions.json")));
  EXPECT_EQ(versions.size(), 2u);

  auto backup = cli({"--config", m_config, "backup", m_dir.file("copy.db")});
  ASSERT_EQ(backup.code, 0) << backup.err;
  auto again = cli({"--config", m_config, "backup", m_dir.file("copy.db")});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("already exists"), std::string::npos);
}

// Versions a person can name: numbers per bill, sections, and what researchers load.
TEST_F(ResearchCliTest, VersionNumbersSectionsAndStandaloneHtml) {
  auto v1 = cli({"--config", m_config, "show", "WA-2025-HB-1795", "--version", "1", "--section",
                 "3(b)", "--text"});
  ASSERT_EQ(v1.code, 0) << v1.err;
  EXPECT_NE(v1.out.find("version 1 of 2"), std::string::npos) << v1.out;
  EXPECT_NE(v1.out.find("prohibited from isolating any student in prekindergarten through grade "
                        "five"),
            std::string::npos)
      << v1.out;
  EXPECT_NE(v1.out.find("seclusion_ban (Sec. 3(b))"), std::string::npos) << "its provisions";
  EXPECT_EQ(v1.out.find("definition (Sec. 2"), std::string::npos) << "only the section's";
  auto same = cli({"--config", m_config, "show", "WA-2025-HB-1795", "--version", "1", "--section",
                   "Sec. 3(b)", "--text"});
  EXPECT_EQ(same.out.substr(same.out.find("concerns")), v1.out.substr(v1.out.find("concerns")))
      << "'Sec. 3(b)' and '3(b)' name one section";
  auto none = cli({"--config", m_config, "show", "WA-2025-HB-1795", "--version", "3"});
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("no version 3 of WA-2025-HB-1795"), std::string::npos);
  auto json = nlohmann::json::parse(
      cli({"--config", m_config, "show", "WA-2025-HB-1795", "--version", "2", "--json"}).out);
  EXPECT_EQ(json["version"]["version"], 2);
  EXPECT_EQ(json["latest_version"], 2);

  auto section_diff = cli({"--config", m_config, "diff", "WA-2025-HB-1795", "--from", "1", "--to",
                           "2", "--section", "3(b)"});
  ASSERT_EQ(section_diff.code, 0) << section_diff.err;
  EXPECT_NE(section_diff.out.find("[-"), std::string::npos) << section_diff.out;
  auto full = cli({"--config", m_config, "diff", "WA-2025-HB-1795"});
  EXPECT_EQ(full.out.find("## "), std::string::npos) << "Markdown heading marks are not text";
  EXPECT_NE(full.out.find("@@ Section 1 @@"), std::string::npos);
  auto html = cli({"--config", m_config, "diff", "WA-2025-HB-1795", "--format", "html"});
  EXPECT_EQ(html.out.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u) << html.out.substr(0, 80);
  EXPECT_NE(html.out.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.out.find("<style>"), std::string::npos);
  EXPECT_EQ(html.out.find("## "), std::string::npos);
  EXPECT_EQ(html.out.substr(html.out.size() - 8), "</html>\n");

  // A phrase only the Original has is listed in version 1 only.
  auto only_first = nlohmann::json::parse(
      cli({"--config", m_config, "search", "\"prekindergarten through grade five\"", "--json"})
          .out);
  ASSERT_EQ(only_first.size(), 1u);
  EXPECT_EQ(only_first[0]["versions"], nlohmann::json::array({1}));
  auto text = cli({"--config", m_config, "search", "\"prekindergarten through grade five\""});
  EXPECT_NE(text.out.find("  version 1: "), std::string::npos) << text.out;

  // "Which bills removed a seclusion ban since January?"
  auto removed = nlohmann::json::parse(cli({"--config", m_config, "bills", "--removed-category",
                                            "seclusion_ban", "--since", "2000-01-01", "--json"})
                                           .out);
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0]["id"], "WA-2025-HB-1795");
  auto added = nlohmann::json::parse(
      cli({"--config", m_config, "bills", "--added-category", "permissive_use", "--json"}).out);
  EXPECT_EQ(added.size(), 1u) << "the Substitute adds the IEP restraint permission";
  auto later = nlohmann::json::parse(cli({"--config", m_config, "bills", "--added-category",
                                          "permissive_use", "--since", "2999-01-01", "--json"})
                                         .out);
  EXPECT_EQ(later.size(), 0u);
  auto typo = cli({"--config", m_config, "bills", "--added-category", "prone_ban"});
  EXPECT_EQ(typo.code, 2);
  EXPECT_NE(typo.err.find("'prone_ban' is not a provision category"), std::string::npos);
}

// The export read back as a researcher would: Python's csv module.
TEST_F(ResearchCliTest, ExportTablesLoadInPython) {
  std::string out = m_dir.file("export");
  auto exported = cli({"--config", m_config, "export", "--out", out});
  ASSERT_EQ(exported.code, 0) << exported.err;
  std::string script = m_dir.file("read.py");
  test::write_file(script, R"py(import csv, json, sys
d = sys.argv[1]
def rows(name):
    with open(d + "/" + name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
bills = rows("bills.csv")
provisions = rows("provisions.csv")
changes = rows("provision_changes.csv")
versions = rows("versions.csv")
print(json.dumps({
  "bill": bills[0]["id"], "latest": bills[0]["latest_version"], "relevant": bills[0]["relevant"],
  "categories": bills[0]["categories"],
  "version_numbers": sorted({v["version"] for v in versions}),
  "provision_columns": list(provisions[0].keys()),
  "provision_versions": sorted({p["version"] for p in provisions}),
  "change_columns": list(changes[0].keys()),
  "removed_seclusion": [c for c in changes if c["change"] == "removed" and c["category"] == "seclusion_ban"],
  "added_permissive": [c for c in changes if c["change"] == "added" and c["category"] == "permissive_use"],
}))
)py");
  std::string result_file = m_dir.file("read.json");
  ASSERT_EQ(std::system(("python3 " + script + " " + out + " > " + result_file).c_str()), 0);
  auto r = nlohmann::json::parse(test::read_file(result_file));
  EXPECT_EQ(r["bill"], "WA-2025-HB-1795");
  EXPECT_EQ(r["latest"], "2");
  EXPECT_EQ(r["relevant"], "1");
  EXPECT_NE(r["categories"].get<std::string>().find("permissive_use"), std::string::npos);
  EXPECT_EQ(r["version_numbers"], nlohmann::json::array({"1", "2"}));
  EXPECT_EQ(
      r["provision_columns"],
      nlohmann::json::array({"bill_id", "version", "category", "section", "excerpt", "start_offset",
                             "end_offset", "exceptions", "deadline", "confidence", "version_id"}));
  EXPECT_EQ(r["provision_versions"], nlohmann::json::array({"1", "2"}));
  EXPECT_EQ(
      r["change_columns"],
      nlohmann::json::array({"bill_id", "date", "from_version", "to_version", "change", "category",
                             "old_section", "new_section", "old_excerpt", "new_excerpt"}));
  ASSERT_FALSE(r["removed_seclusion"].empty());
  EXPECT_EQ(r["removed_seclusion"][0]["from_version"], "1");
  EXPECT_EQ(r["removed_seclusion"][0]["to_version"], "2");
  EXPECT_NE(r["removed_seclusion"][0]["old_excerpt"].get<std::string>().find("prekindergarten"),
            std::string::npos);
  EXPECT_EQ(r["removed_seclusion"][0]["new_section"], "");
  ASSERT_FALSE(r["added_permissive"].empty());
  std::string codebook = test::read_file(out + "/codebook.md");
  for (const char* words : {"## provision_changes.csv", "| `prone_restraint_ban` |",
                            "| `permissive_use` | Permission to restrain or seclude |"}) {
    EXPECT_NE(codebook.find(words), std::string::npos) << words;
  }
}

TEST_F(CliTest, AnalyzeFilesAndDiffThem) {
  std::string original = test::fixture_path("states/wa_2025-26_HB1795_text_1_original.md");
  std::string substitute = test::fixture_path("states/wa_2025-26_HB1795_text_S_substitute.md");
  std::string pdf = test::fixture_path("states/pdf/wy_2026_HB0065_Introduced.pdf");
  auto json = cli({"analyze", original, m_dir.file("missing.txt"), pdf, "--json"});
  EXPECT_EQ(json.code, 1) << "one file could not be read";
  EXPECT_EQ(json.err, "billwatch: " + m_dir.file("missing.txt") + ": cannot read the file\n");
  std::istringstream lines(json.out);
  std::string line;
  std::vector<nlohmann::json> results;
  while (std::getline(lines, line)) results.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(results.size(), 2u) << "the others are still analysed, one object per line";
  EXPECT_EQ(results[0]["file"], original);
  EXPECT_EQ(results[0]["relevant"], true);
  const auto& first = results[0]["provisions"][0];
  for (const char* key :
       {"category", "section", "excerpt", "start", "end", "exceptions", "deadline", "confidence"}) {
    EXPECT_TRUE(first.contains(key)) << key;
  }
  EXPECT_EQ(results[1]["relevant"], true);
  EXPECT_EQ(results[1]["provisions"].size(), 0u);

  auto diff = cli({"analyze", "--diff", original, substitute});
  EXPECT_EQ(diff.code, 0) << diff.err;
  EXPECT_NE(diff.out.find("removed seclusion_ban in Sec. 3"), std::string::npos) << diff.out;
  EXPECT_NE(diff.out.find("added permissive_use in Sec. 2"), std::string::npos);
  EXPECT_EQ(cli({"analyze", "--diff", original}).code, 2);
}

TEST_F(CliTest, EvalScoresTheDevSet) {
  auto eval = cli({"eval", test::fixture_path("provisions/dev.jsonl"), "--json"});
  ASSERT_EQ(eval.code, 0) << eval.err;
  auto report = nlohmann::json::parse(eval.out);
  EXPECT_EQ(report["passages"], 62);
  EXPECT_GE(report["relevance_precision"].get<double>(), 0.97);
  EXPECT_GE(report["category_f1"].get<double>(), 0.90);
  EXPECT_EQ(report["per_category"].size(), 17u);
  auto table = cli({"eval", test::fixture_path("provisions/dev.jsonl")});
  EXPECT_NE(table.out.find("| prone_restraint_ban |"), std::string::npos);
  test::write_file(m_dir.file("bad.jsonl"), "{\"id\": 1}\n");
  auto bad = cli({"eval", m_dir.file("bad.jsonl")});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find(m_dir.file("bad.jsonl") + ":1: "), std::string::npos) << bad.err;
}

TEST_F(CliTest, ASecondRunExitsAtOnceWhileOneHoldsTheLock) {
  store::RunLock held(m_dir.file("bw.db"));
  auto second = cli({"--config", m_config, "run"});
  EXPECT_EQ(second.code, 1);
  EXPECT_NE(second.err.find("another billwatch run is in progress (" + m_dir.file("bw.db.lock") +
                            " is locked by pid " + std::to_string(getpid()) + ")"),
            std::string::npos)
      << second.err;
  EXPECT_FALSE(std::filesystem::exists(m_dir.file("bw.db"))) << "the database was not touched";
}

}  // namespace
}  // namespace billwatch::app
