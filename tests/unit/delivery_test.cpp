// The notifier's delivery policy and pass, with an in-memory ledger and a scripted mail
// sender: milliseconds, no SMTP server, no database. (The same pass over the real store and
// a real SMTP server is run_cycle_test and notify_exactly_once_test.)
#include "billwatch/notifier/delivery.hpp"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "fake_mail_sender.hpp"
#include "manual_clock.hpp"

namespace billwatch::notifier {
namespace {

TEST(DeliveryPolicyTest, AFailedDeliveryWaitsLongerAfterEachFailure) {
  DeliveryPolicy policy;
  EXPECT_EQ(policy.retry_wait(1), 900) << "15 minutes after the first";
  EXPECT_EQ(policy.retry_wait(2), 1800) << "30 after the second";
  EXPECT_EQ(policy.retry_wait(3), 3600);
  EXPECT_FALSE(policy.retry_due(1, 100, 100 + 600));
  EXPECT_TRUE(policy.retry_due(1, 100, 100 + 900));
  EXPECT_FALSE(policy.retry_due(2, 1000, 1000 + 1700));
  EXPECT_TRUE(policy.retry_due(2, 1000, 1000 + 1800));
  EXPECT_TRUE(policy.retry_due(0, 1000, 1000)) << "no server answered: no attempt, no wait";
  EXPECT_EQ(policy.retry_wait(100), Timestamp{900} << 16) << "the wait is capped";
}

TEST(DeliveryPolicyTest, DigestsGoWithTheFirstRunAfterTheirHour) {
  DeliveryPolicy policy;
  policy.digest_hour = 7;
  Subscriber daily;
  daily.frequency = Frequency::Daily;
  Timestamp day = 1764288000;  // 2025-11-28 00:00 UTC
  EXPECT_TRUE(policy.digest_due(daily, day + 3600)) << "the first digest: at once";
  daily.last_digest_at = day + 8 * 3600;  // sent at 08:00
  EXPECT_FALSE(policy.digest_due(daily, day + 23 * 3600));
  EXPECT_FALSE(policy.digest_due(daily, day + 86400 + 6 * 3600)) << "before the hour";
  EXPECT_TRUE(policy.digest_due(daily, day + 86400 + 7 * 3600));
  Subscriber weekly = daily;
  weekly.frequency = Frequency::Weekly;
  EXPECT_FALSE(policy.digest_due(weekly, day + 6 * 86400 + 8 * 3600));
  EXPECT_TRUE(policy.digest_due(weekly, day + 7 * 86400 + 7 * 3600));
  Subscriber immediate;
  EXPECT_TRUE(policy.digest_due(immediate, day));
}

TEST(DeliveryPolicyTest, TheServersReplyDecidesWhatAFailureMeans) {
  EXPECT_EQ(outcome_of_reply(550), SendOutcome::Refused);
  EXPECT_EQ(outcome_of_reply(451), SendOutcome::Deferred);
  EXPECT_EQ(outcome_of_reply(0), SendOutcome::Unreachable);
}

// The ledger as the store keeps it, in memory: a delivery per (subscriber, event).
class MemoryLedger final : public Ledger {
 public:
  struct Row {
    std::string status;  // sending, sent, failed, refused, unanswered
    int attempts = 0;
    Timestamp at = 0;
  };

  void add_subscriber(Subscriber subscriber) { m_subscribers.push_back(std::move(subscriber)); }
  void add_event(std::int64_t id) {
    ChangeEvent event;
    event.id = id;
    event.kind = EventKind::NewBill;
    event.bill.id = "WA-2025-HB-" + std::to_string(id);
    event.bill.title = "Restraint and isolation of students";
    event.bill.jurisdiction = "WA";
    m_events.push_back(event);
  }

  std::vector<PendingDelivery> pending(int max_attempts, const DeliveryPolicy& policy,
                                       std::optional<Timestamp> now) override {
    std::vector<PendingDelivery> out;
    for (const auto& event : m_events) {
      for (const auto& subscriber : m_subscribers) {
        auto row = rows.find({subscriber.id, event.id});
        int attempts = 0;
        if (row != rows.end()) {
          const Row& r = row->second;
          if (r.status == "sent" || r.status == "refused") continue;
          if (r.status == "failed" && r.attempts >= max_attempts) continue;
          if (r.status == "failed" && now && !policy.retry_due(r.attempts, r.at, *now)) continue;
          attempts = r.attempts;
        } else if (event.id <= considered[subscriber.id]) {
          continue;
        }
        out.push_back({subscriber, event, attempts});
      }
    }
    return out;
  }
  std::int64_t newest_event_id() override { return m_events.empty() ? 0 : m_events.back().id; }
  std::vector<std::int64_t> subscriber_ids() override {
    std::vector<std::int64_t> ids;
    for (const auto& s : m_subscribers) ids.push_back(s.id);
    return ids;
  }
  void mark_considered(std::int64_t subscriber, std::int64_t event) override {
    considered[subscriber] = event;
  }
  void mark_digest_sent(std::int64_t subscriber, Timestamp at) override {
    for (auto& s : m_subscribers) {
      if (s.id == subscriber) s.last_digest_at = at;
    }
  }
  void mark_sending(std::int64_t s, std::int64_t e, Timestamp at) override {
    rows[{s, e}].status = "sending";
    rows[{s, e}].at = at;
  }
  void mark_sent(std::int64_t s, std::int64_t e, Timestamp at) override {
    set(s, e, "sent", 0, at);
  }
  void mark_failed(std::int64_t s, std::int64_t e, const std::string&, Timestamp at) override {
    set(s, e, "failed", 1, at);
  }
  void mark_unanswered(std::int64_t s, std::int64_t e, const std::string&, Timestamp at) override {
    set(s, e, "failed", 0, at);
  }
  void mark_refused(std::int64_t s, std::int64_t e, const std::string&, Timestamp at) override {
    set(s, e, "refused", 1, at);
  }

