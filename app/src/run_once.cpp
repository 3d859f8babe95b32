#include "billwatch/app/run_once.hpp"

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <variant>

#include "billwatch/app/bill_id.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/notifier/unsubscribe.hpp"
#include "billwatch/store/store.hpp"
#include "congress_source.hpp"
#include "legiscan_source.hpp"
#include "openstates_source.hpp"
#include "page_version.hpp"
#include "secret.hpp"
#include "selector_pages.hpp"
#include "source_run.hpp"

namespace billwatch::app {

namespace {

struct PageJob {
  const config::SourceConfig* source;
  std::string url;
  std::string bill_id;
  // What the last fetch left, when a version of the bill is stored: its validators and
  // body hash describe that version. Without a version they are not used, so that a 304
  // can never leave a bill without text.
  std::optional<store::FetchState> state;
};

class Cycle {
 public:
  Cycle(const config::Config& config, RunDeps deps)
      : m_config(config), m_deps(deps), m_run(deps, m_summary) {
    m_run.set_max_links_per_page(config.crawler.max_links_per_page);
  }

  void set_max_attempts(int attempts) { m_max_attempts = attempts; }

  RunSummary run(bool crawl_sources = true) {
    auto started = std::chrono::steady_clock::now();
    Timestamp started_at = m_deps.clock.now();
    if (crawl_sources) crawl();
    notify();
    m_summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    m_deps.store.record_run(started_at, m_deps.clock.now(), to_json(m_summary));
    return m_summary;
  }

 private:
  void error(const PageJob& job, const std::string& message) {
    m_run.error(job.source->name, job.url, message);
  }

  std::vector<PageJob> plan() {
    std::vector<PageJob> jobs;
    for (const auto& source : m_config.sources) {
      if (source.type != "html") continue;
      for (const auto& url : source.urls) {
        PageJob job{&source, url, bill_id_for(source, url), std::nullopt};
        if (m_deps.store.latest_content_hash(job.bill_id))
          job.state = m_deps.store.fetch_state(url);
        jobs.push_back(std::move(job));
        m_run.count_page(source.name);
      }
    }
    return jobs;
  }

  void crawl() {
    if (m_config.sources.empty()) {
      m_deps.log << "no sources configured in " << m_config.origin
                 << ": add [[source]] tables (run `billwatch init` for an annotated example)\n";
      return;
    }
    crawl_pages();
    for (const auto& source : m_config.sources) {
      if (source.type == "congress") run_congress_source(source, m_run);
      if (source.type == "legiscan") run_legiscan_source(source, m_run);
      if (source.type == "openstates") run_openstates_source(source, m_run);
    }
    m_run.record_health();
  }

  void crawl_pages() {
    std::vector<PageJob> jobs = plan();
    if (jobs.empty()) return;
    std::vector<crawler::FetchRequest> requests;
    for (const auto& job : jobs) {
      crawler::FetchRequest request{job.url, "", ""};
      if (job.state) {
        request.etag = job.state->etag;
        request.last_modified = job.state->last_modified;
      }
      requests.push_back(std::move(request));
    }
    m_deps.log << "fetching " << jobs.size() << (jobs.size() == 1 ? " page" : " pages") << "\n";
    // Each page is stored as soon as it arrives, so its body is freed while others are
    // still downloading.
    // Updates are committed in groups (each bill's update stays atomic): a commit per
    // page rewrote the same index pages to the WAL a thousand times. At most a second of
    // work is uncommitted, so other writers (an operator's `subscribe`) are not held up.
    store::Store::Batch batch = m_deps.store.batch();
    auto last_commit = std::chrono::steady_clock::now();
    crawler::FetchStats stats = m_deps.http.fetch_each(
        requests,
        [&](std::size_t index, crawler::FetchOutcome&& outcome) {
          std::visit([&](auto& o) { handle(jobs[index], o); }, outcome);
          auto now = std::chrono::steady_clock::now();
          if (now - last_commit >= std::chrono::seconds(1)) {
            flush_successes();
            batch.commit();
            last_commit = now;
          }
        },
        m_deps.progress);
    flush_successes();
    batch.finish();
    m_run.add_stats(stats);
    m_selector_pages.finish();
  }

