// The record researchers cite: every stored text reads back, old databases are repaired,
// damage is found by `check` and costs a run only the damaged bill. Driven through the
// command line against real pages on loopback, as a newcomer met the bug.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>

#include "billwatch/app/cli.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/curl_global.hpp"
#include "billwatch/store/store.hpp"
#include "cli_runner.hpp"
#include "files.hpp"
#include "loopback_http_server.hpp"
#include "schema.hpp"
#include "smtp_server_process.hpp"
#include "statements.hpp"
#include "texts.hpp"

namespace billwatch::app {
namespace {

using test::TempDir;

using test::cli;
using test::CliResult;

// Pages the test changes between runs, each with its content type.
class Pages {
 public:
  explicit Pages(test::LoopbackHttpServer& http) : m_http(http) {}
  void set(const std::string& path, std::string body, std::string type) {
    std::lock_guard<std::mutex> lock(m_mutex);
    bool fresh = m_pages.count(path) == 0;
    m_pages[path] = {std::move(body), std::move(type)};
    if (!fresh) return;
    m_http.server().Get(path, [this, path](const httplib::Request&, httplib::Response& res) {
      std::lock_guard<std::mutex> guard(m_mutex);
      res.set_content(m_pages[path].first, m_pages[path].second);
    });
  }
  std::string url(const std::string& path) const { return m_http.url(path); }

 private:
  test::LoopbackHttpServer& m_http;
  std::mutex m_mutex;
  std::map<std::string, std::pair<std::string, std::string>> m_pages;
};

class RecordIntegrityTest : public ::testing::Test {
 protected:
  void SetUp() override { m_db = m_dir.file("bw.db"); }

  // One html source per (bill id, path); mail to `smtp_url` when given.
  void configure(const std::vector<std::pair<std::string, std::string>>& bills,
                 const std::string& smtp_url = "") {
    // The database path is relative: beside the config. The test servers are on loopback,
    // which billwatch reaches only when allowed.
    std::string toml = "[database]\npath = \"bw.db\"\n[crawler]\nallow_private = [\"127.0.0.1\"]\n";
    if (!smtp_url.empty()) {
      toml += "[smtp]\nurl = \"" + smtp_url + "\"\nfrom = \"alerts@example.org\"\n";
    }
    int n = 0;
    for (const auto& [bill, path] : bills) {
      toml += "[[source]]\ntype = \"html\"\nname = \"s" + std::to_string(n++) +
              "\"\njurisdiction = \"" + bill.substr(0, 2) + "\"\nbill_id = \"" + bill +
              "\"\nurls = [\"" + m_pages.url(path) + "\"]\n";
    }
    test::write_file(m_config, toml);
  }

  CliResult run() { return cli({"--config", m_config, "run", "--quiet"}); }

