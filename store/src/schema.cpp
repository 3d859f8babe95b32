#include "schema.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <stdexcept>
#include <vector>

#include "billwatch/core/hash.hpp"
#include "billwatch/store/store.hpp"
#include "statements.hpp"
#include "texts.hpp"

namespace billwatch::store::detail {

namespace {

// Patch N brings the schema from version N to N+1: its SQL, then, when data must be
// rewritten, a step in code. Never edit a released patch; add one.
struct Patch {
  const char* sql;
  void (*step)(SQLite::Database& db) = nullptr;
};

// 2 -> 3: versions keep their text in the content-addressed text store.
void move_texts_to_text_store(SQLite::Database& db) {
  StatementCache statements(db);
  SQLite::Statement versions(db, "SELECT id, bill_id, text FROM versions ORDER BY id");
  SQLite::Statement link(db, "UPDATE versions SET text_id = ? WHERE id = ?");
  while (versions.executeStep()) {
    // The hash is computed afresh: the text store checks every text it rebuilds against it.
    std::string text = versions.getColumn(2).getString();
    std::int64_t text_id = intern_text(statements, text).id;
    link.bind(1, text_id);
    link.bind(2, versions.getColumn(0).getInt64());
    link.exec();
    link.reset();
  }
  db.exec("ALTER TABLE versions DROP COLUMN text");
  db.exec(
      "UPDATE versions SET source = (SELECT source FROM bills WHERE bills.id = versions.bill_id)");
}

// 5 -> 6: every text's hash is the hash of the text kept. Releases before this one hashed
// what a source fetched and stored it after removing printed layout, so a text with printed
// line numbers (every Wyoming PDF, or a page starting "1 hello world") could not be read
// back. Each text is rebuilt and re-hashed; a text whose true hash another row already
// has (the same text stored twice under two wrong hashes) is merged into that row. A text
// that cannot be rebuilt at all is left as it is for `billwatch check` to report.
void repair_text_hashes(SQLite::Database& db) {
  StatementCache statements(db);
  std::vector<std::pair<std::int64_t, std::string>> texts;
  {
    SQLite::Statement all(db, "SELECT id, hash FROM texts ORDER BY id");
    while (all.executeStep())
      texts.emplace_back(all.getColumn(0).getInt64(), all.getColumn(1).getString());
  }
  SQLite::Statement find(db, "SELECT id FROM texts WHERE hash = ?");
  SQLite::Statement rehash(db, "UPDATE texts SET hash = ? WHERE id = ?");
  SQLite::Statement relink(db, "UPDATE versions SET text_id = ? WHERE text_id = ?");
  SQLite::Statement drop(db, "DELETE FROM texts WHERE id = ?");
  for (const auto& [id, stored_hash] : texts) {
    std::string actual;
    try {
      actual = sha256_hex(rebuild_text(statements, id));
    } catch (const std::runtime_error&) {
      continue;  // damaged beyond re-hashing: `check` names it
    }
    if (actual == stored_hash) continue;
    find.bind(1, actual);
    std::int64_t same = find.executeStep() ? find.getColumn(0).getInt64() : 0;
    find.reset();
    if (same != 0) {
      relink.bind(1, same);
      relink.bind(2, id);
      relink.exec();
      relink.reset();
      drop.bind(1, id);
      drop.exec();
      drop.reset();
    } else {
      rehash.bind(1, actual);
      rehash.bind(2, id);
      rehash.exec();
      rehash.reset();
    }
  }
  db.exec(
      "UPDATE versions SET content_hash = (SELECT t.hash FROM texts t WHERE t.id = "
      "versions.text_id) WHERE content_hash <> (SELECT t.hash FROM texts t WHERE t.id = "
      "versions.text_id)");
}

const std::array<Patch, 8> k_patches = {
    // 0 -> 1: the foundation.
    Patch{R"sql(
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
)sql"},
    // 1 -> 2: the crawler engine. The raw body's hash lets an unchanged body skip parsing
    // even when the server ignores validators; last_outcome tells blocked and robots-skipped
    // URLs from ordinary failures.
    Patch{R"sql(
ALTER TABLE versions ADD COLUMN raw_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE fetch_state ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE fetch_state ADD COLUMN last_outcome TEXT NOT NULL DEFAULT '';
)sql"},
    // 2 -> 3: the system of record. Texts become content-addressed lists of paragraphs,
    // each distinct paragraph stored once (zstd) and indexed once for full-text search;
    // bills gain session, identifier, stage and cross-walk ids; actions, provisions and
    // per-source health get tables.
    Patch{R"sql(
ALTER TABLE bills ADD COLUMN session TEXT NOT NULL DEFAULT '';
ALTER TABLE bills ADD COLUMN identifier TEXT NOT NULL DEFAULT '';
ALTER TABLE bills ADD COLUMN stage TEXT NOT NULL DEFAULT '';
ALTER TABLE bills ADD COLUMN openstates_id TEXT NOT NULL DEFAULT '';
ALTER TABLE bills ADD COLUMN legiscan_id TEXT NOT NULL DEFAULT '';
ALTER TABLE bills ADD COLUMN govinfo_package TEXT NOT NULL DEFAULT '';
-- The paragraphs a text brought that were not stored yet, concatenated and compressed
-- together (paragraphs alone are too short for zstd to do much).
CREATE TABLE packs (
  id   INTEGER PRIMARY KEY,
  zstd INTEGER NOT NULL,       -- 1: body is a zstd frame; 0: body is the bytes themselves
  body BLOB NOT NULL
);
CREATE TABLE paragraphs (
  id      INTEGER PRIMARY KEY,
  hash    BLOB NOT NULL UNIQUE,  -- SHA-256 of the paragraph's UTF-8 text
  pack_id INTEGER NOT NULL REFERENCES packs(id),
  offset  INTEGER NOT NULL,      -- where in the unpacked pack it starts, in bytes
  length  INTEGER NOT NULL
);
CREATE TABLE texts (
  id         INTEGER PRIMARY KEY,
  hash       TEXT NOT NULL UNIQUE,  -- SHA-256 (hex) of the whole text: versions.content_hash
  chars      INTEGER NOT NULL,      -- length in bytes of UTF-8
  paragraphs BLOB NOT NULL          -- paragraph ids in order (zigzag-delta varints); the
                                    -- text is the paragraphs joined with two newlines
);
-- Contentless: the text lives (compressed) in packs; rowid = paragraphs.id.
CREATE VIRTUAL TABLE paragraph_fts USING fts5(
  body, content = '', tokenize = 'unicode61 remove_diacritics 2');
ALTER TABLE versions ADD COLUMN text_id INTEGER REFERENCES texts(id);
ALTER TABLE versions ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE versions ADD COLUMN label TEXT NOT NULL DEFAULT '';
ALTER TABLE versions ADD COLUMN parser_version TEXT NOT NULL DEFAULT '';
CREATE INDEX versions_by_text ON versions(text_id);
CREATE TABLE actions (
  id          INTEGER PRIMARY KEY,
  bill_id     TEXT NOT NULL REFERENCES bills(id),
  date        TEXT NOT NULL,      -- YYYY-MM-DD, as the legislature dated it
  chamber     TEXT NOT NULL,
  text        TEXT NOT NULL,
  stage       TEXT NOT NULL,      -- normalized; '' when the action moves nothing
  recorded_at INTEGER NOT NULL,   -- when billwatch first saw it
  event_id    INTEGER REFERENCES events(id),
  UNIQUE (bill_id, date, chamber, text)
);
CREATE TABLE provisions (
  version_id   INTEGER NOT NULL REFERENCES versions(id),
  category     TEXT NOT NULL,
  section      TEXT NOT NULL,
  excerpt      TEXT NOT NULL,
  start_offset INTEGER NOT NULL DEFAULT 0,  -- byte range of the excerpt in the text
  end_offset   INTEGER NOT NULL DEFAULT 0,
  exceptions   INTEGER NOT NULL DEFAULT 0,  -- 1: a conditional ban
  deadline     TEXT NOT NULL DEFAULT '',
  confidence   REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (version_id, category, section)
);
CREATE TABLE source_health (
  source               TEXT PRIMARY KEY,
  last_run             INTEGER NOT NULL,
  last_success         INTEGER NOT NULL DEFAULT 0,
  pages                INTEGER NOT NULL DEFAULT 0,
  failures             INTEGER NOT NULL DEFAULT 0,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,  -- runs in a row with every page failing
  last_error           TEXT NOT NULL DEFAULT ''
);
)sql",
          move_texts_to_text_store},
    // 3 -> 4: sources that read listings (govinfo, LegiScan, Open States). Event kinds are
    // named as subscribers choose them (content_changed is new_version; status_changed
    // meant new actions, which is `action` now, while status_changed is a stage that
    // moved); versions carry the source's code and date, actions the source's code and
    // type; each source remembers the items it read by their change mark (source_items).
    Patch{R"sql(
UPDATE events SET kind = 'new_version' WHERE kind = 'content_changed';
UPDATE events SET kind = 'action' WHERE kind = 'status_changed';
ALTER TABLE versions ADD COLUMN version_code TEXT NOT NULL DEFAULT '';
ALTER TABLE versions ADD COLUMN version_date TEXT NOT NULL DEFAULT '';
ALTER TABLE actions ADD COLUMN code TEXT NOT NULL DEFAULT '';
ALTER TABLE actions ADD COLUMN type TEXT NOT NULL DEFAULT '';
CREATE TABLE source_items (
  source            TEXT NOT NULL,
  url               TEXT NOT NULL,    -- the item's key: a URL, or "legiscan:1885997"
  bill_id           TEXT NOT NULL,
  seen_lastmod      TEXT NOT NULL DEFAULT '',
  processed_lastmod TEXT NOT NULL DEFAULT '',
  tracked           INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (source, url)
) WITHOUT ROWID;
-- Small per-source memory ("when did the last API listing start").
CREATE TABLE source_state (
  source TEXT NOT NULL,
  key    TEXT NOT NULL,
  value  TEXT NOT NULL,
  PRIMARY KEY (source, key)
) WITHOUT ROWID;
-- Requests made to keyed APIs per clock hour, so billwatch stays under their limits
-- across runs (api.congress.gov: 5,000 an hour).
CREATE TABLE api_usage (
  service  TEXT NOT NULL,
  hour     INTEGER NOT NULL,  -- Unix time / 3600
  requests INTEGER NOT NULL,
  PRIMARY KEY (service, hour)
) WITHOUT ROWID;
)sql"},
    // 4 -> 5: subscriptions. A subscriber has named subscriptions, each a filter over
    // events (jurisdictions, bills, categories, event kinds, stages, keywords); the
    // jurisdictions of schema 4 become each subscriber's first subscription. Events up to
    // considered_event_id have been matched against a subscriber's filters already.
    Patch{R"sql(
ALTER TABLE subscribers ADD COLUMN name TEXT NOT NULL DEFAULT '';
ALTER TABLE subscribers ADD COLUMN frequency TEXT NOT NULL DEFAULT 'immediate';
ALTER TABLE subscribers ADD COLUMN considered_event_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscribers ADD COLUMN last_digest_at INTEGER NOT NULL DEFAULT 0;
UPDATE subscribers SET considered_event_id = first_event_id;
CREATE TABLE subscriptions (
  id            INTEGER PRIMARY KEY,
  subscriber_id INTEGER NOT NULL REFERENCES subscribers(id) ON DELETE CASCADE,
  filter        TEXT NOT NULL   -- JSON: jurisdictions, bills, categories, events, stages, keywords
);
CREATE INDEX subscriptions_by_subscriber ON subscriptions(subscriber_id);
INSERT INTO subscriptions (subscriber_id, filter)
  SELECT s.id, json_object('jurisdictions',
    (SELECT json_group_array(j.jurisdiction) FROM subscription_jurisdictions j
     WHERE j.subscriber_id = s.id))
  FROM subscribers s;
DROP TABLE subscription_jurisdictions;
)sql"},
    // 5 -> 6: a record researchers can cite. Versions are numbered per bill (1, 2, 3 in
    // the order they were stored; the row id stays an internal key) and every version has
    // a label a person can name; text hashes are repaired (repair_text_hashes).
    Patch{R"sql(
ALTER TABLE versions ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
UPDATE versions SET number =
  (SELECT COUNT(*) FROM versions w WHERE w.bill_id = versions.bill_id AND w.id <= versions.id);
CREATE UNIQUE INDEX versions_by_number ON versions(bill_id, number);
UPDATE versions SET label = 'Version ' || number WHERE label = '';
)sql",
          repair_text_hashes},
    // 6 -> 7: a bill's primary sponsor, for new-bill alerts and exports.
    Patch{R"sql(
ALTER TABLE bills ADD COLUMN sponsor TEXT NOT NULL DEFAULT '';
)sql"},
    // 7 -> 8: self-service on the web. Requests wait in `confirmations` until their
    // address confirms them (never in `subscribers`, so nothing but the confirmation mail
    // can reach an unconfirmed address); `requested_mails` counts the mails strangers can
    // cause per address (the per-address limit); a subscriber can pause, and their manage
    // link has a generation that a new link moves.
    Patch{R"sql(
ALTER TABLE subscribers ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
ALTER TABLE subscribers ADD COLUMN manage_generation INTEGER NOT NULL DEFAULT 1;
CREATE TABLE confirmations (
  id           INTEGER PRIMARY KEY,
  email        TEXT NOT NULL COLLATE NOCASE,
  filter       TEXT NOT NULL,             -- JSON, as subscriptions.filter
  frequency    TEXT NOT NULL,
  requested_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  confirmed_at INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX confirmations_by_email ON confirmations(email);
CREATE TABLE requested_mails (
  email TEXT NOT NULL COLLATE NOCASE,
  at    INTEGER NOT NULL
);
CREATE INDEX requested_mails_by_email ON requested_mails(email, at);
)sql"},
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
    const Patch& patch = k_patches[static_cast<std::size_t>(version)];
    db.exec(patch.sql);
    if (patch.step) patch.step(db);
    db.exec("PRAGMA user_version = " + std::to_string(version + 1));
    transaction.commit();
  }
}

}  // namespace billwatch::store::detail
