#include "billwatch/app/run_once.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "billwatch/core/hash.hpp"
#include "billwatch/notifier/delivery.hpp"
#include "billwatch/notifier/secret.hpp"
#include "billwatch/sources/source_run.hpp"
#include "billwatch/store/store.hpp"
#include "store_ledger.hpp"

namespace billwatch::app {

namespace {

// The unsubscribe secret; without one (an unreadable secret file) alerts go out without
// unsubscribe links, and the run says why.
std::optional<std::string> read_secret(const config::Config& config, const store::Store& store,
                                       std::ostream& errors) {
  try {
    if (store.path() == ":memory:") return random_hex(32);
    return notifier::unsubscribe_secret(config.notifier.secret_env, store.path());
  } catch (const std::runtime_error& e) {
    errors << "warning: " << e.what() << "; alerts go out without unsubscribe links\n";
    return std::nullopt;
  }
}

// The mail half of a run: the notifier's delivery pass over the store's ledger.
void deliver(const config::Config& config, const MailDeps& deps, int max_attempts,
             RunSummary& summary) {
  notifier::DeliveryPolicy policy = delivery_policy(config);
  StoreLedger ledger(deps.store);
  notifier::DeliveryOptions options;
  options.from = config.smtp ? config.smtp->from : "";
  options.config_origin = config.origin;
  options.web_base_url = config.web.base_url;
  options.unsubscribe_secret = [&] { return read_secret(config, deps.store, deps.errors); };
  notifier::DeliveryReport report =
      notifier::deliver_pending(ledger, config.smtp ? deps.mail : nullptr, deps.clock, policy,
                                options, max_attempts, deps.errors);
  summary.emails_sent += report.sent;
  summary.emails_failed += report.failed;
  summary.emails_queued += report.queued;
  summary.mail_failed = summary.mail_failed || report.mail_failed;
  summary.warnings.insert(summary.warnings.end(), report.warnings.begin(), report.warnings.end());
}

void record(const MailDeps& deps, Timestamp started_at,
            std::chrono::steady_clock::time_point started, RunSummary& summary) {
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  deps.store.record_run(started_at, deps.clock.now(), to_json(summary));
}

}  // namespace

notifier::DeliveryPolicy delivery_policy(const config::Config& config) {
  notifier::DeliveryPolicy policy;
  policy.digest_hour = config.notifier.digest_hour;
  return policy;
}

RunSummary run_once(const config::Config& config, RunDeps deps) {
  auto started = std::chrono::steady_clock::now();
  Timestamp started_at = deps.clock.now();
  RunSummary summary;
  if (config.sources.empty()) {
    deps.log << "no sources configured in " << config.origin
             << ": add [[source]] tables (run `billwatch init` for an annotated example)\n";
  } else {
    sources::SourceRun run(deps.source_deps(), summary);
    run.set_max_links_per_page(config.crawler.max_links_per_page);
    sources::run_sources(config, run);
    run.record_health();
  }
  MailDeps mail{deps.store, deps.mail, deps.clock, deps.errors};
  deliver(config, mail, delivery_policy(config).max_attempts, summary);
  record(mail, started_at, started, summary);
  return summary;
}

RunSummary notify_once(const config::Config& config, MailDeps deps, int max_attempts) {
  auto started = std::chrono::steady_clock::now();
  Timestamp started_at = deps.clock.now();
  RunSummary summary;
  deliver(config, deps, max_attempts, summary);
  record(deps, started_at, started, summary);
  return summary;
}

std::string to_json(const RunSummary& s) {
  nlohmann::ordered_json j{{"fetched", s.fetched},
                           {"not_modified", s.not_modified},
                           {"unchanged", s.unchanged},
                           {"changed", s.changed},
                           {"new", s.new_bills},
                           {"failed", s.failed},
                           {"off_topic", s.off_topic},
                           {"emails_sent", s.emails_sent},
                           {"emails_failed", s.emails_failed},
                           {"emails_queued", s.emails_queued},
                           {"bytes_downloaded", s.bytes_downloaded},
                           {"requests", s.requests},
                           {"connections", s.connections},
                           {"retries", s.retries},
                           {"blocked", s.blocked},
                           {"robots_skipped", s.robots_skipped},
                           {"seconds", s.seconds},
                           {"errors", s.errors},
                           {"warnings", s.warnings}};
  return j.dump();
}

int exit_code(const RunSummary& summary) {
  return summary.failed > 0 || summary.mail_failed ? 1 : 0;
}

}  // namespace billwatch::app
