// `./run bench notify [SUBSCRIBERS]`: SUBSCRIBERS subscribers (default 10,000), each
// following one bill that has one new event, and `billwatch notify` (the release binary,
// as cron runs it) sending their alerts to a real SMTP server on loopback. Reports
// messages per second and the notifier's peak RSS.
//
// The server is Debian's aiosmtpd in count-only mode (it parses and stores nothing), so
// the measure is billwatch's: matching every event against every subscription, building
// each message and its ledger steps, and SMTP over one reused connection.
#include <SQLiteCpp/Database.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "billwatch/core/hash.hpp"
#include "billwatch/store/store.hpp"
#include "files.hpp"
#include "smtp_server_process.hpp"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string bill_id(int i) {
  return "WA-2025-HB-" + std::to_string(1000 + i);
}

struct Measured {
  int code = 0;
  long peak_rss_kb = 0;
  double cpu_seconds = 0;  // user + system
};

Measured run_measured(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) {
    throw std::runtime_error("cannot start " + args[0]);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) throw std::runtime_error("wait4 failed");
  Measured m;
  m.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  m.peak_rss_kb = usage.ru_maxrss;
  m.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: notify_bench BILLWATCH_BINARY [SUBSCRIBERS]\n";
    return 2;
  }
  const std::string binary = argv[1];
  const int subscribers = argc > 2 ? std::stoi(argv[2]) : 10000;
  if (!billwatch::test::SmtpServerProcess::available()) {
    std::cerr << "notify_bench: python3-aiosmtpd is not installed\n";
    return 2;
  }
  billwatch::test::TempDir dir;
  const std::string db_path = dir.file("bench.db");
  billwatch::test::SmtpServerProcess smtp(billwatch::test::SmtpServerOptions{.count_only = true});
  const std::string config = dir.file("bench.toml");
  billwatch::test::write_file(config, "[database]\npath = \"" + db_path + "\"\n[smtp]\nurl = \"" +
                                          smtp.url() + "\"\nfrom = \"alerts@example.org\"\n");

  auto seed_start = Clock::now();
  {
    billwatch::store::Store store = billwatch::store::Store::open(db_path);
    auto batch = store.batch();
    // Subscribers first: a subscriber hears of events recorded after they subscribed.
    for (int i = 0; i < subscribers; ++i) {
      billwatch::SubscriptionFilter filter;
      filter.bills = {bill_id(i)};
      store.add_subscription("s" + std::to_string(i) + "@example.org",
                             "Subscriber " + std::to_string(i), filter,
                             billwatch::Frequency::Immediate, 1764320000);
    }
    for (int i = 0; i < subscribers; ++i) {
      billwatch::store::NewVersion version;
      version.bill.id = bill_id(i);
      version.bill.jurisdiction = "WA";
      version.bill.identifier = "HB " + std::to_string(1000 + i);
      version.bill.title =
          "Concerning restraint and isolation of students, bill " + std::to_string(i);
      version.bill.url =
          "https://app.leg.wa.gov/billsummary?BillNumber=" + std::to_string(1000 + i) +
          "&Year=2025";
      version.text =
          "Sec. 1. A school may not place a student in isolation. Bill " + std::to_string(i) + ".";
      version.relevance.relevant = true;  // on topic: every subscriber is alerted
      store.save_version(version, 1764325500);
    }
    batch.finish();
  }
  std::cout << "seeded " << subscribers << " subscribers and " << subscribers
            << " events (one matching each) in " << seconds_since(seed_start) << " s\n";

  auto start = Clock::now();
  Measured notify = run_measured({binary, "--config", config, "notify"});
  double elapsed = seconds_since(start);
  smtp.stop();
  long received = smtp.count_after_stop();

  SQLite::Database db(db_path, SQLite::OPEN_READONLY);
  long sent = db.execAndGet("SELECT COUNT(*) FROM deliveries WHERE status = 'sent'").getInt64();
  std::printf("\n| measure | value |\n|---|---:|\n");
  std::printf("| subscribers | %d |\n", subscribers);
  std::printf("| messages received by the server | %ld |\n", received);
  std::printf("| deliveries recorded sent | %ld |\n", sent);
  std::printf("| `billwatch notify` wall time | %.2f s |\n", elapsed);
  std::printf("| messages per second | %.0f |\n", received / elapsed);
  std::printf("| billwatch CPU (user+sys) | %.2f s |\n", notify.cpu_seconds);
  std::printf("| peak RSS | %.1f MB |\n", static_cast<double>(notify.peak_rss_kb) / 1024.0);
  if (notify.code != 0 || received != subscribers || sent != subscribers) {
    std::cerr << "notify_bench: expected " << subscribers << " messages; notify exited "
              << notify.code << "\n";
    return 1;
  }
  return 0;
}
