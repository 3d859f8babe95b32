#include "events.hpp"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

#include "billwatch/store/store.hpp"
#include "codec.hpp"
#include "rows.hpp"
#include "store_impl.hpp"

namespace billwatch::store {

using detail::Prepared;
using nlohmann::json;

namespace detail {

std::vector<std::string> latest_categories(StatementCache& statements, const std::string& bill_id) {
  Prepared q = statements.prepare(
      "SELECT DISTINCT category FROM provisions WHERE version_id = "
      "(SELECT MAX(id) FROM versions WHERE bill_id = ?) ORDER BY category");
  q->bind(1, bill_id);
  std::vector<std::string> out;
  while (q->executeStep()) out.push_back(q->getColumn(0).getString());
  return out;
}

std::string event_columns() {
  return std::string("e.id, e.kind, e.created_at, COALESCE(e.version_id, 0), e.payload, ") +
         k_bill_columns;
}

ChangeEvent event_from(const SQLite::Statement& q, StatementCache& statements,
                       CategoryCache& categories) {
  ChangeEvent event;
  event.id = q.getColumn(0).getInt64();
  event.kind = parse_event_kind(q.getColumn(1).getString());
  event.created_at = q.getColumn(2).getInt64();
  event.version_id = q.getColumn(3).getInt64();
  json payload = json::parse(q.getColumn(4).getString());
  event.bill = bill_from(q, 5);
  event.relevant = payload.value("relevant", false);
  if (payload.contains("change")) event.change = summary_from_json(payload["change"]);
  event.stage = stage_from(payload.value("stage", ""));
  event.old_stage = stage_from(payload.value("old_stage", ""));
  event.version_label = payload.value("label", "");
  event.version_number = payload.value("version", 0);
  event.message = payload.value("message", "");
  if (payload.contains("new_actions"))
    event.new_actions = actions_from_json(payload["new_actions"]);
  if (payload.contains("provision_changes")) {
    event.provision_changes = provision_changes_from_json(payload["provision_changes"]);
  }
  if (payload.contains("provisions")) {
    event.bill_provisions = provision_changes_from_json(payload["provisions"]);
  }
  auto c = categories.find(event.bill.id);
  if (c == categories.end()) {
    c = categories.emplace(event.bill.id, latest_categories(statements, event.bill.id)).first;
  }
  event.categories = c->second;
  return event;
}

}  // namespace detail

std::vector<ChangeEvent> Store::events(const EventQuery& query) const {
  return m_impl->guarded("reading events", [&] {
    // Only the conditions asked for, so that SQLite can walk an index (events_by_bill for
    // one bill's events) instead of every event. The category is the bill's latest
    // version's, as subscriptions match it, so it is checked here, page by page.
    std::string sql = "SELECT " + detail::event_columns() +
                      " FROM events e JOIN bills b ON b.id = e.bill_id WHERE e.id > :after AND "
                      "e.id < :before";
    if (!query.bill_id.empty()) sql += " AND e.bill_id = :bill";
    if (!query.jurisdiction.empty()) sql += " AND b.jurisdiction = :jurisdiction";
    if (query.kind) sql += " AND e.kind = :kind";
    sql += std::string(" ORDER BY e.id ") + (query.oldest_first ? "ASC" : "DESC") + " LIMIT :limit";
    std::vector<ChangeEvent> out;
    detail::CategoryCache categories;
    std::int64_t after = query.after;
    std::int64_t before =
        query.before != 0 ? query.before : std::numeric_limits<std::int64_t>::max();
    const std::size_t page = std::max<std::size_t>(query.limit, 64);
    for (;;) {
      Prepared q = m_impl->statements.prepare(sql);
      q->bind(":after", after);
      q->bind(":before", before);
      if (!query.bill_id.empty()) q->bind(":bill", query.bill_id);
      if (!query.jurisdiction.empty()) q->bind(":jurisdiction", query.jurisdiction);
      if (query.kind) q->bind(":kind", to_string(*query.kind));
      q->bind(":limit", static_cast<std::int64_t>(page));
      std::size_t read = 0;
      while (q->executeStep()) {
        ++read;
        ChangeEvent event = detail::event_from(*q, m_impl->statements, categories);
        if (query.oldest_first) {
          after = event.id;
        } else {
          before = event.id;
        }
        if (!query.category.empty() && std::find(event.categories.begin(), event.categories.end(),
                                                 query.category) == event.categories.end()) {
          continue;
        }
        out.push_back(std::move(event));
        if (out.size() >= query.limit) return out;
      }
      if (read < page || query.category.empty()) return out;
    }
  });
}

}  // namespace billwatch::store