  std::map<std::pair<std::int64_t, std::int64_t>, Row> rows;
  std::map<std::int64_t, std::int64_t> considered;

 private:
  void set(std::int64_t s, std::int64_t e, const char* status, int more, Timestamp at) {
    Row& row = rows[{s, e}];
    row.status = status;
    row.attempts += more;
    row.at = at;
  }
  std::vector<Subscriber> m_subscribers;
  std::vector<ChangeEvent> m_events;
};

Subscriber subscriber(std::int64_t id, Frequency frequency = Frequency::Immediate) {
  Subscriber s;
  s.id = id;
  s.email = "parent" + std::to_string(id) + "@example.org";
  s.frequency = frequency;
  return s;
}

class DeliveryTest : public ::testing::Test {
 protected:
  DeliveryReport deliver(int max_attempts = DeliveryPolicy{}.max_attempts) {
    return deliver_pending(ledger, &mail, clock, policy, options, max_attempts, errors);
  }
  MemoryLedger ledger;
  test::FakeMailSender mail;
  test::ManualClock clock;
  DeliveryPolicy policy;
  DeliveryOptions options{"alerts@example.org", "billwatch.toml", "", {}};
  std::ostringstream errors;
};

TEST_F(DeliveryTest, EachSubscribersAlertsGoInOneMessageOnceAndNeverTwice) {
  ledger.add_subscriber(subscriber(1));
  ledger.add_subscriber(subscriber(2));
  ledger.add_event(10);
  ledger.add_event(11);
  DeliveryReport first = deliver();
  EXPECT_EQ(first.sent, 2);
  ASSERT_EQ(mail.sent.size(), 2u) << "one message per subscriber, both events in it";
  EXPECT_EQ(mail.sent[0].envelope_to, "parent1@example.org");
  EXPECT_EQ(ledger.rows.at({1, 11}).status, "sent");
  DeliveryReport again = deliver();
  EXPECT_EQ(again.sent, 0);
  EXPECT_EQ(mail.sent.size(), 2u) << "never twice";
  EXPECT_EQ(ledger.considered.at(2), 11);
}

TEST_F(DeliveryTest, ARefusalIsFinalADeferralWaitsAndIsRetried) {
  ledger.add_subscriber(subscriber(1));
  ledger.add_subscriber(subscriber(2));
  ledger.add_event(10);
  mail.script = {SendResult::failed(550, "550 no such mailbox"),
                 SendResult::failed(451, "451 try later")};
  DeliveryReport report = deliver();
  EXPECT_EQ(report.failed, 2);
  EXPECT_TRUE(report.mail_failed);
  EXPECT_EQ(ledger.rows.at({1, 10}).status, "refused");
  EXPECT_EQ(ledger.rows.at({2, 10}).status, "failed");
  EXPECT_EQ(deliver().sent, 0) << "the deferred one waits its 15 minutes";
  clock.advance(900);
  DeliveryReport later = deliver();
  EXPECT_EQ(later.sent, 1);
  EXPECT_EQ(mail.sent.back().envelope_to, "parent2@example.org") << "the refused is not retried";
}

TEST_F(DeliveryTest, AServerThatDoesNotAnswerLeavesTheRestQueued) {
  for (int id = 1; id <= 5; ++id) ledger.add_subscriber(subscriber(id));
  ledger.add_event(10);
  for (int i = 0; i < 3; ++i) mail.script.push_back(SendResult::failed(0, "connection refused"));
  DeliveryReport report = deliver();
  EXPECT_EQ(mail.sent.size(), 3u) << "given up after three unanswered sends";
  EXPECT_EQ(report.queued, 5);
  EXPECT_TRUE(report.mail_failed);
  EXPECT_NE(errors.str().find("keeps failing"), std::string::npos) << errors.str();
  EXPECT_EQ(deliver().sent, 5) << "the next run sends them all, no attempt was counted";
}

TEST_F(DeliveryTest, DigestsWaitForTheirHourAndLongBacklogsAreSplit) {
  policy.events_per_message = 2;
  ledger.add_subscriber(subscriber(1, Frequency::Daily));
  for (int id = 10; id < 15; ++id) ledger.add_event(id);
  EXPECT_EQ(deliver().sent, 3) << "five alerts, two per message";
  ledger.add_event(15);
  EXPECT_EQ(deliver().sent, 0) << "the next digest waits for tomorrow";
  clock.advance(86400);
  EXPECT_EQ(deliver().sent, 1);
}

TEST_F(DeliveryTest, WithoutAMailServerEverythingStaysQueuedWithAWarning) {
  ledger.add_subscriber(subscriber(1));
  ledger.add_event(10);
  DeliveryReport report =
      deliver_pending(ledger, nullptr, clock, policy, options, policy.max_attempts, errors);
  EXPECT_EQ(report.queued, 1);
  EXPECT_NE(errors.str().find("no [smtp] section in billwatch.toml"), std::string::npos);
  EXPECT_TRUE(ledger.rows.empty());
}

}  // namespace
}  // namespace billwatch::notifier
