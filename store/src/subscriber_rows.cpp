#include "subscriber_rows.hpp"

#include "rows.hpp"

namespace billwatch::store::detail {

using nlohmann::json;

json filter_to_json(const SubscriptionFilter& f) {
  json j = json::object();
  for (const auto& [key, list] : filter_lists(f)) {
    if (!list->empty()) j[key] = *list;
  }
  if (f.all_pages) j["all_pages"] = true;
  return j;
}

SubscriptionFilter filter_from_json(const json& j) {
  SubscriptionFilter f;
  for (const auto& [key, list] : filter_lists(f)) {
    if (!j.contains(key) || !j[key].is_array()) continue;
    for (const auto& item : j[key]) {
      if (item.is_string()) list->push_back(item.get<std::string>());
    }
  }
  f.all_pages = j.value("all_pages", false);
  return f;
}

Subscriber subscriber_from(const SQLite::Statement& q) {
  Subscriber s;
  s.id = q.getColumn(0).getInt64();
  s.email = q.getColumn(1).getString();
  s.created_at = q.getColumn(2).getInt64();
  s.name = q.getColumn(3).getString();
  s.frequency = parse_frequency(q.getColumn(4).getString()).value_or(Frequency::Immediate);
  s.last_digest_at = q.getColumn(5).getInt64();
  s.paused = q.getColumn(6).getInt() != 0;
  s.manage_generation = q.getColumn(7).getInt64();
  return s;
}

void load_subscriptions(SQLite::Database& db, Subscriber& subscriber) {
  SQLite::Statement q(db,
                      "SELECT id, filter FROM subscriptions WHERE subscriber_id = ? ORDER BY id");
  q.bind(1, subscriber.id);
  subscriber.subscriptions.clear();
  subscriber.subscription_ids.clear();
  while (q.executeStep()) {
    subscriber.subscription_ids.push_back(q.getColumn(0).getInt64());
    subscriber.subscriptions.push_back(filter_from_json(json::parse(q.getColumn(1).getString())));
  }
}

std::int64_t find_or_add_subscriber(SQLite::Database& db, const std::string& email, Timestamp at,
                                    bool& is_new) {
  SQLite::Statement find(db, "SELECT id FROM subscribers WHERE email = ?");
  find.bind(1, email);
  is_new = !find.executeStep();
  if (!is_new) return find.getColumn(0).getInt64();
  SQLite::Statement insert(db,
                           "INSERT INTO subscribers (email, created_at, first_event_id, "
                           "considered_event_id) VALUES (?1, ?2, (SELECT COALESCE(MAX(id), 0) "
                           "FROM events), (SELECT COALESCE(MAX(id), 0) FROM events))");
  insert.bind(1, email);
  insert.bind(2, static_cast<std::int64_t>(at));
  insert.exec();
  return db.getLastInsertRowid();
}

void add_filter(SQLite::Database& db, std::int64_t subscriber_id,
                const SubscriptionFilter& filter) {
  std::string text = detail::json_text(filter_to_json(filter));
  SQLite::Statement exists(db,
                           "SELECT 1 FROM subscriptions WHERE subscriber_id = ? AND filter = ?");
  exists.bind(1, subscriber_id);
  exists.bind(2, text);
  if (exists.executeStep()) return;
  SQLite::Statement add(db, "INSERT INTO subscriptions (subscriber_id, filter) VALUES (?, ?)");
  add.bind(1, subscriber_id);
  add.bind(2, text);
  add.exec();
}

}  // namespace billwatch::store::detail
