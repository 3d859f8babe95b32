// The command line, driven in process: exit codes, messages, and the commands that read
// and write the database.
#include "billwatch/app/cli.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "billwatch/config/config.hpp"
#include "billwatch/crawler/curl_global.hpp"
#include "files.hpp"
#include "loopback_http_server.hpp"

namespace billwatch::app {
namespace {

using test::TempDir;

struct CliResult {
  int code;
  std::string out;
  std::string err;
};

CliResult cli(std::vector<std::string> args) {
  args.insert(args.begin(), "billwatch");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int code = run_cli(static_cast<int>(argv.size()), argv.data(), out, err);
  return {code, out.str(), err.str()};
}

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
  auto bad_address = cli({"--config", m_config, "subscribe", "not-an-address"});
  EXPECT_EQ(bad_address.code, 2);
  EXPECT_NE(bad_address.err.find("'not-an-address' is not a valid mail address"),
            std::string::npos);
  auto bad_jurisdiction =
      cli({"--config", m_config, "subscribe", "a@example.org", "--jurisdiction", "Wash"});
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

TEST_F(CliTest, SubscribeListUnsubscribe) {
  EXPECT_EQ(cli({"--config", m_config, "subscribe", "p@example.org", "--jurisdiction", "wa",
                 "--jurisdiction", "US"})
                .code,
            0);
  auto list = cli({"--config", m_config, "subscribers", "--json"});
  ASSERT_EQ(list.code, 0);
  auto json = nlohmann::json::parse(list.out);
  ASSERT_EQ(json.size(), 1u);
  EXPECT_EQ(json[0]["email"], "p@example.org");
  EXPECT_EQ(json[0]["jurisdictions"], nlohmann::json::array({"US", "WA"}));
  EXPECT_EQ(cli({"--config", m_config, "unsubscribe", "p@example.org"}).code, 0);
  auto again = cli({"--config", m_config, "unsubscribe", "p@example.org"});
  EXPECT_EQ(again.code, 1);
  EXPECT_NE(again.err.find("is not subscribed"), std::string::npos);
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
                                 "\"\n[[source]]\ntype = \"html\"\nname = \"or-sb1\"\n"
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

  auto history = cli({"--config", m_config, "history", "or-sb1/sb1-html", "--json"});
  ASSERT_EQ(history.code, 0);
  auto h = nlohmann::json::parse(history.out);
  EXPECT_EQ(h["versions"].size(), 1u);
  EXPECT_EQ(h["events"][0]["kind"], "new_bill");
  EXPECT_EQ(cli({"--config", m_config, "history", "nope"}).code, 1);

  auto quiet = cli({"--config", m_config, "run", "--quiet"});
  EXPECT_EQ(quiet.code, 1);
  EXPECT_EQ(quiet.out, "");
  EXPECT_EQ(quiet.err, "error: source 'or-sb1': " + http.url("/gone") + ": HTTP 404\n");

  auto text = cli({"--config", m_config, "bills"});
  EXPECT_NE(text.out.find("or-sb1/sb1-html"), std::string::npos);
}

}  // namespace
}  // namespace billwatch::app
