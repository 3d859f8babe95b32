// billwatch killed with SIGKILL at random moments of a run (seeded, so a failure can be
// replayed): the database must stay consistent and the next run must finish the work
// without recording any event twice. Runs the real binary against a loopback server.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "child_process.hpp"
#include "files.hpp"
#include "loopback_http_server.hpp"

namespace billwatch {
namespace {

constexpr int k_pages = 120;
constexpr int k_kills = 20;
constexpr unsigned k_seed = 20261128;

class CrashSafetyTest : public ::testing::Test {
 protected:
  CrashSafetyTest() : m_revisions(k_pages, 0) {
    m_base = test::read_fixture("states/wa_2025-26_HB1795_text_1_original.md");
    m_http.server().Get(
        R"(/bill/(\d+)\.md)", [this](const httplib::Request& req, httplib::Response& res) {
          int page = std::stoi(req.matches[1]);
          // A little latency spreads a run over time, so kills land in every phase.
          std::this_thread::sleep_for(std::chrono::milliseconds(3));
          // A content provider, because httplib would brotli-compress set_content() bodies at
          // great CPU cost to the test.
          auto body = std::make_shared<std::string>(content(page));
          res.set_content_provider(
              body->size(), "text/markdown; charset=utf-8",
              [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
                return sink.write(body->data() + offset, length);
              });
        });
    std::string urls;
    for (int i = 0; i < k_pages; ++i) {
      urls += (i ? ", \"" : "\"") + m_http.url("/bill/" + std::to_string(i) + ".md") + "\"";
    }
    m_config = m_dir.file("bw.toml");
    test::write_file(m_config, "[database]\npath = \"" + m_dir.file("bw.db") +
                                   "\"\n[crawler]\nmin_delay_ms = 0\nper_host_concurrency = 4\n"
                                   "allow_private = [\"127.0.0.1\"]\n"
                                   "[[source]]\ntype = \"html\"\nname = \"crash\"\n"
                                   "jurisdiction = \"WA\"\nurls = [" +
                                   urls + "]\n");
  }

  std::string content(int page) {
    std::lock_guard<std::mutex> lock(m_mutex);
    return "# Bill " + std::to_string(page) + " revision " +
           std::to_string(m_revisions[static_cast<std::size_t>(page)]) + "\n\n" + m_base;
  }

  // Most pages change each round, so a run spends much of its time writing versions
  // and a kill often lands between two writes of one bill's update.
  void revise_most(std::mt19937& rng) {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::bernoulli_distribution revise(0.9);
    for (auto& r : m_revisions) r += revise(rng) ? 1 : 0;
  }

  test::ChildProcess start_run() {
    return test::ChildProcess({BILLWATCH_BINARY, "--config", m_config, "run", "--quiet"});
  }

  void expect_consistent(const std::string& when) {
    SQLite::Database db(m_dir.file("bw.db"), SQLite::OPEN_READONLY);
    db.setBusyTimeout(5000);
    EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok") << when;
    EXPECT_EQ(
        db.execAndGet(
              "SELECT COUNT(*) FROM events e WHERE e.kind IN ('new_bill', 'provisions_changed', "
              "'new_version') AND NOT EXISTS (SELECT 1 FROM versions v "
              "WHERE v.id = e.version_id)")
            .getInt(),
        0)
        << when << ": an event without its version";
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM versions v WHERE (SELECT COUNT(*) FROM "
                            "events e WHERE e.version_id = v.id AND e.kind IN ('new_bill', "
                            "'new_version')) <> 1")
                  .getInt(),
              0)
        << when << ": a version without exactly one event";
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM versions v WHERE NOT EXISTS (SELECT 1 FROM "
                            "texts t WHERE t.id = v.text_id)")
                  .getInt(),
              0)
        << when << ": a version without its text";
  }

  // After a complete run every page's current text is the bill's latest version, and no
  // bill has the same text twice in a row (which a replayed event would leave).
  void expect_complete(const std::string& when) {
    SQLite::Database db(m_dir.file("bw.db"), SQLite::OPEN_READONLY);
    SQLite::Statement latest(db,
                             "SELECT v.content_hash FROM versions v WHERE v.bill_id = ? "
                             "ORDER BY v.id DESC LIMIT 1");
    for (int i = 0; i < k_pages; ++i) {
      latest.bind(1, "crash/bill-" + std::to_string(i) + "-md");
      ASSERT_TRUE(latest.executeStep()) << when << ": bill " << i << " missing";
      EXPECT_EQ(latest.getColumn(0).getString(), sha256_hex(crawler::normalize_text(content(i))))
          << when << ": bill " << i;
      latest.reset();
    }
    EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM versions a JOIN versions b ON "
                            "a.bill_id = b.bill_id AND b.id = (SELECT MIN(id) FROM versions "
                            "WHERE bill_id = a.bill_id AND id > a.id) "
                            "WHERE a.content_hash = b.content_hash")
                  .getInt(),
              0)
        << when << ": the same text stored twice in a row";
  }

  test::TempDir m_dir;
  test::LoopbackHttpServer m_http;
  std::string m_config;
  std::string m_base;
  std::mutex m_mutex;
  std::vector<int> m_revisions;
};

TEST_F(CrashSafetyTest, SigkillAtRandomPointsLosesNothingAndDuplicatesNothing) {
  std::mt19937 rng(k_seed);
  ASSERT_EQ(start_run().wait(), 0);
  expect_complete("after the first run");
  // How long an uninterrupted run of revised pages takes on this machine bounds the kill
  // times.
  revise_most(rng);
  auto started = std::chrono::steady_clock::now();
  ASSERT_EQ(start_run().wait(), 0);
  auto full_run = std::chrono::steady_clock::now() - started;
  expect_complete("after the timing run");
  auto run_ms =
      std::max<long>(50, std::chrono::duration_cast<std::chrono::milliseconds>(full_run).count());

  int killed_mid_run = 0;
  for (int round = 0; round < k_kills; ++round) {
    std::string when = "round " + std::to_string(round) + " (seed " + std::to_string(k_seed) + ")";
    revise_most(rng);
    std::uniform_int_distribution<long> delay(1, run_ms);
    auto at = std::chrono::milliseconds(delay(rng));
    test::ChildProcess run = start_run();
    std::this_thread::sleep_for(at);
    int status = run.kill_and_wait(SIGKILL);
    killed_mid_run += WIFSIGNALED(status) ? 1 : 0;
    expect_consistent(when + ", killed after " + std::to_string(at.count()) + " ms");
    // The kernel released the killed run's lock: the next run is not blocked.
    ASSERT_EQ(start_run().wait(), 0) << when;
    expect_consistent(when + ", after the next run");
    expect_complete(when + ", after the next run");
    if (HasFailure()) break;
  }
  EXPECT_GE(killed_mid_run, k_kills / 2) << "most kills should land inside a run";
}

}  // namespace
}  // namespace billwatch
