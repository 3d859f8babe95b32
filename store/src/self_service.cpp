// Self-service: subscription requests waiting for confirmation, and what a subscriber
// changes from the manage page. Each method is one transaction, like the CLI's commands,
// so a run writing meanwhile sees either all of a change or none of it.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include "billwatch/store/store.hpp"
#include "rows.hpp"
#include "store_impl.hpp"
#include "subscriber_rows.hpp"

namespace billwatch::store {

using detail::WriteScope;
using nlohmann::json;

namespace {

constexpr const char* k_confirmation_columns =
    "id, email, filter, frequency, requested_at, expires_at, confirmed_at";

Confirmation confirmation_from(const SQLite::Statement& q) {
  Confirmation c;
  c.id = q.getColumn(0).getInt64();
  c.email = q.getColumn(1).getString();
  c.filter = detail::filter_from_json(json::parse(q.getColumn(2).getString()));
  c.frequency = parse_frequency(q.getColumn(3).getString()).value_or(Frequency::Immediate);
  c.requested_at = q.getColumn(4).getInt64();
  c.expires_at = q.getColumn(5).getInt64();
  c.confirmed_at = q.getColumn(6).getInt64();
  return c;
}

std::optional<Subscriber> read_subscriber(SQLite::Database& db, const char* where,
                                          const std::function<void(SQLite::Statement&)>& bind) {
  SQLite::Statement q(db, std::string("SELECT ") + detail::k_subscriber_columns +
                              " FROM subscribers WHERE " + where);
  bind(q);
  if (!q.executeStep()) return std::nullopt;
  Subscriber s = detail::subscriber_from(q);
  detail::load_subscriptions(db, s);
  return s;
}

// An UPDATE of one subscriber's row: true when the subscriber is there.
bool update_subscriber(SQLite::Database& db, const std::string& set, std::int64_t id,
                       const std::function<void(SQLite::Statement&)>& bind) {
  SQLite::Statement q(db, "UPDATE subscribers SET " + set + " WHERE id = ?1");
  q.bind(1, id);
  bind(q);
  return q.exec() > 0;
}

}  // namespace

Confirmation Store::request_confirmation(const std::string& email, const SubscriptionFilter& filter,
                                         Frequency frequency, Timestamp at, Timestamp expires_at) {
  return m_impl->guarded("recording a subscription request", [&] {
    auto& db = m_impl->db;
    WriteScope transaction(db);
    // Requests never confirmed are kept a week past their expiry (so a late click still
    // gets "expired", not "does not work"), then deleted: an address no one confirmed is
    // not kept. Confirmed ones stay, as the record of consent.
    SQLite::Statement old(db,
                          "DELETE FROM confirmations WHERE confirmed_at = 0 AND expires_at < ?");
    old.bind(1, static_cast<std::int64_t>(at) - 7 * 24 * 3600);
    old.exec();
    SQLite::Statement q(m_impl->db,
                        "INSERT INTO confirmations (email, filter, frequency, requested_at, "
                        "expires_at) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, email);
    q.bind(2, detail::json_text(detail::filter_to_json(filter)));
    q.bind(3, std::string(to_string(frequency)));
    q.bind(4, static_cast<std::int64_t>(at));
    q.bind(5, static_cast<std::int64_t>(expires_at));
    q.exec();
    Confirmation c;
    c.id = db.getLastInsertRowid();
    transaction.commit();
    c.email = email;
    c.filter = filter;
    c.frequency = frequency;
    c.requested_at = at;
    c.expires_at = expires_at;
    return c;
  });
}

std::optional<Confirmation> Store::confirmation(std::int64_t id) const {
  return m_impl->guarded("reading a subscription request", [&]() -> std::optional<Confirmation> {
    SQLite::Statement q(m_impl->db, std::string("SELECT ") + k_confirmation_columns +
                                        " FROM confirmations WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return confirmation_from(q);
  });
}

std::optional<Subscriber> Store::confirm(std::int64_t confirmation_id, Timestamp at) {
  return m_impl->guarded("confirming a subscription", [&]() -> std::optional<Subscriber> {
    auto& db = m_impl->db;
    WriteScope transaction(db);
    SQLite::Statement q(
        db, std::string("SELECT ") + k_confirmation_columns + " FROM confirmations WHERE id = ?");
    q.bind(1, confirmation_id);
    if (!q.executeStep()) return std::nullopt;
    Confirmation c = confirmation_from(q);
    if (c.confirmed_at == 0) {
      if (at >= c.expires_at) return std::nullopt;
      bool is_new = false;
      std::int64_t id = detail::find_or_add_subscriber(db, c.email, at, is_new);
      detail::add_filter(db, id, c.filter);
      update_subscriber(db, "frequency = ?2", id, [&](SQLite::Statement& u) {
        u.bind(2, std::string(to_string(c.frequency)));
      });
      SQLite::Statement done(db, "UPDATE confirmations SET confirmed_at = ? WHERE id = ?");
      done.bind(1, static_cast<std::int64_t>(at));
      done.bind(2, confirmation_id);
      done.exec();
    }
    auto subscriber =
        read_subscriber(db, "email = ?", [&](SQLite::Statement& s) { s.bind(1, c.email); });
    transaction.commit();
    return subscriber;
  });
}

std::vector<Confirmation> Store::pending_confirmations(Timestamp now) const {
  return m_impl->guarded("listing subscription requests", [&] {
    SQLite::Statement q(m_impl->db, std::string("SELECT ") + k_confirmation_columns +
                                        " FROM confirmations WHERE confirmed_at = 0 AND "
                                        "expires_at > ? ORDER BY id");
    q.bind(1, static_cast<std::int64_t>(now));
    std::vector<Confirmation> out;
    while (q.executeStep()) out.push_back(confirmation_from(q));
    return out;
  });
}

int Store::requested_mails(const std::string& email, Timestamp since) const {
  return m_impl->guarded("counting requested mails", [&] {
    SQLite::Statement q(m_impl->db,
                        "SELECT COUNT(*) FROM requested_mails WHERE email = ? AND at >= ?");
    q.bind(1, email);
    q.bind(2, static_cast<std::int64_t>(since));
    q.executeStep();
    return q.getColumn(0).getInt();
  });
}

void Store::note_requested_mail(const std::string& email, Timestamp at) {
  m_impl->guarded("counting a requested mail", [&] {
    auto& db = m_impl->db;
    WriteScope transaction(db);
    // Counts older than a week limit nothing: they go, so the table stays small.
    SQLite::Statement old(db, "DELETE FROM requested_mails WHERE at < ?");
    old.bind(1, static_cast<std::int64_t>(at) - 7 * 24 * 3600);
    old.exec();
    SQLite::Statement q(db, "INSERT INTO requested_mails (email, at) VALUES (?, ?)");
    q.bind(1, email);
    q.bind(2, static_cast<std::int64_t>(at));
    q.exec();
    transaction.commit();
  });
}

std::optional<Subscriber> Store::subscriber(std::int64_t id) const {
  return m_impl->guarded("reading a subscriber", [&] {
    return read_subscriber(m_impl->db, "id = ?", [&](SQLite::Statement& q) { q.bind(1, id); });
  });
}

std::optional<Subscriber> Store::subscriber_by_email(const std::string& email) const {
  return m_impl->guarded("reading a subscriber", [&] {
    return read_subscriber(m_impl->db, "email = ?",
                           [&](SQLite::Statement& q) { q.bind(1, email); });
  });
}

bool Store::set_frequency(std::int64_t subscriber_id, Frequency frequency) {
  return m_impl->guarded("changing a subscriber's frequency", [&] {
    return update_subscriber(
        m_impl->db, "frequency = ?2", subscriber_id,
        [&](SQLite::Statement& q) { q.bind(2, std::string(to_string(frequency))); });
  });
}

bool Store::set_paused(std::int64_t subscriber_id, bool paused) {
  return m_impl->guarded("pausing a subscriber", [&] {
    if (paused) {
      return update_subscriber(m_impl->db, "paused = 1", subscriber_id, [](SQLite::Statement&) {});
    }
    // Resuming: events recorded while paused have been considered (and are not theirs).
    return update_subscriber(
        m_impl->db,
        "considered_event_id = CASE WHEN paused = 1 THEN (SELECT COALESCE(MAX(id), 0) FROM "
        "events) ELSE considered_event_id END, paused = 0",
        subscriber_id, [](SQLite::Statement&) {});
  });
}

bool Store::add_subscription_to(std::int64_t subscriber_id, const SubscriptionFilter& filter) {
  return m_impl->guarded("adding a subscription", [&] {
    auto& db = m_impl->db;
    WriteScope transaction(db);
    SQLite::Statement find(db, "SELECT 1 FROM subscribers WHERE id = ?");
    find.bind(1, subscriber_id);
    if (!find.executeStep()) return false;
    detail::add_filter(db, subscriber_id, filter);
    transaction.commit();
    return true;
  });
}

bool Store::remove_subscription(std::int64_t subscriber_id, std::int64_t subscription_id) {
  return m_impl->guarded("removing a subscription", [&] {
    SQLite::Statement q(m_impl->db, "DELETE FROM subscriptions WHERE id = ? AND subscriber_id = ?");
    q.bind(1, subscription_id);
    q.bind(2, subscriber_id);
    return q.exec() > 0;
  });
}

std::optional<std::int64_t> Store::renew_manage_link(std::int64_t subscriber_id) {
  return m_impl->guarded("renewing a manage link", [&]() -> std::optional<std::int64_t> {
    auto& db = m_impl->db;
    WriteScope transaction(db);
    if (!update_subscriber(db, "manage_generation = manage_generation + 1", subscriber_id,
                           [](SQLite::Statement&) {})) {
      return std::nullopt;
    }
    SQLite::Statement q(db, "SELECT manage_generation FROM subscribers WHERE id = ?");
    q.bind(1, subscriber_id);
    q.executeStep();
    std::int64_t generation = q.getColumn(0).getInt64();
    transaction.commit();
    return generation;
  });
}

bool Store::forget(const std::string& email) {
  return m_impl->guarded("forgetting an address", [&] {
    auto& db = m_impl->db;
    WriteScope transaction(db);
    int removed = 0;
    // Subscriptions and ledger rows go with the subscriber (ON DELETE CASCADE).
    for (const char* sql :
         {"DELETE FROM subscribers WHERE email = ?", "DELETE FROM confirmations WHERE email = ?",
          "DELETE FROM requested_mails WHERE email = ?"}) {
      SQLite::Statement q(db, sql);
      q.bind(1, email);
      removed += q.exec();
    }
    transaction.commit();
    return removed > 0;
  });
}

}  // namespace billwatch::store
