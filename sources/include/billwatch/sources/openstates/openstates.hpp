#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/bill.hpp"
#include "billwatch/core/result.hpp"

namespace billwatch::sources {

// Open States bills as values, from either of its two published forms: the API v3
// `/bills` answer (data-sources §1.7, a documented shape) and the openstates-core scraper
// JSON that public pipelines republish (§1.8, the verified fixtures). Volatile fields
// (`_id`, `scraped_at`, `_processing`, `updated_at`) are not read at all, and actions are
// kept in date order whatever order they came in, so two scrapes that differ only there
// read the same (T7, T8).

struct OpenStatesVersion {
  std::string note;  // "Introduced", "Engrossed", ...
  std::string date;  // often "" (T4)
  std::string url;   // the first link, preferring PDF/HTML documents
  std::string media_type;
};

struct OpenStatesBill {
  std::string id;            // "ocd-bill/<uuid>"; "" in scraper JSON
  std::string jurisdiction;  // USPS, from the jurisdiction's ocd id
  std::string session;       // as Open States names it: "2025rs"
  std::string session_key;   // session_key_from_openstates
  std::string identifier;    // normalized: "SB 16"
  std::string title;
  std::string sponsor;                 // the first primary sponsorship's name; "" when none
  std::vector<std::string> abstracts;  // summaries and digests, for the topic screen
  std::vector<Action> actions;         // oldest first, with stages (keep_stage_moves applied)
  Stage stage = Stage::none;           // furthest_stage
  std::vector<OpenStatesVersion> versions;
  std::vector<std::string> sources;
  std::string updated_at;  // API only; a hint, never a change by itself
  Bill bill() const;       // id "AL-2025-SB-16", openstates_id
  // SHA-256 over what a subscriber cares about: identifier, title, the sorted actions and
  // the versions (note, date, URL). Equal for two reads that differ only in volatile
  // fields or order.
  std::string content_hash() const;
};

// One page of GET /bills: the bills and the paging.
struct OpenStatesPage {
  std::vector<OpenStatesBill> bills;
  int page = 1;
  int max_page = 1;
  int total_items = -1;  // pagination.total_items; -1 when not said
  // Results that could not be read as bills, and why the first could not: said by the
  // source, never dropped in silence.
  int skipped = 0;
  std::string first_skip;
};
Result<OpenStatesPage> parse_openstates_page(std::string_view json);

// GET /jurisdictions/{id}?include=legislative_sessions: each session's identifier ("194th",
// "57th-2nd-regular") and its key, so that bill ids meet LegiScan's: a regular session is
// the year it starts ("2025"), a special one that year with "s" and its identifier
// ("2024s2024s1"), so specials stay distinct. Sessions without a start date are left out.
Result<std::map<std::string, std::string>> parse_openstates_sessions(std::string_view json);

// Is `key` a session key that starts with a year (what session_key_from_openstates makes
// of "2025", "2025rs", "2025-2026")? Keys such as "194th" must be resolved.
bool session_key_has_year(std::string_view key);

// One scraper bill object. `jurisdiction` (USPS) is used when the object does not name it.
Result<OpenStatesBill> parse_openstates_scrape(std::string_view json,
                                               std::string_view jurisdiction = "");

// The stage an action's classifications point at (openstates-core's vocabulary), given
// whether the action happened in the bill's origin chamber; "" when none.
Stage openstates_action_stage(const std::vector<std::string>& classifications);

}  // namespace billwatch::sources
