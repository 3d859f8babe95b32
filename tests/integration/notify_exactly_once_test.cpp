// Exactly-once delivery through the real binary: `billwatch notify` killed with SIGKILL
// in the middle of an SMTP transaction, and a mail server that is down for one run. The
// loopback aiosmtpd server holds chosen recipients' replies open so the kill lands
// between the ledger's "sending" and "sent".
#include <SQLiteCpp/Database.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "billwatch/core/hash.hpp"
#include "billwatch/store/store.hpp"
#include "child_process.hpp"
#include "files.hpp"
#include "smtp_server_process.hpp"

namespace billwatch {
namespace {

using test::SmtpServerOptions;
using test::SmtpServerProcess;

class NotifyExactlyOnceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!SmtpServerProcess::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  }

  void configure(int smtp_port) {
    m_config = m_dir.file("bw.toml");
    test::write_file(m_config,
                     "[database]\npath = \"" + m_dir.file("bw.db") +
                         "\"\n[smtp]\nurl = \"smtp://127.0.0.1:" + std::to_string(smtp_port) +
                         "\"\nfrom = \"alerts@example.org\"\n");
  }

  // Subscribers (in id order, which is the order alerts go out) and one event for all.
  void seed(const std::vector<std::string>& emails) {
    store::Store store = store::Store::open(m_dir.file("bw.db"));
    for (const auto& email : emails) store.subscribe(email, {}, 1764320000);
    store::NewVersion version;
    version.bill.id = "WA-2025-HB-1795";
    version.bill.jurisdiction = "WA";
    version.bill.identifier = "HB 1795";
    version.bill.title = "Concerning student restraint and isolation";
    version.bill.url = "https://app.leg.wa.gov/billsummary?BillNumber=1795&Year=2025";
    version.text = "Students may not be placed in isolation.";
    version.relevance.relevant = true;  // on topic: off-topic pages alert only --all-pages
    store.save_version(version, 1764325500);
  }

  test::ChildProcess start(const std::vector<std::string>& args) {
    std::vector<std::string> argv{BILLWATCH_BINARY, "--config", m_config};
    argv.insert(argv.end(), args.begin(), args.end());
    return test::ChildProcess(argv);
  }

  int run(const std::vector<std::string>& args) { return start(args).wait(); }

  // The ledger's status for one subscriber's delivery, "" when there is no row.
  std::string ledger(const std::string& email) {
    SQLite::Database db(m_dir.file("bw.db"), SQLite::OPEN_READONLY);
    db.setBusyTimeout(5000);
    SQLite::Statement q(db,
                        "SELECT d.status FROM deliveries d JOIN subscribers s ON s.id = "
                        "d.subscriber_id WHERE s.email = ?");
    q.bind(1, email);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
  }

