#pragma once

// The values the store reads and writes.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/bill.hpp"
#include "billwatch/core/error.hpp"
#include "billwatch/core/event.hpp"
#include "billwatch/core/subscription.hpp"

namespace billwatch::store {

// The database cannot be opened, is newer than this program, or a statement failed.
// what() names the database path and what was being done.
class StoreError : public billwatch::Error {
 public:
  using billwatch::Error::Error;
};

// What the crawler knows about one URL between runs.
struct FetchState {
  std::string url;
  std::string etag;
  std::string last_modified;
  int last_status = 0;
  std::string last_error;
  int consecutive_failures = 0;
  Timestamp last_attempt = 0;
  Timestamp last_success = 0;
  std::string body_hash;     // SHA-256 of the last body received
  std::string last_outcome;  // stored, unchanged, not_modified, failed, blocked, robots
};

// Why a fetch gave nothing: it failed, the site showed a block page, or robots.txt said no.
enum class FetchFailureKind { Failed, Blocked, Robots };
// "failed", "blocked", "robots": as stored in fetch_state.last_outcome.
inline std::string_view to_string(FetchFailureKind kind) {
  switch (kind) {
    case FetchFailureKind::Blocked:
      return "blocked";
    case FetchFailureKind::Robots:
      return "robots";
    case FetchFailureKind::Failed:
      break;
  }
  return "failed";
}

// A fetch that worked, whatever it brought.
struct FetchSuccess {
  int http_status = 200;
  std::string etag;
  std::string last_modified;
  std::string body_hash;
  std::string outcome;  // "unchanged" or "not_modified" ("stored" is written by save_version)
};

// A new text of a bill, ready to be stored.
struct NewVersion {
  Bill bill;
  // As page_to_text made it. The store hashes exactly these bytes (versions.content_hash)
  // and gives them back byte-identical.
  std::string text;
  Relevance relevance;
  Provenance provenance;
  std::optional<ChangeSummary> change;  // vs. the previous version; nullopt for a new bill
  std::string label;                    // the source's name for this version, if any
  std::string version_code;             // the source's code for it ("ih", "enr"), if any
  std::string version_date;             // YYYY-MM-DD the source dates it, if it does
  std::string parser_version;
  std::vector<Provision> provisions;
  // vs. the previous version's provisions; when not empty a provisions_changed event is
  // recorded beside new_version.
  std::vector<ProvisionChange> provision_changes;
  std::vector<Action> actions;  // every action the source lists; the new ones are recorded
};

// What a source learned about a bill: metadata, its actions, perhaps a new text.
struct BillUpdate {
  Bill bill;
  std::vector<Action> actions;  // every action the source lists; the new ones are recorded
  std::optional<NewVersion> version;
};

struct SavedVersion {
  std::int64_t version_id = 0;          // the row id (internal)
  int version_number = 0;               // per bill: 1, 2, 3 in the order stored; 0 without a text
  std::string label;                    // the source's name for it, the page title, or "Version N"
  std::int64_t event_id = 0;            // the first event recorded; 0 when nothing new was recorded
  EventKind kind = EventKind::NewBill;  // the first event's kind
  int new_actions = 0;
  std::int64_t provisions_event_id = 0;  // 0 when no provisions_changed event was recorded
  std::vector<std::pair<EventKind, std::int64_t>> events;  // every event recorded, in order
};

// What a source remembers about one item it reads (a govinfo BILLSTATUS file, a LegiScan
// bill, an Open States bill) between runs: the change mark the listing last showed (a
// sitemap lastmod, a change_hash, a content hash) and the one the item was last processed
// at. An item whose two differ (new, changed, or a run that failed on it) is read again;
// the others are not.
struct SourceItem {
  std::string url;  // the item's own key: its URL, or "legiscan:1885997"
  std::string bill_id;
  std::string seen_lastmod;       // the change mark as last listed
  std::string processed_lastmod;  // "" until processed without error
  bool tracked = false;           // the bill is followed (topic, track list or text scan)
};

using Subscriber = billwatch::Subscriber;
using PendingDelivery = billwatch::PendingDelivery;
using Confirmation = billwatch::Confirmation;

// A delivery not sent: waiting (never tried, or failed and to be retried) or failed.
struct OutboxEntry {
  std::string email;
  std::int64_t event_id = 0;
  std::string bill_id;
  EventKind kind = EventKind::NewBill;
  // "pending", "sending", "queued" (the server did not answer), "failed" (retried),
  // "refused" (5xx), "given up"
  std::string status;
  int attempts = 0;
  std::string last_error;
  Timestamp updated_at = 0;
};

struct BillRow {
  Bill bill;
  Timestamp first_seen = 0;
  Timestamp last_changed = 0;
  int versions = 0;
  bool relevant = false;      // of the latest version
  Stage stage = Stage::none;  // of the latest action with a stage
  std::string stage_date;
  std::int64_t latest_version_id = 0;
  int latest_version = 0;               // its number (per bill)
  std::vector<std::string> categories;  // provision categories of the latest version
};

// `billwatch bills` filters; empty fields do not filter.
struct BillFilter {
  std::string bill_id;  // one bill, by its id
  std::string jurisdiction;
  Stage stage = Stage::none;  // none: any
  std::string category;
  // Bills one of whose versions gained (or lost) a provision of this category, compared
  // with the version before it (a bill's first version gains all it has); with `since`,
  // only versions fetched at or after it count.
  std::string added_category;
  std::string removed_category;
  std::optional<Timestamp> since;  // bills whose latest version or action came at or after
  // Reconstruct the list as it stood at this moment: versions fetched and actions dated
  // (and recorded) up to it; bills first seen later are left out.
  std::optional<Timestamp> as_of;
};

struct VersionRow {
  std::int64_t id = 0;  // row id (internal)
  int number = 0;       // per bill, as people cite it
  std::string content_hash;
  std::size_t chars = 0;
  Relevance relevance;
  Provenance provenance;
  std::string source;
  std::string label;
  std::string parser_version;
  std::string version_code;
  std::string version_date;
  std::vector<Provision> provisions;
};

struct EventRow {
  std::int64_t id = 0;
  EventKind kind = EventKind::NewBill;
  std::int64_t version_id = 0;
  Timestamp created_at = 0;
  std::string payload_json;
};

struct ActionRow {
  std::int64_t id = 0;
  Action action;
  Timestamp recorded_at = 0;
};

// How the sources did, for the operator and the web's about page.
struct SourceHealth {
  std::string source;
  Timestamp last_run = 0;
  Timestamp last_success = 0;  // the last run in which not every page failed; 0: never
  int pages = 0;               // in the last run
  int failures = 0;
  int consecutive_failures = 0;  // runs in a row with every page failing
  std::string last_error;        // the operator's: may name hosts and URLs
};

struct RunHealth {
  Timestamp last_run_finished = 0;  // 0: no run recorded
  std::vector<SourceHealth> sources;
};

// Which events to list (`Research::events`): newest first unless `oldest_first`, ids
// strictly between `after` and `before` (0: unbounded), at most `limit`. The category is
// that of the bill's latest version, as subscriptions match it.
struct EventQuery {
  std::string bill_id;
  std::string jurisdiction;
  std::string category;
  std::optional<EventKind> kind;
  std::int64_t after = 0;
  std::int64_t before = 0;
  std::size_t limit = 50;
  bool oldest_first = false;
};

struct BillHistory {
  BillRow bill;
  std::vector<VersionRow> versions;  // oldest first
  std::vector<EventRow> events;      // oldest first
  std::vector<ActionRow> actions;    // by date
};

// One bill matching a full-text search.
struct SearchHit {
  std::string bill_id;
  std::string jurisdiction;
  std::string title;
  std::string snippet;        // the best matching passage, matches in [brackets]
  std::vector<int> versions;  // exactly the bill's versions (numbers) that contain a match
  double rank = 0;            // bm25: lower is better
};

// One thing `billwatch check` found wrong.
struct Damage {
  std::string bill_id;  // "" when it belongs to no bill (SQLite's own check, a delivery)
  int version = 0;      // the bill's version number, 0 when not about one version
  std::string what;
};

// The query is not valid FTS5 syntax, or a filter names something that cannot exist.
class QueryError : public StoreError {
 public:
  using StoreError::StoreError;
};

}  // namespace billwatch::store
