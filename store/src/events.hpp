#pragma once
// Events as the notifier and the web read them: a row of `events` joined with its bill,
// decoded into a ChangeEvent.
#include <SQLiteCpp/Statement.h>

#include <map>
#include <string>
#include <vector>

#include "billwatch/core/event.hpp"
#include "statements.hpp"

namespace billwatch::store::detail {

// The provision categories of the bill's latest version (what a category filter asks).
std::vector<std::string> latest_categories(StatementCache& statements, const std::string& bill_id);

// Per bill, its latest categories, asked once per query.
using CategoryCache = std::map<std::string, std::vector<std::string>>;

// The columns event_from reads, in its order (tables `events e JOIN bills b`).
std::string event_columns();

// The event in the current row of `q`, selected with event_columns().
ChangeEvent event_from(const SQLite::Statement& q, StatementCache& statements,
                       CategoryCache& categories);

}  // namespace billwatch::store::detail
