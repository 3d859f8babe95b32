#include "billwatch/notifier/delivery.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "billwatch/notifier/message.hpp"
#include "billwatch/notifier/tokens.hpp"

namespace billwatch::notifier {

Timestamp DeliveryPolicy::retry_wait(int attempts) const {
  return Timestamp{900} << std::clamp(attempts - 1, 0, 16);
}

bool DeliveryPolicy::retry_due(int attempts, Timestamp failed_at, Timestamp now) const {
  return attempts == 0 || failed_at + retry_wait(attempts) <= now;
}

Timestamp DeliveryPolicy::digest_slot(Timestamp t) const {
  Timestamp slot = t - t % 86400 + Timestamp{digest_hour} * 3600;
  return t < slot ? slot - 86400 : slot;
}

Timestamp DeliveryPolicy::next_digest_at(const Subscriber& subscriber) const {
  if (subscriber.frequency == Frequency::Immediate || subscriber.last_digest_at == 0) return 0;
  Timestamp period = subscriber.frequency == Frequency::Daily ? 86400 : 7 * 86400;
  return digest_slot(subscriber.last_digest_at) + period;
}

bool DeliveryPolicy::digest_due(const Subscriber& subscriber, Timestamp now) const {
  if (subscriber.frequency == Frequency::Immediate) return true;
  if (subscriber.last_digest_at == 0) return true;  // the first digest: at once
  Timestamp period = subscriber.frequency == Frequency::Daily ? 86400 : 7 * 86400;
  return digest_slot(now) >= digest_slot(subscriber.last_digest_at) + period;
}

namespace {

class Pass {
 public:
  Pass(Ledger& ledger, MailSender* mail, const Clock& clock, const DeliveryPolicy& policy,
       const DeliveryOptions& options, std::ostream& errors)
      : m_ledger(ledger),
        m_mail(mail),
        m_clock(clock),
        m_policy(policy),
        m_options(options),
        m_errors(errors) {}

  DeliveryReport run(int max_attempts) {
    std::int64_t newest = m_ledger.newest_event_id();
    // `outbox --retry` means now: no waiting then.
    std::optional<Timestamp> backoff_clock;
    if (max_attempts == m_policy.max_attempts) backoff_clock = m_clock.now();
    std::vector<PendingDelivery> pending = m_ledger.pending(max_attempts, m_policy, backoff_clock);
    // One message per subscriber and run: their events together (a digest when it is due).
    std::vector<std::pair<Subscriber, std::vector<ChangeEvent>>> groups;
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
    if (!groups.empty() && !m_mail) {
      for (const auto& [subscriber, events] : groups) {
        m_report.queued += static_cast<int>(events.size());
        keep_queued(subscriber, events);
      }
      warn("mail: no [smtp] section in " + m_options.config_origin + ": " +
           std::to_string(m_report.queued) + " alert(s) stay queued");
      remember_considered(newest);
      return m_report;
    }
    for (auto& [subscriber, events] : groups) deliver_group(subscriber, events);
    if (m_unanswered >= m_policy.give_up_after_unanswered) {
      warn("mail: the mail server keeps failing: " + std::to_string(m_report.queued) +
           " alert(s) stay queued for the next run");
      m_report.mail_failed = true;
    }
    remember_considered(newest);
    return m_report;
  }

 private:
  bool server_down() const { return m_unanswered >= m_policy.give_up_after_unanswered; }

  void deliver_group(const Subscriber& subscriber, const std::vector<ChangeEvent>& events) {
    Timestamp now = m_clock.now();
    if (server_down()) {
      m_report.queued += static_cast<int>(events.size());
      keep_queued(subscriber, events);
      return;
    }
    if (!m_policy.digest_due(subscriber, now)) {
      keep_queued(subscriber, events);  // waits for its digest
      return;
    }
    std::size_t step = std::max<std::size_t>(1, m_policy.events_per_message);
    for (std::size_t at = 0; at < events.size(); at += step) {
      std::vector<ChangeEvent> part(
          events.begin() + static_cast<long>(at),
          events.begin() + static_cast<long>(std::min(events.size(), at + step)));
      if (server_down()) {
        m_report.queued += static_cast<int>(part.size());
        keep_queued(subscriber, part);
        continue;
      }
      deliver(subscriber, part);
    }
    if (subscriber.frequency != Frequency::Immediate && m_unanswered == 0) {
      m_ledger.mark_digest_sent(subscriber.id, now);
    }
  }

