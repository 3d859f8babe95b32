#include "billwatch/app/run_once.hpp"

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <variant>

#include "billwatch/core/hash.hpp"
#include "billwatch/notifier/unsubscribe.hpp"
#include "billwatch/sources/source_run.hpp"
#include "billwatch/store/store.hpp"
#include "secret.hpp"

namespace billwatch::app {

namespace {

class Cycle {
 public:
  Cycle(const config::Config& config, RunDeps deps)
      : m_config(config), m_deps(deps), m_run(deps.source_deps(), m_summary) {
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
  void crawl() {
    if (m_config.sources.empty()) {
      m_deps.log << "no sources configured in " << m_config.origin
                 << ": add [[source]] tables (run `billwatch init` for an annotated example)\n";
      return;
    }
    sources::run_sources(m_config, m_run);
    m_run.record_health();
  }

  // Is a digest subscriber  // Is a digest subscriber's next digest due? The first run after the
  // configured hour (UTC) sends it: once a day for daily, once in seven days for weekly. The digest
  // slot a moment falls in: the latest configured hour (UTC) at or before it.
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
  sources::SourceRun m_run;
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
