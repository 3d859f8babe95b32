#pragma once

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "billwatch/core/bill.hpp"
#include "billwatch/core/event.hpp"

// Conversions between database rows or JSON payloads and the core value types.
namespace billwatch::store::detail {

nlohmann::json summary_to_json(const ChangeSummary& summary);
ChangeSummary summary_from_json(const nlohmann::json& j);
nlohmann::json actions_to_json(const std::vector<Action>& actions);
nlohmann::json provision_changes_to_json(const std::vector<ProvisionChange>& changes);
std::vector<ProvisionChange> provision_changes_from_json(const nlohmann::json& j);
std::vector<Action> actions_from_json(const nlohmann::json& j);

// Stages are stored by name ("passed_one_chamber", "" for none); a name this version does
// not know reads as none rather than failing the whole query.
inline Stage stage_from(const std::string& name) {
  return parse_stage(name).value_or(Stage::none);
}
inline std::string stage_name(Stage stage) {
  return std::string(to_string(stage));
}

Relevance relevance_from(const SQLite::Statement& q, int relevant, int score, int cues);

// The columns every query of a version's provenance selects, in provenance_from's order.
inline constexpr const char* k_provenance_columns =
    "url, final_url, fetched_at, http_status, etag, last_modified, raw_hash";
Provenance provenance_from(const SQLite::Statement& q, int first);

// The bill columns, in bill_from's order (table alias b).
inline constexpr const char* k_bill_columns =
    "b.id, b.jurisdiction, b.title, b.source, b.url, b.session, b.identifier, "
    "b.openstates_id, b.legiscan_id, b.govinfo_package, b.sponsor";
inline constexpr int k_bill_column_count = 11;
Bill bill_from(const SQLite::Statement& q, int first = 0);

// JSON as the database keeps it. A byte that is not UTF-8 in a bill's words (a title, a
// label) becomes U+FFFD instead of costing the bill its whole update: the text itself is
// stored as bytes, this is only the event's account of it.
inline std::string json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace billwatch::store::detail