  // Waits up to 20 s for `done`; false when it never became true.
  template <typename Condition>
  static bool wait_for(Condition done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  static std::vector<std::string> recipients(const SmtpServerProcess& smtp) {
    std::vector<std::string> out;
    for (const auto& m : smtp.messages()) out.push_back(m["rcpt_tos"][0]);
    return out;
  }

  test::TempDir m_dir;
  std::string m_config;
  test::ScopedEnv m_no_env{"BILLWATCH_CONFIG", nullptr};
};

TEST_F(NotifyExactlyOnceTest, KilledBetweenSendingAndSentSendsTheRestOnceAndNeverAgain) {
  // b's RCPT TO is held: billwatch has written "sending" and waits for the server.
  SmtpServerProcess smtp(SmtpServerOptions{.hold_rcpt = {{"b@example.org", 60}}});
  configure(smtp.port());
  seed({"a@example.org", "b@example.org", "c@example.org"});

  test::ChildProcess notify = start({"notify"});
  ASSERT_TRUE(wait_for([&] { return ledger("b@example.org") == "sending"; }))
      << "billwatch never recorded 'sending' for b before SMTP";
  // Killed only once the server holds b's RCPT: killed earlier, the next run's RCPT would
  // be the one held, and the test would time out instead of testing the crash.
  ASSERT_TRUE(wait_for([&] { return smtp.holding("b@example.org"); }))
      << "b's RCPT TO never reached the server";
  notify.kill_and_wait(SIGKILL);

  EXPECT_EQ(recipients(smtp), std::vector<std::string>{"a@example.org"});
  EXPECT_EQ(ledger("a@example.org"), "sent");
  EXPECT_EQ(ledger("b@example.org"), "sending") << "the crash left the attempt open";
  EXPECT_EQ(ledger("c@example.org"), "");

  // The next run sends the interrupted alert and the untouched one; a never again.
  EXPECT_EQ(run({"notify"}), 0);
  EXPECT_EQ(recipients(smtp),
            (std::vector<std::string>{"a@example.org", "b@example.org", "c@example.org"}));
  EXPECT_EQ(ledger("b@example.org"), "sent");
  EXPECT_EQ(run({"notify"}), 0);
  EXPECT_EQ(run({"run", "--quiet"}), 0) << "a crawl with no sources sends nothing either";
  EXPECT_EQ(smtp.messages().size(), 3u);
}

TEST_F(NotifyExactlyOnceTest, KilledAfterTheServerTookTheMessageResendsItWithTheSameMessageId) {
  // SMTP cannot tell a sender whether a message whose "250" never arrived was taken. The
  // ledger still says "sending", so the next run sends it again: at least once, never lost.
  // The copy carries the same Message-ID, which mail clients use to drop duplicates.
  SmtpServerProcess smtp(SmtpServerOptions{.hold_after_data = {{"b@example.org", 60}}});
  configure(smtp.port());
  seed({"a@example.org", "b@example.org"});

  test::ChildProcess notify = start({"notify"});
  ASSERT_TRUE(wait_for([&] { return smtp.messages().size() == 2; }));
  notify.kill_and_wait(SIGKILL);
  EXPECT_EQ(ledger("b@example.org"), "sending");

  EXPECT_EQ(run({"notify"}), 0);
  auto messages = smtp.messages();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(recipients(smtp),
            (std::vector<std::string>{"a@example.org", "b@example.org", "b@example.org"}));
  EXPECT_EQ(messages[1]["headers"]["Message-ID"], messages[2]["headers"]["Message-ID"]);
  EXPECT_EQ(run({"notify"}), 0);
  EXPECT_EQ(smtp.messages().size(), 3u);
}

TEST_F(NotifyExactlyOnceTest, MailServerDownForOneRunThenUpSendsEverythingOnce) {
  int port = test::free_loopback_port();
  configure(port);
  std::vector<std::string> emails;
  for (char who = 'a'; who <= 'e'; ++who) emails.push_back(std::string(1, who) + "@example.org");
  seed(emails);

  // Down: three alerts find nobody answering, then billwatch stops trying for this run.
  EXPECT_EQ(run({"notify"}), 1);
  for (const auto& email : emails) EXPECT_NE(ledger(email), "sent") << email;
  test::TempDir out_dir;
  std::string outbox_json = out_dir.file("outbox.json");
  {
    int fd = ::open(outbox_json.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd, 0);
    test::ChildProcess outbox({BILLWATCH_BINARY, "--config", m_config, "outbox", "--json"}, fd);
    ::close(fd);
    ASSERT_EQ(outbox.wait(), 0);
  }
  auto waiting = nlohmann::json::parse(test::read_file(outbox_json));
  ASSERT_EQ(waiting.size(), emails.size()) << waiting.dump(2);
  int queued = 0;
  for (const auto& entry : waiting) {
    std::string status = entry["status"];
    EXPECT_TRUE(status == "queued" || status == "pending") << entry.dump();
    if (status == "queued") {
      ++queued;
      EXPECT_NE(std::string(entry["last_error"]).find("failed"), std::string::npos);
      EXPECT_EQ(entry["attempts"], 0) << "a server that is down uses up no attempt";
    }
  }
  EXPECT_EQ(queued, 3);

  // Up, where the configuration says: the very next run sends everything (no backoff for
  // a server that did not answer), each alert once.
  SmtpServerProcess smtp(SmtpServerOptions{.port = port});
  EXPECT_EQ(run({"notify"}), 0);
  EXPECT_EQ(recipients(smtp), emails);
  EXPECT_EQ(run({"notify"}), 0);
  EXPECT_EQ(smtp.messages().size(), emails.size());
}

}  // namespace
}  // namespace billwatch
