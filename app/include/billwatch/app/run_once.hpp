#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "billwatch/config/config.hpp"
#include "billwatch/core/clock.hpp"
#include "billwatch/core/run_summary.hpp"
#include "billwatch/crawler/http_client.hpp"
#include "billwatch/notifier/delivery.hpp"
#include "billwatch/notifier/mail_sender.hpp"
#include "billwatch/sources/source.hpp"
#include "billwatch/store/store.hpp"

namespace billwatch::app {

using RunSummary = billwatch::RunSummary;

// What a run talks to. `mail` may be null: then alerts stay queued.
struct RunDeps {
  crawler::HttpClient& http;
  store::Store& store;
  notifier::MailSender* mail;
  const Clock& clock;
  std::ostream& log;     // progress, one line per step
  std::ostream& errors;  // per-item errors, one line each ("error: source 'X': URL: why")
  crawler::FetchObserver* progress = nullptr;  // crawl progress; may be null

  // What the sources need of it (no mail).
  sources::SourceDeps source_deps() const { return {http, store, clock, log, errors, progress}; }
};

// One daily cycle: fetch every configured page, turn it into text, screen it, store new
// versions with their events (one transaction per bill), then mail each pending event to
// each matching subscriber once. A failed page never stops the others; only a database
// failure (StoreError) escapes.
RunSummary run_once(const config::Config& config, RunDeps deps);

// What the mail half of a run talks to: no network but the mail server.
struct MailDeps {
  store::Store& store;
  notifier::MailSender* mail;  // null: alerts stay queued
  const Clock& clock;
  std::ostream& errors;
};

// The configured delivery policy (the digest hour; the rest are the notifier's defaults).
notifier::DeliveryPolicy delivery_policy(const config::Config& config);

// Deliveries that failed this many times are given up (kept as failed in the ledger).
inline constexpr int k_max_delivery_attempts = notifier::DeliveryPolicy{}.max_attempts;

// Only the mail half of a run: every pending alert (and failed ones with fewer than
// `max_attempts` attempts) sent now, nothing fetched (`billwatch notify`, `outbox --retry`).
RunSummary notify_once(const config::Config& config, MailDeps deps,
                       int max_attempts = k_max_delivery_attempts);

// The run summary as one JSON object (the `billwatch run --json` output).
std::string to_json(const RunSummary& summary);

// 0 when everything worked, 1 when some source failed.
int exit_code(const RunSummary& summary);

}  // namespace billwatch::app
