#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "billwatch/core/clock.hpp"
#include "billwatch/core/subscription.hpp"
#include "billwatch/notifier/mail_sender.hpp"

// Who gets which alert when, and what a failed send means: the notifier's delivery policy
// (pure), the ledger it works through (the store implements it), and the delivery pass.
namespace billwatch::notifier {

// The rules of delivery, in one place.
struct DeliveryPolicy {
  // Failures after which a delivery is given up (kept as failed in the ledger).
  int max_attempts = 5;
  // `outbox --retry` gives given-up deliveries this many more attempts; refusals stay.
  int retry_extra_attempts = 5;
  // A long backlog goes out in several messages rather than one enormous one.
  std::size_t events_per_message = 50;
  // A mail server that does not answer this many times in a row is down: the rest of the
  // run's alerts stay queued instead of burning their attempts.
  int give_up_after_unanswered = 3;
  // Daily and weekly digests go with the first run after this hour (UTC).
  int digest_hour = 7;

  // How long a delivery waits after its `attempts`-th counted failure: 15 minutes, then
  // doubling (a deferring server, a 4xx, is not hammered).
  Timestamp retry_wait(int attempts) const;
  // Whether a delivery that failed `attempts` times, the last at `failed_at`, may be tried
  // at `now`. A delivery no server answered (no attempt counted) may be tried at once.
  bool retry_due(int attempts, Timestamp failed_at, Timestamp now) const;
  // The digest slot a moment falls in: the latest digest hour at or before it.
  Timestamp digest_slot(Timestamp t) const;
  // Whether a subscriber's next message is due at `now`: always for immediate; for a
  // digest, the first at once, then once a day (daily) or in seven days (weekly).
  bool digest_due(const Subscriber& subscriber, Timestamp now) const;
  // When a digest subscriber's next digest may go (0: at once).
  Timestamp next_digest_at(const Subscriber& subscriber) const;
};

// The delivery ledger, as the notifier uses it. The store keeps it (app wires the two);
// tests use an in-memory one.
class Ledger {
 public:
  virtual ~Ledger() = default;
  // Deliveries not sent yet, oldest event first: failed ones only while they have had
  // fewer than `max_attempts` attempts and, with `now`, when the policy's wait is over.
  virtual std::vector<PendingDelivery> pending(int max_attempts, const DeliveryPolicy& policy,
                                               std::optional<Timestamp> now) = 0;
  virtual std::int64_t newest_event_id() = 0;
  virtual std::vector<std::int64_t> subscriber_ids() = 0;
  // Every event up to `event_id` was matched against the subscriber's filters.
  virtual void mark_considered(std::int64_t subscriber_id, std::int64_t event_id) = 0;
  virtual void mark_digest_sent(std::int64_t subscriber_id, Timestamp at) = 0;
  // Ledger steps around one send: "sending" before SMTP, one of the others after it.
  virtual void mark_sending(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at) = 0;
  virtual void mark_sent(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at) = 0;
  virtual void mark_failed(std::int64_t subscriber_id, std::int64_t event_id,
                           const std::string& error, Timestamp at) = 0;
  virtual void mark_unanswered(std::int64_t subscriber_id, std::int64_t event_id,
                               const std::string& error, Timestamp at) = 0;
  virtual void mark_refused(std::int64_t subscriber_id, std::int64_t event_id,
                            const std::string& error, Timestamp at) = 0;
  // Groups the writes between the two in one transaction; may do nothing.
  virtual void begin_batch() {}
  virtual void end_batch() {}
};

// What the messages say beyond the events: the sender, links and unsubscribe tokens.
struct DeliveryOptions {
  std::string from;
  std::string config_origin;  // named when alerts stay queued for want of [smtp]
  std::string web_base_url;   // [web] base_url; empty: no web links
  // The unsubscribe secret, asked once and only when a message is built (a run with
  // nothing to send never reads the secret file); none: no unsubscribe links.
  std::function<std::optional<std::string>()> unsubscribe_secret;
};

struct DeliveryReport {
  int sent = 0;              // messages
  int failed = 0;            // messages refused or failed
  int queued = 0;            // alerts left for a later run
  bool mail_failed = false;  // the mail server failed or did not answer
  std::vector<std::string> warnings;
};

// One delivery pass: every pending alert, grouped into one message per subscriber (a
// digest when it is due), sent, and written to the ledger before and after each send, so
// that an alert goes once and never twice. `mail` may be null (no [smtp]): everything
// stays queued, with a warning. `max_attempts` is the policy's, or more for a retry (then
// failed deliveries are tried without waiting).
DeliveryReport deliver_pending(Ledger& ledger, MailSender* mail, const Clock& clock,
                               const DeliveryPolicy& policy, const DeliveryOptions& options,
                               int max_attempts, std::ostream& errors);

}  // namespace billwatch::notifier