  void handle(const PageJob& job, const crawler::FetchFailure& failure) {
    Timestamp now = m_deps.clock.now();
    if (failure.kind == crawler::FailureKind::Robots) {
      // The site asked us not to: a notice, not a failure of billwatch or the source.
      ++m_summary.robots_skipped;
      m_deps.store.record_fetch_failure(job.url, 0, failure.message, "robots", now);
      m_deps.errors << "notice: source '" << job.source->name << "': " << job.url << ": "
                    << failure.message << "\n";
      return;
    }
    bool blocked = failure.kind == crawler::FailureKind::Blocked;
    if (blocked) ++m_summary.blocked;
    m_deps.store.record_fetch_failure(job.url, failure.http_status, failure.message,
                                      blocked ? "blocked" : "failed", now);
    error(job, failure.message);
  }

  // Successes that store nothing but the URL's state are written in batches.
  void record_success(const std::string& url, const store::FetchSuccess& success) {
    m_pending_successes.emplace_back(url, success);
    if (m_pending_successes.size() >= 256) flush_successes();
  }

  void flush_successes() {
    if (m_pending_successes.empty()) return;
    m_deps.store.record_fetch_successes(m_pending_successes, m_deps.clock.now());
    m_pending_successes.clear();
  }

  void handle(const PageJob& job, const crawler::NotModified&) {
    ++m_summary.not_modified;
    // Only sent with validators, so job.state is set.
    const store::FetchState& state = *job.state;
    record_success(job.url, store::FetchSuccess{304, state.etag, state.last_modified,
                                                state.body_hash, "not_modified"});
  }

  void handle(const PageJob& job, crawler::Fetched& fetched) {
    if (!job.source->selectors.empty()) {
      ++m_summary.fetched;
      m_selector_pages.read(*job.source, job.bill_id, job.url, fetched);
      return;
    }
    ++m_summary.fetched;
    Timestamp now = m_deps.clock.now();
    std::string raw_hash = sha256_hex(fetched.body);
    store::FetchSuccess unchanged{fetched.http_status, fetched.etag, fetched.last_modified,
                                  raw_hash, "unchanged"};
    if (job.state && job.state->body_hash == raw_hash) {
      // The server ignored our validators but sent the same bytes: nothing to parse.
      ++m_summary.unchanged;
      record_success(job.url, unchanged);
      return;
    }
    auto page = crawler::page_to_text(fetched.body, fetched.content_type, job.url);
    if (!page) {
      m_deps.store.record_fetch_failure(job.url, fetched.http_status, page.error(), "failed", now);
      error(job, page.error());
      return;
    }
    if (!page.value().warning.empty())
      m_run.warning(job.source->name, job.url, page.value().warning);
    try {
      store_page(job, page.value(), fetched, unchanged, now);
    } catch (const store::StoreError& e) {
      // This bill's record could not be read or written: an error for this page alone. Its
      // fetch is not recorded, so the next run reads it again; every other page goes on.
      error(job, job.bill_id + ": not stored: " + e.what());
    }
  }

  void store_page(const PageJob& job, const crawler::PageText& page,
                  const crawler::Fetched& fetched, const store::FetchSuccess& unchanged,
                  Timestamp now) {
    if (m_deps.store.is_latest_text(job.bill_id, page.text)) {
      ++m_summary.unchanged;
      record_success(job.url, unchanged);
      return;
    }
    std::optional<Version> latest = m_deps.store.latest_version(job.bill_id);

    Bill bill;
    bill.id = job.bill_id;
    bill.jurisdiction = job.source->jurisdiction;
    bill.source = job.source->name;
    bill.url = job.url;
    Provenance provenance{job.url,
                          fetched.final_url,
                          now,
                          fetched.http_status,
                          fetched.etag,
                          fetched.last_modified,
                          unchanged.body_hash};
    store::NewVersion version = make_version(bill, page, provenance, latest);
    store::SavedVersion saved = m_deps.store.save_version(version, now);
    if (saved.kind == EventKind::NewBill) {
      ++m_summary.new_bills;
      m_deps.log << "new bill " << job.bill_id << ": " << version.bill.title << "\n";
    } else {
      ++m_summary.changed;
      m_deps.log << "changed " << job.bill_id << ": new version " << saved.version_number << " ("
                 << saved.label << ")\n";
    }
  }

