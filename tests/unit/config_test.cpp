#include "billwatch/config/config.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "billwatch/config/config_path.hpp"
#include "files.hpp"

namespace billwatch::config {
namespace {

using test::ScopedEnv;
using test::TempDir;

std::string error_of(const std::string& text, const std::string& base_dir = ".") {
  try {
    parse_config(text, "bw.toml", base_dir);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

constexpr const char* k_source = R"(
[[source]]
type = "html"
name = "wa"
jurisdiction = "WA"
urls = ["https://example.org/hb1795"]
)";

TEST(ConfigTest, ExampleConfigParsesAndHasTheDocumentedValues) {
  Config config = parse_config(example_config_text(), "example.toml", ".");
  std::string text = example_config_text();
  std::size_t html_at = text.find("[[source]]\ntype = \"html\"");
  ASSERT_NE(html_at, std::string::npos);
  long html_line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(html_at), '\n');
  EXPECT_EQ(config.database.path, "billwatch.db");
  EXPECT_EQ(config.crawler.per_host_concurrency, 4);
  EXPECT_EQ(config.crawler.timeout_s, 30);
  ASSERT_TRUE(config.smtp);
  EXPECT_EQ(config.smtp->url, "smtp://127.0.0.1:2525");
  ASSERT_EQ(config.sources.size(), 2u);
  EXPECT_EQ(config.sources[0].type, "congress");
  EXPECT_EQ(config.sources[0].jurisdiction, "US");
  EXPECT_TRUE(config.sources[0].congress.congresses.empty()) << "the current Congress";
  EXPECT_EQ(config.sources[0].congress.track, std::vector<std::string>{"US-119-HR-6617"});
  EXPECT_EQ(config.sources[0].congress.base_url, "https://www.govinfo.gov");
  EXPECT_FALSE(config.sources[0].congress.scan_text);
  EXPECT_EQ(config.sources[1].type, "html");
  EXPECT_EQ(config.sources[1].jurisdiction, "WA");
  EXPECT_EQ(config.sources[1].origin, "example.toml:" + std::to_string(html_line));
}

TEST(ConfigTest, CongressSourceOptionsAreCheckedWithTheirLine) {
  Config config = parse_config(
      "[[source]]\ntype = \"congress\"\nname = \"us\"\ncongresses = [117, 118]\n"
      "bill_types = [\"hr\"]\ntrack = [\"US-117-S-35\"]\nbase_url = \"http://127.0.0.1:8080\"\n"
      "scan_text = true\n",
      "bw.toml", ".");
  ASSERT_EQ(config.sources.size(), 1u);
  const CongressSourceConfig& congress = config.sources[0].congress;
  EXPECT_EQ(config.sources[0].jurisdiction, "US");
  EXPECT_EQ(congress.congresses, (std::vector<int>{117, 118}));
  EXPECT_EQ(congress.bill_types, std::vector<std::string>{"hr"});
  EXPECT_EQ(congress.base_url, "http://127.0.0.1:8080");
  EXPECT_TRUE(congress.scan_text);
  std::string head = "[[source]]\ntype = \"congress\"\nname = \"us\"\n";
  EXPECT_EQ(error_of(head + "congresses = [99]\n"),
            "bw.toml:4: source[0].congresses: must be between 108 (the first in govinfo's bulk "
            "data) and 200, got 99");
  EXPECT_EQ(error_of(head + "bill_types = [\"hr\", \"bill\"]\n"),
            "bw.toml:4: source[0].bill_types: unknown bill type 'bill' (expected hr, s, hjres, "
            "sjres, hconres, sconres, hres or sres)");
  EXPECT_EQ(error_of(head + "track = [\"HR 6617\"]\n"),
            "bw.toml:4: source[0].track: 'HR 6617' is not a federal bill id such as "
            "\"US-119-HR-6617\"");
  EXPECT_EQ(error_of(head + "jurisdiction = \"WA\"\n"),
            "bw.toml:4: source[0].jurisdiction: a congress source is always \"US\"");
  EXPECT_EQ(error_of(head + "urls = [\"https://example.org\"]\n"),
            "bw.toml:4: source[0].urls: unknown key");
}

TEST(ConfigTest, StateServicesAndSelectorsAreChecked) {
  Config config = parse_config(
      "[[source]]\ntype = \"legiscan\"\nname = \"ls\"\nstates = [\"WA\", \"AL\"]\n"
      "track = [\"WA-2025-HB-1795\"]\nmonthly_query_budget = 1000\n"
      "[[source]]\ntype = \"openstates\"\nname = \"os\"\nrequests_per_day = 500\n",
      "bw.toml", ".");
  ASSERT_EQ(config.sources.size(), 2u);
  EXPECT_EQ(config.sources[0].state_api.base_url, "https://api.legiscan.com/");
  EXPECT_EQ(config.sources[0].state_api.api_key_env, "LEGISCAN_API_KEY");
  EXPECT_EQ(config.sources[0].state_api.monthly_query_budget, 1000);
  EXPECT_EQ(config.sources[0].state_api.query, "restraint OR seclusion");
  EXPECT_EQ(config.sources[1].state_api.base_url, "https://v3.openstates.org");
  EXPECT_EQ(config.sources[1].state_api.api_key_env, "OPENSTATES_API_KEY");
  EXPECT_EQ(config.sources[1].state_api.requests_per_day, 500);
  EXPECT_EQ(config.sources[1].state_api.requests_per_minute, 10);
  std::string head = "[[source]]\ntype = \"legiscan\"\nname = \"ls\"\n";
  EXPECT_EQ(error_of(head + "states = [\"US\"]\n"),
            "bw.toml:4: source[0].states: expected two-letter state codes such as \"WA\", got "
            "'US'");
  EXPECT_EQ(error_of(head + "track = [\"HB 1795\"]\n"),
            "bw.toml:4: source[0].track: 'HB 1795' is not a state bill id such as "
            "\"WA-2025-HB-1795\"");
  EXPECT_EQ(error_of(head + "requests_per_day = 5\n"),
            "bw.toml:4: source[0].requests_per_day: unknown key")
      << "an Open States option on a LegiScan source";
  std::string html =
      "[[source]]\ntype = \"html\"\nname = \"x\"\njurisdiction = \"WA\"\n"
      "urls = [\"https://example.org/\"]\n[source.selectors]\n";
  EXPECT_EQ(error_of(html + "action_date = \"td\"\n"),
            "bw.toml:6: source[0].selectors.actions: action_date and action_text need an actions "
            "selector");
  EXPECT_EQ(error_of(html + "titel = \"h1\"\n"),
            "bw.toml:7: source[0].selectors.titel: unknown key");
  Config selectors = parse_config(html + "title = \"h1\"\nactions = \"h3\"\n", "bw.toml", ".");
  EXPECT_EQ(selectors.sources[0].selectors.actions, "h3");
  EXPECT_EQ(selectors.sources[0].selectors.origin.at("actions"), "bw.toml:8");
  EXPECT_EQ(selectors.sources[0].selector_failure_runs, 3);
}

TEST(ConfigTest, ExampleConfigsForLegislaturePagesParse) {
  for (const char* name : {"wa-hb1795-status.toml", "mo-senate.toml", "sc-s494.toml"}) {
    std::string path = std::string(BILLWATCH_SOURCE_DIR) + "/config/examples/" + name;
    Config config = load_config(path);
    ASSERT_FALSE(config.sources.empty()) << name;
    for (const auto& source : config.sources) {
      EXPECT_FALSE(source.selectors.empty()) << name;
      EXPECT_FALSE(source.bill_id.empty()) << name;
    }
  }
}

TEST(ConfigTest, NotifierSecretAndWebBase) {
  Config config = parse_config(
      "[notifier]\nsecret_env = \"BW_SECRET\"\n[web]\nbase_url = \"https://alerts.example.org\"\n",
      "bw.toml", ".");
  EXPECT_EQ(config.notifier.secret_env, "BW_SECRET");
  EXPECT_EQ(config.web.base_url, "https://alerts.example.org");
  EXPECT_EQ(error_of("[web]\nbase_url = \"http://alerts.example.org\"\n"),
            "bw.toml:1: web.base_url: expected an https:// URL (links in mails carry tokens; "
            "plain http only on loopback, for a site on this machine)");
  // Plain http is for a site on this machine only; a look-alike host is not loopback.
  for (const char* loopback : {"http://127.0.0.1:8080", "http://localhost/", "http://[::1]:80"}) {
    EXPECT_EQ(parse_config(std::string("[web]\nbase_url = \"") + loopback + "\"\n", "bw.toml", ".")
                  .web.base_url,
              loopback);
  }
  EXPECT_NE(error_of("[web]\nbase_url = \"http://127.0.0.1.evil.example\"\n"), "");
  EXPECT_NE(error_of("[web]\nbase_url = \"http://localhost.evil.example/\"\n"), "");
  EXPECT_NE(error_of("[web]\nbase_url = \"https://\"\n"), "");
  EXPECT_EQ(error_of("[notifier]\nsecret = \"x\"\n"), "bw.toml:2: notifier.secret: unknown key");
}

TEST(ConfigTest, SmtpSecurityOptions) {
  Config config = parse_config(
      "[smtp]\nurl = \"smtp://mail.example.org:587\"\nfrom = \"a@example.org\"\n"
      "starttls = \"required\"\npassword_file = \"smtp.pass\"\n",
      "bw.toml", "/etc/billwatch");
  ASSERT_TRUE(config.smtp);
  EXPECT_TRUE(config.smtp->starttls_required);
  EXPECT_EQ(config.smtp->password_file, "/etc/billwatch/smtp.pass");
  EXPECT_FALSE(config.smtp->insecure_skip_verify);
  EXPECT_EQ(error_of("[smtp]\nurl = \"smtp://m\"\nfrom = \"a@example.org\"\nstarttls = \"yes\"\n"),
            "bw.toml:4: smtp.starttls: expected \"required\", \"when_offered\" or \"never\", got "
            "'yes'");
  // A password travels over TLS only: a username makes STARTTLS required ...
  Config with_user = parse_config(
      "[smtp]\nurl = \"smtp://m:587\"\nfrom = \"a@example.org\"\nusername = \"a\"\n"
      "password_env = \"P\"\nstarttls = \"when_offered\"\n",
      "bw.toml", ".");
  EXPECT_TRUE(with_user.smtp->starttls_required);
  // ... unless the operator writes "never" (warned about on every run).
  Config never = parse_config(
      "[smtp]\nurl = \"smtp://m:587\"\nfrom = \"a@example.org\"\nusername = \"a\"\n"
      "password_env = \"P\"\nstarttls = \"never\"\n",
      "bw.toml", ".");
  EXPECT_FALSE(never.smtp->starttls_required);
  EXPECT_TRUE(never.smtp->starttls_never);
  // Credentials in the URL would end up in logs and the database.
  EXPECT_EQ(error_of("[smtp]\nurl = \"smtp://alerts:hunter2@mail.example.org\"\n"
                     "from = \"a@example.org\"\n"),
            "bw.toml:2: smtp.url: credentials do not go in the URL (they would show in logs and "
            "the database): set username, and password_env or password_file");
}

TEST(ConfigTest, DefaultsHaveNoSourcesAndNoMail) {
  Config config = default_config();
  EXPECT_TRUE(config.sources.empty());
  EXPECT_FALSE(config.smtp);
  EXPECT_EQ(config.database.path, "billwatch.db");
}

TEST(ConfigTest, UnknownKeyNamesFileLineAndKey) {
  EXPECT_EQ(error_of("[crawler]\ntimeout_s = 5\ntimout = 3\n"),
            "bw.toml:3: crawler.timout: unknown key");
  EXPECT_EQ(error_of("[databse]\npath = \"x\"\n"), "bw.toml:1: databse: unknown key");
}

TEST(ConfigTest, WrongTypeNamesFileLineAndKey) {
  EXPECT_EQ(error_of("[crawler]\n\ntimeout_s = \"30\"\n"),
            "bw.toml:3: crawler.timeout_s: expected an integer");
  EXPECT_EQ(error_of("[database]\npath = 3\n"), "bw.toml:2: database.path: expected a string");
  EXPECT_EQ(error_of("database = 1\n"), "bw.toml:1: database: expected a table ([database])");
}

TEST(ConfigTest, OutOfRangeIntegerIsRejected) {
  EXPECT_EQ(error_of("[crawler]\nper_host_concurrency = 0\n"),
            "bw.toml:2: crawler.per_host_concurrency: must be between 1 and 64, got 0");
}

TEST(ConfigTest, MissingRequiredKeyNamesTheTable) {
  EXPECT_EQ(error_of("\n[[source]]\ntype = \"html\"\njurisdiction = \"WA\"\nurls = []\n"),
            "bw.toml:2: source[0].name: required key is missing");
  EXPECT_EQ(error_of("[smtp]\nfrom = \"a@example.org\"\n"),
            "bw.toml:1: smtp.url: required key is missing");
}

TEST(ConfigTest, SyntaxErrorHasALineNumber) {
  std::string error = error_of("[crawler]\ntimeout_s = = 3\n");
  EXPECT_EQ(error.rfind("bw.toml:2: ", 0), 0u) << error;
}

TEST(ConfigTest, SourceValidation) {
  std::string text = k_source;
  EXPECT_EQ(parse_config(text, "bw.toml", ".").sources.at(0).urls.at(0),
            "https://example.org/hb1795");
  EXPECT_NE(error_of(std::string(k_source) + "colour = 1\n").find("source[0].colour: unknown key"),
            std::string::npos);

  std::string bad_type = text;
  bad_type.replace(bad_type.find("\"html\""), 6, "\"congres\"");
  EXPECT_EQ(error_of(bad_type),
            "bw.toml:3: source[0].type: unknown source type 'congres' (this version supports: "
            "html, congress, legiscan, openstates)");

  std::string bad_url = text;
  bad_url.replace(bad_url.find("https://"), 8, "ftp://");
  EXPECT_EQ(error_of(bad_url),
            "bw.toml:6: source[0].urls: 'ftp://example.org/hb1795' is not an http:// or "
            "https:// URL");

  std::string bad_jurisdiction = text;
  bad_jurisdiction.replace(bad_jurisdiction.find("\"WA\""), 4, "\"Wash\"");
  EXPECT_NE(error_of(bad_jurisdiction).find("bw.toml:5: source[0].jurisdiction: expected a"),
            std::string::npos);

  EXPECT_NE(error_of(text + text).find("'wa' is used by another source"), std::string::npos);
}

TEST(ConfigTest, UrlsFileIsReadRelativeToTheConfigAndCheckedLineByLine) {
  TempDir dir;
  test::write_file(dir.file("pages.txt"),
                   "# Washington\nhttps://example.org/a\n\n  https://example.org/b  \n");
  std::string text =
      "[[source]]\ntype = \"html\"\nname = \"wa\"\njurisdiction = \"WA\"\n"
      "urls_file = \"pages.txt\"\n";
  Config config = parse_config(text, "bw.toml", dir.path().string());
  ASSERT_EQ(config.sources.at(0).urls.size(), 2u);
  EXPECT_EQ(config.sources[0].urls[1], "https://example.org/b");

  test::write_file(dir.file("pages.txt"), "https://example.org/a\nnot a url\n");
  EXPECT_EQ(error_of(text, dir.path().string()),
            dir.file("pages.txt") +
                ":2: url: not an http:// or https:// URL (one URL a line, '#' comments)");
  // Hostile lists: the line is never echoed; huge lines, huge files, devices and FIFOs are
  // refused before they are read.
  test::write_file(dir.file("pages.txt"), "https://example.org/\x1b]0;pwned\x07\n");
  EXPECT_EQ(error_of(text, dir.path().string()).find('\x1b'), std::string::npos);
  test::write_file(dir.file("pages.txt"), "https://example.org/" + std::string(3000, 'a') + "\n");
  EXPECT_NE(error_of(text, dir.path().string()).find(":1: url: the line is longer than 2048"),
            std::string::npos);
  test::write_file(dir.file("pages.txt"), std::string(5u << 20, '#'));
  EXPECT_NE(error_of(text, dir.path().string()).find("is larger than 4 MiB"), std::string::npos);
  std::string devzero =
      "[[source]]\ntype = \"html\"\nname = \"wa\"\njurisdiction = \"WA\"\n"
      "urls_file = \"/dev/zero\"\n";
  EXPECT_NE(error_of(devzero, dir.path().string()).find("'/dev/zero' is not a regular file"),
            std::string::npos);
  ASSERT_EQ(::mkfifo(dir.file("fifo").c_str(), 0600), 0);
  std::string fifo =
      "[[source]]\ntype = \"html\"\nname = \"wa\"\njurisdiction = \"WA\"\n"
      "urls_file = \"fifo\"\n";
  EXPECT_NE(error_of(fifo, dir.path().string()).find("is not a regular file"), std::string::npos);

  EXPECT_NE(error_of(text, "/nonexistent").find("bw.toml:5: urls_file: cannot read"),
            std::string::npos);
}

TEST(ConfigTest, CaFileIsResolvedAgainstTheConfigFolderAndMustExist) {
  TempDir dir;
  std::string text = "[crawler]\nca_file = \"private-ca.pem\"\n";
  EXPECT_EQ(error_of(text, dir.path().string()),
            "bw.toml:2: crawler.ca_file: no such file '" + dir.file("private-ca.pem") + "'");
  test::write_file(dir.file("private-ca.pem"), "-----BEGIN CERTIFICATE-----\n");
  EXPECT_EQ(parse_config(text, "bw.toml", dir.path().string()).crawler.ca_file,
            dir.file("private-ca.pem"));
}

TEST(ConfigTest, LoadConfigReportsMissingAndOversizedFiles) {
  TempDir dir;
  EXPECT_THROW(load_config(dir.file("absent.toml")), ConfigError);
  test::write_file(dir.file("big.toml"), std::string(k_max_config_bytes + 1, '#'));
  try {
    load_config(dir.file("big.toml"));
    FAIL() << "oversized config accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("a config file may be at most"), std::string::npos);
  }
  test::write_file(dir.file("ok.toml"), k_source);
  EXPECT_EQ(load_config(dir.file("ok.toml")).origin, dir.file("ok.toml"));
}

TEST(ConfigPathTest, FlagThenEnvironment) {
  ScopedEnv env("BILLWATCH_CONFIG", "/from/env.toml");
  EXPECT_EQ(find_config_file(std::string("/from/flag.toml")), "/from/flag.toml");
  EXPECT_EQ(find_config_file(std::nullopt), "/from/env.toml");
}

TEST(ConfigPathTest, DatabaseGoesToTheStateDirectoryUnderSystemd) {
  {
    ScopedEnv env("STATE_DIRECTORY", "/var/lib/billwatch");
    EXPECT_EQ(resolve_database_path("billwatch.db"), "/var/lib/billwatch/billwatch.db");
    EXPECT_EQ(resolve_database_path("/srv/bw.db"), "/srv/bw.db");
  }
  ScopedEnv unset("STATE_DIRECTORY", nullptr);
  EXPECT_EQ(resolve_database_path("billwatch.db"), "billwatch.db");
}

}  // namespace
}  // namespace billwatch::config
