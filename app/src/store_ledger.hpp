#pragma once

#include "billwatch/notifier/delivery.hpp"
#include "billwatch/store/store.hpp"

namespace billwatch::app {

// The store's delivery ledger as the notifier's Ledger: the app wires the two, so that
// neither library knows the other.
class StoreLedger final : public notifier::Ledger {
 public:
  explicit StoreLedger(store::Store& store) : m_store(store) {}

  std::vector<PendingDelivery> pending(int max_attempts, const notifier::DeliveryPolicy& policy,
                                       std::optional<Timestamp> now) override {
    if (!now) return m_store.pending_deliveries(max_attempts);
    return m_store.pending_deliveries(max_attempts, [&](int attempts, Timestamp failed_at) {
      return policy.retry_due(attempts, failed_at, *now);
    });
  }
  std::int64_t newest_event_id() override { return m_store.newest_event_id(); }
  std::vector<std::int64_t> subscriber_ids() override {
    std::vector<std::int64_t> ids;
    for (const auto& subscriber : m_store.subscribers()) ids.push_back(subscriber.id);
    return ids;
  }
  void mark_considered(std::int64_t subscriber, std::int64_t event) override {
    m_store.mark_considered(subscriber, event);
  }
  void mark_digest_sent(std::int64_t subscriber, Timestamp at) override {
    m_store.mark_digest_sent(subscriber, at);
  }
  void mark_sending(std::int64_t subscriber, std::int64_t event, Timestamp at) override {
    m_store.mark_sending(subscriber, event, at);
  }
  void mark_sent(std::int64_t subscriber, std::int64_t event, Timestamp at) override {
    m_store.mark_sent(subscriber, event, at);
  }
  void mark_failed(std::int64_t subscriber, std::int64_t event, const std::string& error,
                   Timestamp at) override {
    m_store.mark_failed(subscriber, event, error, at);
  }
  void mark_unanswered(std::int64_t subscriber, std::int64_t event, const std::string& error,
                       Timestamp at) override {
    m_store.mark_unanswered(subscriber, event, error, at);
  }
  void mark_refused(std::int64_t subscriber, std::int64_t event, const std::string& error,
                    Timestamp at) override {
    m_store.mark_refused(subscriber, event, error, at);
  }
  void begin_batch() override { m_batch.emplace(m_store.batch()); }
  void end_batch() override {
    if (m_batch) m_batch->finish();
    m_batch.reset();
  }

 private:
  store::Store& m_store;
  std::optional<store::Store::Batch> m_batch;
};

}  // namespace billwatch::app
