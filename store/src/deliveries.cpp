// Deliveries: subscribers, their subscriptions and the delivery ledger.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "billwatch/core/hash.hpp"
#include "billwatch/core/matching.hpp"
#include "billwatch/store/store.hpp"
#include "events.hpp"
#include "rows.hpp"
#include "schema.hpp"
#include "store_impl.hpp"
#include "subscriber_rows.hpp"
#include "texts.hpp"

namespace billwatch::store {

using detail::add_filter;
using detail::filter_to_json;
using detail::find_or_add_subscriber;
using detail::Prepared;
using detail::WriteScope;
using nlohmann::json;

bool Store::subscribe(const std::string& email, const std::vector<std::string>& jurisdictions,
                      Timestamp at) {
  return m_impl->guarded("subscribing", [&] {
    auto& db = m_impl->db;
    WriteScope transaction(db);
    bool is_new = false;
    std::int64_t id = find_or_add_subscriber(db, email, at, is_new);
    SQLite::Statement clear(db, "DELETE FROM subscriptions WHERE subscriber_id = ?");
    clear.bind(1, id);
    clear.exec();
    SubscriptionFilter filter;
    filter.jurisdictions = jurisdictions;
    SQLite::Statement add(db, "INSERT INTO subscriptions (subscriber_id, filter) VALUES (?, ?)");
    add.bind(1, id);
    add.bind(2, detail::json_text(filter_to_json(filter)));
    add.exec();
    transaction.commit();
    return is_new;
  });
}

bool Store::add_subscription(const std::string& email, const std::string& name,
                             const SubscriptionFilter& filter, std::optional<Frequency> frequency,
                             Timestamp at) {
  return m_impl->guarded("subscribing", [&] {
    auto& db = m_impl->db;
    WriteScope transaction(db);
    bool is_new = false;
    std::int64_t id = find_or_add_subscriber(db, email, at, is_new);
    if (!name.empty() || frequency) {
      SQLite::Statement update(db,
                               "UPDATE subscribers SET name = CASE WHEN ?2 = '' THEN name ELSE "
                               "?2 END, frequency = CASE WHEN ?3 = '' THEN frequency ELSE ?3 END "
                               "WHERE id = ?1");
      update.bind(1, id);
      update.bind(2, name);
      update.bind(3, frequency ? std::string(to_string(*frequency)) : std::string());
      update.exec();
    }
    add_filter(db, id, filter);
    transaction.commit();
    return is_new;
  });
}

bool Store::unsubscribe(const std::string& email) {
  return m_impl->guarded("unsubscribing", [&] {
    SQLite::Statement q(m_impl->db, "DELETE FROM subscribers WHERE email = ?");
    q.bind(1, email);
    return q.exec() > 0;
  });
}

std::optional<std::string> Store::unsubscribe_id(std::int64_t subscriber_id) {
  return m_impl->guarded("unsubscribing", [&]() -> std::optional<std::string> {
    WriteScope transaction(m_impl->db);
    SQLite::Statement find(m_impl->db, "SELECT email FROM subscribers WHERE id = ?");
    find.bind(1, subscriber_id);
    if (!find.executeStep()) return std::nullopt;
    std::string email = find.getColumn(0).getString();
    SQLite::Statement remove(m_impl->db, "DELETE FROM subscribers WHERE id = ?");
    remove.bind(1, subscriber_id);
    remove.exec();
    transaction.commit();
    return email;
  });
}

std::vector<Subscriber> Store::subscribers() const {
  return m_impl->guarded("listing subscribers", [&] {
    SQLite::Statement q(m_impl->db, std::string("SELECT ") + detail::k_subscriber_columns +
                                        " FROM subscribers ORDER BY email");
    std::vector<Subscriber> out;
    while (q.executeStep()) out.push_back(detail::subscriber_from(q));
    for (auto& s : out) detail::load_subscriptions(m_impl->db, s);
    return out;
  });
}

std::vector<PendingDelivery> Store::pending_deliveries(
    int max_attempts, const std::function<bool(int, Timestamp)>& may_retry) const {
  return m_impl->guarded("listing pending deliveries", [&] {
    auto& db = m_impl->db;
    // Events and subscribers are each read once and matched in memory: a join of the two
    // in SQL would build (and parse the payload of) every pair, 10^8 rows for 10,000
    // subscribers and 10,000 events.
    struct SubscriberRow {
      Subscriber subscriber;
      std::int64_t first_event_id = 0;
      std::int64_t considered_event_id = 0;
    };
    std::vector<SubscriberRow> subscribers;
    {
      // Paused subscribers are not matched (resuming starts from then, set_paused).
      SQLite::Statement q(db, std::string("SELECT ") + detail::k_subscriber_columns +
                                  ", first_event_id, considered_event_id FROM subscribers "
                                  "WHERE paused = 0 ORDER BY id");
      while (q.executeStep()) {
        SubscriberRow row;
        row.subscriber = detail::subscriber_from(q);
        row.first_event_id = q.getColumn(8).getInt64();
        row.considered_event_id = q.getColumn(9).getInt64();
        subscribers.push_back(std::move(row));
      }
    }
    if (subscribers.empty()) return std::vector<PendingDelivery>{};
    for (auto& row : subscribers) detail::load_subscriptions(db, row.subscriber);
    std::int64_t window = subscribers.front().considered_event_id;
    for (const auto& row : subscribers) {
      window = std::min(window, std::max(row.considered_event_id, row.first_event_id));
    }
    // The ledger's rows that matter: any row for events in the window (a sent one is done),
    // and unsent rows from before it (retries).
    struct LedgerRow {
      std::string status;
      int attempts = 0;
      Timestamp updated_at = 0;
    };
    std::map<std::pair<std::int64_t, std::int64_t>, LedgerRow> ledger;
    {
      SQLite::Statement q(db,
                          "SELECT subscriber_id, event_id, status, attempts, updated_at FROM "
                          "deliveries WHERE event_id > ?1 OR status <> 'sent'");
      q.bind(1, window);
      while (q.executeStep()) {
        ledger[{q.getColumn(0).getInt64(), q.getColumn(1).getInt64()}] = {
            q.getColumn(2).getString(), q.getColumn(3).getInt(), q.getColumn(4).getInt64()};
      }
    }
    SQLite::Statement q(db, "SELECT " + detail::event_columns() +
                                " FROM events e JOIN bills b ON b.id = e.bill_id WHERE e.id > ?1 "
                                "OR e.id IN (SELECT event_id FROM deliveries WHERE status <> "
                                "'sent') ORDER BY e.id");
    q.bind(1, window);
    detail::CategoryCache categories;
    std::vector<PendingDelivery> out;
    while (q.executeStep()) {
      ChangeEvent event = detail::event_from(q, m_impl->statements, categories);
      for (const auto& row : subscribers) {
        if (event.id <= row.first_event_id) continue;
        auto entry = ledger.find({row.subscriber.id, event.id});
        int attempts = 0;
        if (entry != ledger.end()) {
          // In the ledger: it matched when the delivery was made.
          const LedgerRow& row_state = entry->second;
          if (row_state.status == "sent") continue;
          if (row_state.status == "failed") {
            if (row_state.attempts >= max_attempts) continue;
            if (may_retry && !may_retry(row_state.attempts, row_state.updated_at)) continue;
          }
          attempts = row_state.attempts;
        } else {
          if (event.id <= row.considered_event_id) continue;
          const auto& filters = row.subscriber.subscriptions;
          bool wanted = std::any_of(filters.begin(), filters.end(),
                                    [&](const SubscriptionFilter& f) { return matches(f, event); });
          if (!wanted) continue;
        }
        out.push_back(PendingDelivery{row.subscriber, event, attempts});
      }
    }
    return out;
  });
}

std::vector<OutboxEntry> Store::outbox(int max_attempts) const {
  std::vector<OutboxEntry> out;
  // Waiting: matched by a subscription and not sent (never tried, sending or retryable).
  for (const auto& d : pending_deliveries(max_attempts)) {
    OutboxEntry e;
    e.email = d.subscriber.email;
    e.event_id = d.event.id;
    e.bill_id = d.event.bill.id;
    e.kind = d.event.kind;
    e.status = d.attempts == 0 ? "pending" : "sending";
    e.attempts = d.attempts;
    e.updated_at = d.event.created_at;
    out.push_back(std::move(e));
  }
  m_impl->guarded("listing the outbox", [&] {
    SQLite::Statement q(m_impl->db, R"sql(
SELECT s.email, d.event_id, e.bill_id, e.kind, d.status, d.attempts, d.last_error, d.updated_at
FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id JOIN events e ON e.id = d.event_id
WHERE d.status = 'failed' ORDER BY d.event_id, s.email)sql");
    while (q.executeStep()) {
      OutboxEntry e;
      e.email = q.getColumn(0).getString();
      e.event_id = q.getColumn(1).getInt64();
      e.bill_id = q.getColumn(2).getString();
      e.kind = parse_event_kind(q.getColumn(3).getString());
      e.attempts = q.getColumn(5).getInt();
      // No counted attempt: the server did not answer, the next run sends it.
      e.status = e.attempts >= 1000000        ? "refused"
                 : e.attempts >= max_attempts ? "given up"
                 : e.attempts == 0            ? "queued"
                                              : "failed";
      e.last_error = q.getColumn(6).getString();
      e.updated_at = q.getColumn(7).getInt64();
      // A retryable failure is also listed as waiting above: once is enough.
      auto same = std::find_if(out.begin(), out.end(), [&](const OutboxEntry& o) {
        return o.email == e.email && o.event_id == e.event_id;
      });
      if (same != out.end()) {
        *same = std::move(e);
      } else {
        out.push_back(std::move(e));
      }
    }
  });
  return out;
}

void Store::mark_digest_sent(std::int64_t subscriber_id, Timestamp at) {
  m_impl->guarded("recording a digest", [&] {
    SQLite::Statement q(m_impl->db, "UPDATE subscribers SET last_digest_at = ? WHERE id = ?");
    q.bind(1, static_cast<std::int64_t>(at));
    q.bind(2, subscriber_id);
    q.exec();
  });
}

std::int64_t Store::newest_event_id() const {
  return m_impl->guarded("reading the newest event", [&] {
    return m_impl->db.execAndGet("SELECT COALESCE(MAX(id), 0) FROM events").getInt64();
  });
}

void Store::mark_considered(std::int64_t subscriber_id, std::int64_t event_id) {
  m_impl->guarded("recording matched events", [&] {
    SQLite::Statement q(m_impl->db,
                        "UPDATE subscribers SET considered_event_id = MAX(considered_event_id, ?) "
                        "WHERE id = ?");
    q.bind(1, event_id);
    q.bind(2, subscriber_id);
    q.exec();
  });
}

namespace {
// One ledger step. `attempt` is added to the attempts (never below 0).
void write_delivery(SQLite::Database& db, std::int64_t subscriber_id, std::int64_t event_id,
                    const char* status, int attempt, const std::string& error, Timestamp at) {
  SQLite::Statement q(db,
                      "INSERT INTO deliveries (subscriber_id, event_id, status, attempts, "
                      "last_error, updated_at) VALUES (?1, ?2, ?3, MAX(?4, 0), ?5, ?6) "
                      "ON CONFLICT(subscriber_id, event_id) DO UPDATE SET status = ?3, "
                      "attempts = MAX(attempts + ?4, 0), last_error = ?5, updated_at = ?6");
  q.bind(1, subscriber_id);
  q.bind(2, event_id);
  q.bind(3, status);
  q.bind(4, attempt);
  q.bind(5, error);
  q.bind(6, static_cast<std::int64_t>(at));
  q.exec();
}
}  // namespace

void Store::mark_sending(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at) {
  m_impl->guarded("recording a delivery attempt", [&] {
    write_delivery(m_impl->db, subscriber_id, event_id, "sending", 1, "", at);
  });
}

void Store::mark_sent(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at) {
  m_impl->guarded("recording a sent delivery",
                  [&] { write_delivery(m_impl->db, subscriber_id, event_id, "sent", 0, "", at); });
}

void Store::mark_failed(std::int64_t subscriber_id, std::int64_t event_id, const std::string& error,
                        Timestamp at) {
  m_impl->guarded("recording a failed delivery", [&] {
    write_delivery(m_impl->db, subscriber_id, event_id, "failed", 0, error, at);
  });
}

void Store::mark_unanswered(std::int64_t subscriber_id, std::int64_t event_id,
                            const std::string& error, Timestamp at) {
  m_impl->guarded("recording an unanswered delivery", [&] {
    // Undo the attempt "sending" counted: a server that was down says nothing about this
    // recipient, so neither the attempt limit nor (for a first attempt) the backoff applies.
    write_delivery(m_impl->db, subscriber_id, event_id, "failed", -1, error, at);
  });
}

void Store::mark_refused(std::int64_t subscriber_id, std::int64_t event_id,
                         const std::string& error, Timestamp at) {
  m_impl->guarded("recording a refused delivery", [&] {
    write_delivery(m_impl->db, subscriber_id, event_id, "failed", 0, error, at);
    // As many attempts as any retry limit could allow: it stays failed, listed, unsent.
    SQLite::Statement q(m_impl->db,
                        "UPDATE deliveries SET attempts = 1000000 WHERE subscriber_id = ? AND "
                        "event_id = ?");
    q.bind(1, subscriber_id);
    q.bind(2, event_id);
    q.exec();
  });
}

}  // namespace billwatch::store