  // Is a digest subscriber's next digest due? The first run after the configured hour
  // (UTC) sends it: once a day for daily, once in seven days for weekly.
  // The digest slot a moment falls in: the latest configured hour (UTC) at or before it.
  Timestamp slot_of(Timestamp t) const {
    Timestamp slot = t - t % 86400 + Timestamp{m_config.notifier.digest_hour} * 3600;
    return t < slot ? slot - 86400 : slot;
  }

  bool due(const store::Subscriber& subscriber, Timestamp now) const {
    if (subscriber.frequency != frequency::k_daily && subscriber.frequency != frequency::k_weekly) {
      return true;
    }
    if (subscriber.last_digest_at == 0) return true;  // the first digest: at once
    Timestamp period = subscriber.frequency == frequency::k_daily ? 86400 : 7 * 86400;
    return slot_of(now) >= slot_of(subscriber.last_digest_at) + period;
  }

  void notify() {
    std::int64_t newest = m_deps.store.newest_event_id();
    // `outbox --retry` means now: no backoff then.
    std::optional<Timestamp> backoff_clock;
    if (m_max_attempts == k_max_delivery_attempts) backoff_clock = m_deps.clock.now();
    std::vector<store::PendingDelivery> pending =
        m_deps.store.pending_deliveries(m_max_attempts, backoff_clock);
    // Events not attempted this run stay pending; everything before them was matched and
    // need not be read again.
    std::map<std::int64_t, std::int64_t> first_unattempted;  // subscriber -> event
    auto remember_considered = [&] {
      store::Store::Batch batch = m_deps.store.batch();
      for (const auto& subscriber : m_deps.store.subscribers()) {
        auto stop = first_unattempted.find(subscriber.id);
        m_deps.store.mark_considered(subscriber.id,
                                     stop == first_unattempted.end() ? newest : stop->second - 1);
      }
      batch.finish();
    };
    // One message per subscriber and run: their events together (a digest when it is due).
    std::vector<std::pair<store::Subscriber, std::vector<ChangeEvent>>> groups;
    for (auto& delivery : pending) {
      auto group = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
        return g.first.id == delivery.subscriber.id;
      });
      if (group == groups.end()) {
        groups.emplace_back(delivery.subscriber, std::vector<ChangeEvent>{});
        group = groups.end() - 1;
      }
      group->second.push_back(std::move(delivery.event));
    }
    auto keep_queued = [&](const store::Subscriber& subscriber,
                           const std::vector<ChangeEvent>& events) {
      for (const auto& e : events) {
        auto [it, added] = first_unattempted.emplace(subscriber.id, e.id);
        if (!added) it->second = std::min(it->second, e.id);
      }
    };
    if (!groups.empty() && (!m_config.smtp || !m_deps.mail)) {
      for (const auto& [subscriber, events] : groups) {
        m_summary.emails_queued += static_cast<int>(events.size());
        keep_queued(subscriber, events);
      }
      std::string why = "mail: no [smtp] section in " + m_config.origin + ": " +
                        std::to_string(m_summary.emails_queued) + " alert(s) stay queued";
      m_deps.errors << "warning: " << why << "\n";
      m_summary.warnings.push_back(why);
      remember_considered();
      return;
    }
    // A mail server that is down fails every message the same way: stop after a few and
    // leave the rest queued, instead of burning their retry attempts.
    constexpr int k_give_up_after = 3;
    // A long backlog goes out in several messages rather than one enormous one.
    constexpr std::size_t k_events_per_message = 50;
    int consecutive_failures = 0;
    for (auto& [subscriber, events] : groups) {
      Timestamp now = m_deps.clock.now();
      if (consecutive_failures >= k_give_up_after) {
        m_summary.emails_queued += static_cast<int>(events.size());
        keep_queued(subscriber, events);
        continue;
      }
      if (!due(subscriber, now)) {
        keep_queued(subscriber, events);  // waits for its digest
        continue;
      }
      for (std::size_t at = 0; at < events.size(); at += k_events_per_message) {
        std::vector<ChangeEvent> part(
            events.begin() + static_cast<long>(at),
            events.begin() + static_cast<long>(std::min(events.size(), at + k_events_per_message)));
        if (consecutive_failures >= k_give_up_after) {
          m_summary.emails_queued += static_cast<int>(part.size());
          keep_queued(subscriber, part);
          continue;
        }
        deliver(subscriber, part, consecutive_failures);
      }
      if (subscriber.frequency != frequency::k_immediate && consecutive_failures == 0) {
        m_deps.store.mark_digest_sent(subscriber.id, now);
      }
    }
    if (consecutive_failures >= k_give_up_after) {
      std::string why =
          "mail: the mail server keeps failing: " + std::to_string(m_summary.emails_queued) +
          " alert(s) stay queued for the next run";
      m_deps.errors << "warning: " << why << "\n";
      m_summary.warnings.push_back(why);
      m_summary.mail_failed = true;
    }
    remember_considered();
  }

