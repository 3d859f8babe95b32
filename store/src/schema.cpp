#include "schema.hpp"

#include <SQLiteCpp/Transaction.h>

#include <array>

#include "billwatch/store/store.hpp"

namespace billwatch::store::detail {

namespace {

// Patch N brings the schema from version N to N+1. Never edit a released patch; add one.
constexpr std::array<const char*, 2> k_patches = {
    // 0 -> 1: the foundation.
    R"sql(
CREATE TABLE bills (
  id           TEXT PRIMARY KEY,
  jurisdiction TEXT NOT NULL,
  title        TEXT NOT NULL,
  source       TEXT NOT NULL,
  url          TEXT NOT NULL,
  first_seen   INTEGER NOT NULL,
  last_changed INTEGER NOT NULL
);
CREATE TABLE versions (
  id              INTEGER PRIMARY KEY,
  bill_id         TEXT NOT NULL REFERENCES bills(id),
  content_hash    TEXT NOT NULL,
  text            TEXT NOT NULL,
  relevant        INTEGER NOT NULL,
  relevance_score REAL NOT NULL,
  relevance_cues  TEXT NOT NULL,   -- JSON array of the terms that decided relevance
  url             TEXT NOT NULL,
  final_url       TEXT NOT NULL,
  fetched_at      INTEGER NOT NULL,
  http_status     INTEGER NOT NULL,
  etag            TEXT NOT NULL,
  last_modified   TEXT NOT NULL
);
CREATE INDEX versions_by_bill ON versions(bill_id, id);
-- AUTOINCREMENT: event ids only ever grow, even after deletions, so a delivery ledger
-- keyed on them can never confuse an old event with a new one.
CREATE TABLE events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  kind       TEXT NOT NULL,
  bill_id    TEXT NOT NULL REFERENCES bills(id),
  version_id INTEGER REFERENCES versions(id),
  payload    TEXT NOT NULL,   -- JSON, see Store::save_version
  created_at INTEGER NOT NULL
);
CREATE INDEX events_by_bill ON events(bill_id, id);
CREATE TABLE subscribers (
  id             INTEGER PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at     INTEGER NOT NULL,
  first_event_id INTEGER NOT NULL   -- only events after this one are theirs
);
CREATE TABLE subscription_jurisdictions (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
  jurisdiction  TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, jurisdiction)
);
CREATE TABLE deliveries (
  subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
  event_id      INTEGER NOT NULL REFERENCES events(id),
  status        TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'failed')),
  attempts      INTEGER NOT NULL,
  last_error    TEXT NOT NULL DEFAULT '',
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (subscriber_id, event_id)
);
CREATE TABLE fetch_state (
  url                  TEXT PRIMARY KEY,
  etag                 TEXT NOT NULL DEFAULT '',
  last_modified        TEXT NOT NULL DEFAULT '',
  last_status          INTEGER NOT NULL DEFAULT 0,
  last_error           TEXT NOT NULL DEFAULT '',
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  last_attempt         INTEGER NOT NULL DEFAULT 0,
  last_success         INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE runs (
  id          INTEGER PRIMARY KEY,
  started_at  INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  summary     TEXT NOT NULL   -- the JSON printed by `billwatch run --json`
);
)sql",
    // 1 -> 2: the crawler engine. The raw body's hash lets an unchanged body skip parsing
    // even when the server ignores validators; last_outcome tells blocked and robots-skipped
    // URLs from ordinary failures.
    R"sql(
ALTER TABLE versions ADD COLUMN raw_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE fetch_state ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE fetch_state ADD COLUMN last_outcome TEXT NOT NULL DEFAULT '';
)sql",
};

int user_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

}  // namespace

int newest_schema_version() {
  return static_cast<int>(k_patches.size());
}

void migrate(SQLite::Database& db, const std::string& path, int target) {
  if (target < 0) target = newest_schema_version();
  int version = user_version(db);
  if (version > newest_schema_version()) {
    throw StoreError(path + ": database schema version " + std::to_string(version) +
                     " is newer than this billwatch understands (" +
                     std::to_string(newest_schema_version()) +
                     "); upgrade billwatch or use a backup of the database");
  }
  for (; version < target; ++version) {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    db.exec(k_patches[static_cast<std::size_t>(version)]);
    db.exec("PRAGMA user_version = " + std::to_string(version + 1));
    transaction.commit();
  }
}

}  // namespace billwatch::store::detail