  crawler::CurlGlobal m_curl;
  TempDir m_dir;
  std::string m_config = m_dir.file("bw.toml");
  std::string m_db;
  test::LoopbackHttpServer m_http;
  Pages m_pages{m_http};
  test::ScopedEnv m_no_env{"BILLWATCH_CONFIG", nullptr};
  test::ScopedEnv m_no_state{"STATE_DIRECTORY", nullptr};
};

// The newcomer's bug: text whose paragraphs start with a number and a space.
TEST_F(RecordIntegrityTest, NumberedLinesAndWyomingPdfsAreStoredReadBackChangedAndRerun) {
  configure({{"XX-2026-HB-1", "/hello.txt"}, {"WY-2026-HB-65", "/wy.pdf"}});
  m_pages.set("/hello.txt", "1 hello world\n", "text/plain; charset=utf-8");
  m_pages.set("/wy.pdf", test::read_fixture("states/pdf/wy_2026_HB0065_Introduced.pdf"),
              "application/pdf");
  auto first = run();
  ASSERT_EQ(first.code, 0) << first.err;
  EXPECT_TRUE(std::filesystem::exists(m_db)) << "the relative database path is beside the config";

  auto hello = cli({"--config", m_config, "show", "XX-2026-HB-1", "--text"});
  ASSERT_EQ(hello.code, 0) << hello.err;
  EXPECT_NE(hello.out.find("latest version 1 of 1"), std::string::npos) << hello.out;
  auto wy = cli({"--config", m_config, "show", "WY-2026-HB-65", "--json", "--text"});
  ASSERT_EQ(wy.code, 0) << wy.err;
  std::string wy_text = nlohmann::json::parse(wy.out)["latest"]["text"];
  EXPECT_NE(wy_text.find("AN ACT relating to K-12 public school discipline"), std::string::npos);
  EXPECT_EQ(wy_text.find("\n1 AN ACT"), std::string::npos) << "line numbers are layout";

  // Changed: a new text for both; the run goes on and nothing fails to read back.
  m_pages.set("/hello.txt", "1 hello world\n2 and more\n", "text/plain; charset=utf-8");
  m_pages.set("/wy.pdf", test::read_fixture("states/pdf/wy_2026_SF0035_Introduced.pdf"),
              "application/pdf");
  auto second = run();
  ASSERT_EQ(second.code, 0) << second.err;
  auto third = run();
  ASSERT_EQ(third.code, 0) << third.err;
  for (const char* bill : {"XX-2026-HB-1", "WY-2026-HB-65"}) {
    for (const char* version : {"1", "2"}) {
      auto shown = cli({"--config", m_config, "show", bill, "--version", version, "--text"});
      EXPECT_EQ(shown.code, 0) << bill << " " << version << ": " << shown.err;
    }
    auto history =
        nlohmann::json::parse(cli({"--config", m_config, "history", bill, "--json"}).out);
    EXPECT_EQ(history["versions"].size(), 2u) << bill << ": the unchanged third run adds none";
  }
  auto check = cli({"--config", m_config, "check"});
  EXPECT_EQ(check.code, 0) << check.out;
  auto exported = cli({"--config", m_config, "export", "--out", m_dir.file("out")});
  EXPECT_EQ(exported.code, 0) << exported.err;
}

// A database as the release before schema 6 wrote it: the text kept with its layout
// removed, the hash of the text before removal. Built here row by row (the old code is
// gone); the migration must make it readable and the next run must see no change.
TEST_F(RecordIntegrityTest, TheMigrationRepairsTextsStoredUnderTheHashOfTheUnnormalizedText) {
  configure({{"XX-2026-HB-1", "/hello.txt"}});
  const std::string raw = "1 hello world";
  const std::string kept = "hello world";  // what the old release stored for it
  m_pages.set("/hello.txt", raw, "text/plain; charset=utf-8");
  {
    SQLite::Database db(m_db, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    store::detail::migrate(db, m_db, 5);
    store::detail::StatementCache statements(db);
    std::int64_t text_id = store::detail::intern_text(statements, kept).id;
    db.exec("UPDATE texts SET hash = '" + sha256_hex(raw) +
            "' WHERE id = " + std::to_string(text_id));
    db.exec(
        "INSERT INTO bills (id, jurisdiction, title, source, url, first_seen, last_changed) "
        "VALUES ('XX-2026-HB-1', 'XX', 'hello world', 's0', '" +
        m_pages.url("/hello.txt") + "', 1000, 1000)");
    db.exec(
        "INSERT INTO versions (bill_id, content_hash, text_id, relevant, relevance_score, "
        "relevance_cues, url, final_url, fetched_at, http_status, etag, last_modified, "
        "raw_hash, source, label) VALUES ('XX-2026-HB-1', '" +
        sha256_hex(raw) + "', " + std::to_string(text_id) +
        ", 0, 0, '[]', 'u', 'u', 1000, 200, '', '', '', 's0', '')");
    db.exec(
        "INSERT INTO events (kind, bill_id, version_id, payload, created_at) VALUES "
        "('new_bill', 'XX-2026-HB-1', 1, '{}', 1000)");
  }
  // Before the repair, the text could not be read back (as the newcomer saw).
  {
    SQLite::Database db(m_db, SQLite::OPEN_READWRITE);
    store::detail::StatementCache statements(db);
    EXPECT_THROW(store::detail::load_text(statements, 1), std::runtime_error);
  }
  auto shown = cli({"--config", m_config, "show", "XX-2026-HB-1", "--json", "--text"});
  ASSERT_EQ(shown.code, 0) << shown.err;
  auto latest = nlohmann::json::parse(shown.out)["latest"];
  EXPECT_EQ(latest["text"], kept);
  EXPECT_EQ(latest["content_hash"], sha256_hex(kept));
  EXPECT_EQ(latest["version"], 1);
  EXPECT_EQ(latest["label"], "Version 1");
  EXPECT_EQ(cli({"--config", m_config, "check"}).code, 0);

  // The page is fetched and parsed again (no stored body hash): the same text, no event.
  auto again = run();
  ASSERT_EQ(again.code, 0) << again.err;
  auto history =
      nlohmann::json::parse(cli({"--config", m_config, "history", "XX-2026-HB-1", "--json"}).out);
  EXPECT_EQ(history["versions"].size(), 1u);
  EXPECT_EQ(history["events"].size(), 1u) << "no spurious new_version";
}

// One damaged text: `check` names it; a run still stores the other bill's new version,
// sends its mail, prints its summary and exits 1.
TEST_F(RecordIntegrityTest, ADamagedTextIsNamedByCheckAndCostsTheRunOnlyThatBill) {
  if (!test::SmtpServerProcess::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  test::SmtpServerProcess smtp;
  configure({{"WA-2025-HB-1", "/a.txt"}, {"OR-2025-SB-2", "/b.txt"}}, smtp.url());
  m_pages.set("/a.txt", "Sec. 1. No student may be secluded.", "text/plain");
  m_pages.set("/b.txt", "Sec. 1. Prone restraint is prohibited in schools.", "text/plain");
  ASSERT_EQ(run().code, 0);
  ASSERT_EQ(cli({"--config", m_config, "subscribe", "--confirmed", "parent@example.org"}).code, 0);
  {
    SQLite::Database db(m_db, SQLite::OPEN_READWRITE);
    db.exec("UPDATE texts SET hash = '" + std::string(64, '0') +
            "' WHERE id = (SELECT text_id FROM versions WHERE bill_id = 'WA-2025-HB-1')");
  }
  auto check = cli({"--config", m_config, "check"});
  EXPECT_EQ(check.code, 1);
  EXPECT_NE(check.out.find("damaged: WA-2025-HB-1 version 1: its text does not match its SHA-256"),
            std::string::npos)
      << check.out;
  EXPECT_EQ(check.out.find("OR-2025-SB-2"), std::string::npos) << check.out;

  m_pages.set("/a.txt", "Sec. 1. No student may be secluded or restrained.", "text/plain");
  m_pages.set("/b.txt", "Sec. 1. Prone restraint is prohibited in all schools.", "text/plain");
  auto damaged = cli({"--config", m_config, "run", "--json"});
  EXPECT_EQ(damaged.code, 1) << damaged.err;
  auto summary = nlohmann::json::parse(damaged.out);
  EXPECT_EQ(summary["changed"], 1) << damaged.out;
  EXPECT_EQ(summary["emails_sent"], 1) << damaged.out;
  ASSERT_EQ(summary["errors"].size(), 1u) << damaged.out;
  EXPECT_NE(summary["errors"][0].get<std::string>().find("WA-2025-HB-1: not stored"),
            std::string::npos);
  auto history =
      nlohmann::json::parse(cli({"--config", m_config, "history", "OR-2025-SB-2", "--json"}).out);
  EXPECT_EQ(history["versions"].size(), 2u) << "the other bill's new version is stored";
  ASSERT_EQ(smtp.messages().size(), 1u);
  EXPECT_NE(smtp.messages()[0]["text"].get<std::string>().find("OR"), std::string::npos);
}

TEST_F(RecordIntegrityTest, ReadOnlyCommandsNeverCreateADatabase) {
  configure({});
  for (std::vector<std::string> args : {std::vector<std::string>{"bills"},
                                        {"show", "X"},
                                        {"history", "X"},
                                        {"diff", "X"},
                                        {"search", "x"},
                                        {"export", "--out", m_dir.file("o")},
                                        {"check"}}) {
    args.insert(args.begin(), {"--config", m_config});
    auto result = cli(args);
    EXPECT_EQ(result.code, 1) << args[2];
    EXPECT_NE(result.err.find(m_db + ": no database here"), std::string::npos) << result.err;
    EXPECT_FALSE(std::filesystem::exists(m_db)) << args[2];
  }
}

TEST_F(RecordIntegrityTest, ExportWritesANewDirectoryWholeOrNotAtAll) {
  configure({{"WA-2025-HB-1", "/a.txt"}});
  m_pages.set("/a.txt", "Sec. 1. No student may be secluded.", "text/plain");
  ASSERT_EQ(run().code, 0);
  std::string out = m_dir.file("export");
  ASSERT_EQ(cli({"--config", m_config, "export", "--out", out}).code, 0);
  auto again = cli({"--config", m_config, "export", "--out", out});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("already exists; choose a new directory or use --force"),
            std::string::npos)
      << again.err;
  EXPECT_EQ(cli({"--config", m_config, "export", "--out", out, "--force"}).code, 0);
  // A damaged text fails the export and leaves nothing behind: no directory, no stray
  // staging directory beside it.
  {
    SQLite::Database db(m_db, SQLite::OPEN_READWRITE);
    db.exec("UPDATE texts SET hash = '" + std::string(64, '0') + "'");
  }
  std::string broken = m_dir.file("broken");
  auto failed = cli({"--config", m_config, "export", "--out", broken});
  EXPECT_EQ(failed.code, 1);
  EXPECT_NE(failed.err.find("does not match its SHA-256"), std::string::npos) << failed.err;
  EXPECT_FALSE(std::filesystem::exists(broken));
  for (const auto& entry : std::filesystem::directory_iterator(m_dir.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".broken"), std::string::npos) << entry.path();
  }
  // --force over the good export fails the same way and keeps the good one.
  EXPECT_EQ(cli({"--config", m_config, "export", "--out", out, "--force"}).code, 1);
  EXPECT_TRUE(std::filesystem::exists(out + "/versions.csv"));
}

}  // namespace
}  // namespace billwatch::app
