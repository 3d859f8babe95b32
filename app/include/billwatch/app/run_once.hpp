#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "billwatch/config/config.hpp"
#include "billwatch/core/clock.hpp"
#include "billwatch/crawler/http_client.hpp"
#include "billwatch/notifier/mail_sender.hpp"
#include "billwatch/store/store.hpp"

namespace billwatch::app {

struct RunSummary {
  int fetched = 0;       // pages that answered with a body
  int not_modified = 0;  // pages that answered 304
  int unchanged = 0;     // fetched, but the text was the stored one
  int changed = 0;       // new version of a known bill
  int new_bills = 0;     // first version of a bill
  int failed = 0;        // fetch, block or decode failures
  int off_topic = 0;     // federal bills read and not followed (not about the topic)
  int emails_sent = 0;
  int emails_failed = 0;
  int emails_queued = 0;     // pending deliveries left for a later run
  bool mail_failed = false;  // the mail server failed or did not answer (the reason is in warnings)
  std::size_t bytes_downloaded = 0;
  std::size_t requests = 0;     // HTTP requests, robots.txt and retries included
  std::size_t connections = 0;  // new connections; the rest of the requests reused one
  int retries = 0;
  int blocked = 0;         // block or challenge pages (also counted in failed)
  int robots_skipped = 0;  // URLs robots.txt disallows (not counted in failed)
  double seconds = 0;
  std::vector<std::string> errors;    // one line per failure, naming source and URL
  std::vector<std::string> warnings;  // stored, but worth a look (e.g. bytes replaced)
};

// What a run talks to. `mail` may be null: then alerts stay queued.
struct RunDeps {
  crawler::HttpClient& http;
  store::Store& store;
  notifier::MailSender* mail;
  const Clock& clock;
  std::ostream& log;     // progress, one line per step
  std::ostream& errors;  // per-item errors, one line each ("error: source 'X': URL: why")
  crawler::FetchObserver* progress = nullptr;  // crawl progress; may be null
};

// One daily cycle: fetch every configured page, turn it into text, screen it, store new
// versions with their events (one transaction per bill), then mail each pending event to
// each matching subscriber once. A failed page never stops the others; only a database
// failure (StoreError) escapes.
RunSummary run_once(const config::Config& config, RunDeps deps);

// Throws config::ConfigError ("FILE:LINE: source[i].selectors.KEY: ...") for a selector
// outside the supported subset, so a typo stops `billwatch` at load like any config error.
void check_selectors(const config::Config& config);

// Deliveries that failed this many times are given up (kept as failed in the ledger).
inline constexpr int k_max_delivery_attempts = 5;

// Only the mail half of a run: every pending alert (and failed ones with fewer than
// `max_attempts` attempts) sent now, nothing fetched (`billwatch notify`, `outbox --retry`).
RunSummary notify_once(const config::Config& config, RunDeps deps,
                       int max_attempts = k_max_delivery_attempts);

// The run summary as one JSON object (the `billwatch run --json` output).
std::string to_json(const RunSummary& summary);

// 0 when everything worked, 1 when some source failed.
int exit_code(const RunSummary& summary);

}  // namespace billwatch::app
