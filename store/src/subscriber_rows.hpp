#pragma once
// Subscribers and subscriptions as rows: what the delivery ledger (deliveries.cpp) and
// self-service (self_service.cpp) both read and write.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>
#include <string>

#include "billwatch/core/subscription.hpp"

namespace billwatch::store::detail {

nlohmann::json filter_to_json(const SubscriptionFilter& filter);
SubscriptionFilter filter_from_json(const nlohmann::json& j);

// The subscriber columns, in subscriber_from's order.
inline constexpr const char* k_subscriber_columns =
    "id, email, created_at, name, frequency, last_digest_at, paused, manage_generation";
// A subscriber from a row of k_subscriber_columns starting at column 0, without its
// subscriptions (load_subscriptions adds them).
Subscriber subscriber_from(const SQLite::Statement& q);
void load_subscriptions(SQLite::Database& db, Subscriber& subscriber);

// The subscriber's id, created (seeing events from now on) when the address is new.
std::int64_t find_or_add_subscriber(SQLite::Database& db, const std::string& email, Timestamp at,
                                    bool& is_new);
// Adds the subscription unless an identical one is there.
void add_filter(SQLite::Database& db, std::int64_t subscriber_id, const SubscriptionFilter& filter);

}  // namespace billwatch::store::detail