  // One message for these events of one subscriber, with its ledger steps around the send.
  void deliver(const store::Subscriber& subscriber, const std::vector<ChangeEvent>& events,
               int& consecutive_failures) {
    Timestamp now = m_deps.clock.now();
    std::optional<notifier::Message> message;
    try {
      notifier::MessageOptions options;
      if (secret())
        options.unsubscribe_token = notifier::unsubscribe_token(*secret(), subscriber.id);
      options.web_base_url = m_config.web.base_url;
      message = notifier::build_digest(events, m_config.smtp->from, subscriber.email, subscriber.id,
                                       now, options);
    } catch (const std::invalid_argument& e) {
      for (const auto& event : events)
        m_deps.store.mark_failed(subscriber.id, event.id, e.what(), now);
      ++m_summary.emails_failed;
      m_deps.errors << "error: alert for " << subscriber.email << ": " << e.what() << "\n";
      return;
    }
    for (const auto& event : events) m_deps.store.mark_sending(subscriber.id, event.id, now);
    Status sent = m_deps.mail->send(*message);
    Timestamp done = m_deps.clock.now();
    if (sent) {
      for (const auto& event : events) m_deps.store.mark_sent(subscriber.id, event.id, done);
      ++m_summary.emails_sent;
      consecutive_failures = 0;
      return;
    }
    long reply = m_deps.mail->last_reply();
    for (const auto& event : events) {
      if (reply >= 500 && reply < 600) {
        // This recipient is refused for good (no such mailbox, policy): not retried.
        m_deps.store.mark_refused(subscriber.id, event.id, sent.error(), done);
      } else if (reply == 0) {
        m_deps.store.mark_unanswered(subscriber.id, event.id, sent.error(), done);
      } else {
        m_deps.store.mark_failed(subscriber.id, event.id, sent.error(), done);
      }
    }
    // Only a server that does not answer is "down"; a refused recipient is not. What it
    // did not answer stays queued for the next run.
    if (reply == 0) {
      ++consecutive_failures;
      m_summary.emails_queued += static_cast<int>(events.size());
    } else {
      ++m_summary.emails_failed;
    }
    // A run whose alerts did not go out must say so: in its exit code and in the JSON
    // summary's warnings, not only on stderr.
    m_summary.mail_failed = true;
    m_summary.warnings.push_back("mail to " + subscriber.email + ": " + sent.error());
    m_deps.errors << "error: " << sent.error() << "\n";
  }

  // The unsubscribe secret, read once; without one (an unreadable secret file) alerts go
  // out without unsubscribe links, and the run says why.
  const std::optional<std::string>& secret() {
    if (!m_secret_read) {
      m_secret_read = true;
      try {
        if (m_deps.store.path() == ":memory:") {
          m_secret = random_hex(32);
        } else {
          m_secret = unsubscribe_secret(m_config, m_deps.store.path());
        }
      } catch (const std::runtime_error& e) {
        m_deps.errors << "warning: " << e.what() << "; alerts go out without unsubscribe links\n";
      }
    }
    return m_secret;
  }

  const config::Config& m_config;
  int m_max_attempts = k_max_delivery_attempts;
  bool m_secret_read = false;
  std::optional<std::string> m_secret;
  RunDeps m_deps;
  RunSummary m_summary;
  SourceRun m_run;
  SelectorPages m_selector_pages{m_run};
  std::vector<std::pair<std::string, store::FetchSuccess>> m_pending_successes;
};

}  // namespace

RunSummary run_once(const config::Config& config, RunDeps deps) {
  return Cycle(config, deps).run();
}

RunSummary notify_once(const config::Config& config, RunDeps deps, int max_attempts) {
  Cycle cycle(config, deps);
  cycle.set_max_attempts(max_attempts);
  return cycle.run(false);
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