  // One message for these events of one subscriber, with its ledger steps around the send.
  void deliver(const Subscriber& subscriber, const std::vector<ChangeEvent>& events) {
    Timestamp now = m_clock.now();
    std::optional<Message> message;
    try {
      MessageOptions options;
      if (!m_secret_asked) {
        m_secret_asked = true;
        if (m_options.unsubscribe_secret) m_secret = m_options.unsubscribe_secret();
      }
      if (m_secret) {
        options.unsubscribe_token = unsubscribe_token(*m_secret, subscriber.id);
        options.manage_token = manage_token(*m_secret, subscriber.id, subscriber.manage_generation);
      }
      options.web_base_url = m_options.web_base_url;
      for (const auto& subscription : subscriber.subscriptions) {
        for (const auto& category : subscription.categories) {
          options.followed_categories.push_back(category);
        }
      }
      if (subscriber.frequency != Frequency::Immediate) {
        options.digest = std::string(to_string(subscriber.frequency));
      }
      message = build_digest(events, m_options.from, subscriber.email, subscriber.id, now, options);
    } catch (const std::invalid_argument& e) {
      for (const auto& event : events) m_ledger.mark_failed(subscriber.id, event.id, e.what(), now);
      ++m_report.failed;
      m_errors << "error: alert for " << subscriber.email << ": " << e.what() << "\n";
      return;
    }
    for (const auto& event : events) m_ledger.mark_sending(subscriber.id, event.id, now);
    SendResult sent = m_mail->send(*message);
    Timestamp done = m_clock.now();
    if (sent) {
      for (const auto& event : events) m_ledger.mark_sent(subscriber.id, event.id, done);
      ++m_report.sent;
      m_unanswered = 0;
      return;
    }
    for (const auto& event : events) {
      switch (sent.outcome) {
        case SendOutcome::Refused:  // this recipient, for good (no such mailbox, policy)
          m_ledger.mark_refused(subscriber.id, event.id, sent.error(), done);
          break;
        case SendOutcome::Unreachable:
          m_ledger.mark_unanswered(subscriber.id, event.id, sent.error(), done);
          break;
        default:
          m_ledger.mark_failed(subscriber.id, event.id, sent.error(), done);
      }
    }
    // Only a server that does not answer is "down"; a refused recipient is not. What it
    // did not answer stays queued for the next run.
    if (sent.outcome == SendOutcome::Unreachable) {
      ++m_unanswered;
      m_report.queued += static_cast<int>(events.size());
    } else {
      ++m_report.failed;
    }
    // A run whose alerts did not go out must say so: in its exit code and in the JSON
    // summary's warnings, not only on stderr.
    m_report.mail_failed = true;
    m_report.warnings.push_back("mail to " + subscriber.email + ": " + sent.error());
    m_errors << "error: " << sent.error() << "\n";
  }

  void keep_queued(const Subscriber& subscriber, const std::vector<ChangeEvent>& events) {
    for (const auto& e : events) {
      auto [it, added] = m_first_unattempted.emplace(subscriber.id, e.id);
      if (!added) it->second = std::min(it->second, e.id);
    }
  }

  // Events not attempted this pass stay pending; everything before them was matched and
  // need not be read again.
  void remember_considered(std::int64_t newest) {
    m_ledger.begin_batch();
    for (std::int64_t id : m_ledger.subscriber_ids()) {
      auto stop = m_first_unattempted.find(id);
      m_ledger.mark_considered(id, stop == m_first_unattempted.end() ? newest : stop->second - 1);
    }
    m_ledger.end_batch();
  }

  void warn(const std::string& why) {
    m_errors << "warning: " << why << "\n";
    m_report.warnings.push_back(why);
  }

  Ledger& m_ledger;
  MailSender* m_mail;
  const Clock& m_clock;
  const DeliveryPolicy& m_policy;
  const DeliveryOptions& m_options;
  std::ostream& m_errors;
  DeliveryReport m_report;
  int m_unanswered = 0;  // sends in a row no server answered
  bool m_secret_asked = false;
  std::optional<std::string> m_secret;
  std::map<std::int64_t, std::int64_t> m_first_unattempted;  // subscriber -> event
};

}  // namespace

DeliveryReport deliver_pending(Ledger& ledger, MailSender* mail, const Clock& clock,
                               const DeliveryPolicy& policy, const DeliveryOptions& options,
                               int max_attempts, std::ostream& errors) {
  return Pass(ledger, mail, clock, policy, options, errors).run(max_attempts);
}

}  // namespace billwatch::notifier
