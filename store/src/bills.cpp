// Bills: saving a bill update (bill, actions, version, provisions and events in one transaction).
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "billwatch/core/hash.hpp"
#include "billwatch/core/matching.hpp"
#include "billwatch/store/store.hpp"
#include "event_payloads.hpp"
#include "rows.hpp"
#include "schema.hpp"
#include "store_impl.hpp"
#include "texts.hpp"

namespace billwatch::store {

using detail::Prepared;
using detail::WriteScope;
using nlohmann::json;
std::optional<std::string> Store::latest_content_hash(const std::string& bill_id) const {
  return m_impl->guarded("reading latest version hash", [&]() -> std::optional<std::string> {
    Prepared q = m_impl->statements.prepare(
        "SELECT content_hash FROM versions WHERE bill_id = ? "
        "ORDER BY id DESC LIMIT 1");
    q->bind(1, bill_id);
    if (!q->executeStep()) return std::nullopt;
    return q->getColumn(0).getString();
  });
}

bool Store::is_latest_text(const std::string& bill_id, std::string_view text) const {
  return latest_content_hash(bill_id) == sha256_hex(text);
}

std::optional<Version> Store::latest_version(const std::string& bill_id) const {
  return m_impl->guarded("reading latest version", [&]() -> std::optional<Version> {
    std::int64_t id = 0;
    {
      Prepared q = m_impl->statements.prepare(
          "SELECT id FROM versions WHERE bill_id = ? ORDER BY id DESC LIMIT 1");
      q->bind(1, bill_id);
      if (!q->executeStep()) return std::nullopt;
      id = q->getColumn(0).getInt64();
    }
    return version(bill_id, id);
  });
}

namespace {

// Inserts the actions not stored yet; returns them.
std::vector<Action> record_new_actions(detail::StatementCache& statements,
                                       const std::string& bill_id,
                                       const std::vector<Action>& actions, Timestamp at) {
  std::vector<Action> added;
  Prepared insert = statements.prepare(
      "INSERT OR IGNORE INTO actions (bill_id, date, chamber, text, stage, recorded_at, code, "
      "type) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& a : actions) {
    insert->bind(1, bill_id);
    insert->bind(2, a.date);
    insert->bind(3, a.chamber);
    insert->bind(4, a.text);
    insert->bind(5, detail::stage_name(a.stage));
    insert->bind(6, static_cast<std::int64_t>(at));
    insert->bind(7, a.code);
    insert->bind(8, a.type);
    if (insert->exec() > 0) added.push_back(a);
    insert->reset();
  }
  return added;
}

// The stage of the bill's latest dated action that has one.
std::string current_stage(detail::StatementCache& statements, const std::string& bill_id) {
  Prepared q = statements.prepare(
      "SELECT stage FROM actions WHERE bill_id = ? AND stage <> '' "
      "ORDER BY date DESC, id DESC LIMIT 1");
  q->bind(1, bill_id);
  return q->executeStep() ? q->getColumn(0).getString() : std::string();
}

// Stores one version of a bill with its provisions (inside the update's transaction):
// its text interned, numbered after the bill's last version, labeled "Version N" when the
// source gave no label. Fills the version's id, number and label in `saved`.
void insert_version(SQLite::Database& db, detail::StatementCache& statements, const Bill& bill,
                    const NewVersion& version, SavedVersion& saved) {
  const Provenance& p = version.provenance;
  // The store alone decides a version's identity: the hash of exactly the text it keeps.
  detail::StoredText stored = detail::intern_text(statements, version.text);
  {
    // Numbered per bill in the order stored: the number people cite ("version 2").
    Prepared last =
        statements.prepare("SELECT COALESCE(MAX(number), 0) FROM versions WHERE bill_id = ?");
    last->bind(1, bill.id);
    last->executeStep();
    saved.version_number = last->getColumn(0).getInt() + 1;
  }
  saved.label =
      version.label.empty() ? "Version " + std::to_string(saved.version_number) : version.label;
  Prepared insert = statements.prepare(
      "INSERT INTO versions (bill_id, content_hash, text_id, relevant, relevance_score, "
      "relevance_cues, url, final_url, fetched_at, http_status, etag, last_modified, "
      "raw_hash, source, label, parser_version, version_code, version_date, number) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert->bind(1, bill.id);
  insert->bind(2, stored.hash);
  insert->bind(3, stored.id);
  insert->bind(4, version.relevance.relevant ? 1 : 0);
  insert->bind(5, version.relevance.score);
  insert->bind(6, detail::json_text(json(version.relevance.cues)));
  insert->bind(7, p.url);
  insert->bind(8, p.final_url);
  insert->bind(9, static_cast<std::int64_t>(p.fetched_at));
  insert->bind(10, p.http_status);
  insert->bind(11, p.etag);
  insert->bind(12, p.last_modified);
  insert->bind(13, p.raw_hash);
  insert->bind(14, bill.source);
  insert->bind(15, saved.label);
  insert->bind(16, version.parser_version);
  insert->bind(17, version.version_code);
  insert->bind(18, version.version_date);
  insert->bind(19, saved.version_number);
  insert->exec();
  saved.version_id = db.getLastInsertRowid();
  Prepared provision = statements.prepare(
      "INSERT OR IGNORE INTO provisions (version_id, category, section, excerpt, "
      "start_offset, end_offset, exceptions, deadline, confidence) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& pr : version.provisions) {
    provision->bind(1, saved.version_id);
    provision->bind(2, pr.category);
    provision->bind(3, pr.section);
    provision->bind(4, pr.excerpt);
    provision->bind(5, static_cast<std::int64_t>(pr.start));
    provision->bind(6, static_cast<std::int64_t>(pr.end));
    provision->bind(7, pr.exceptions ? 1 : 0);
    provision->bind(8, pr.deadline);
    provision->bind(9, pr.confidence);
    provision->exec();
    provision->reset();
  }
}

}  // namespace

SavedVersion Store::save_version(const NewVersion& version, Timestamp at) {
  return save_update(BillUpdate{version.bill, version.actions, version}, at);
}

SavedVersion Store::save_update(const BillUpdate& update, Timestamp at) {
  return m_impl->guarded("saving a bill update", [&] {
    auto& db = m_impl->db;
    auto& statements = m_impl->statements;
    WriteScope transaction(db);
    const Bill& bill = update.bill;

    bool is_new;
    {
      Prepared exists = statements.prepare("SELECT 1 FROM bills WHERE id = ?");
      exists->bind(1, bill.id);
      is_new = !exists->executeStep();
    }
    {
      // Empty metadata from one source never erases what another source gave.
      Prepared upsert = statements.prepare(
          "INSERT INTO bills (id, jurisdiction, title, source, url, first_seen, last_changed, "
          "session, identifier, openstates_id, legiscan_id, govinfo_package, sponsor) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
          "ON CONFLICT(id) DO UPDATE SET jurisdiction = ?2, "
          "title = CASE WHEN ?3 = '' THEN title ELSE ?3 END, source = ?4, url = ?5, "
          "session = CASE WHEN ?7 = '' THEN session ELSE ?7 END, "
          "identifier = CASE WHEN ?8 = '' THEN identifier ELSE ?8 END, "
          "openstates_id = CASE WHEN ?9 = '' THEN openstates_id ELSE ?9 END, "
          "legiscan_id = CASE WHEN ?10 = '' THEN legiscan_id ELSE ?10 END, "
          "govinfo_package = CASE WHEN ?11 = '' THEN govinfo_package ELSE ?11 END, "
          "sponsor = CASE WHEN ?12 = '' THEN sponsor ELSE ?12 END");
      upsert->bind(1, bill.id);
      upsert->bind(2, bill.jurisdiction);
      upsert->bind(3, bill.title);
      upsert->bind(4, bill.source);
      upsert->bind(5, bill.url);
      upsert->bind(6, static_cast<std::int64_t>(at));
      upsert->bind(7, bill.session);
      upsert->bind(8, bill.identifier);
      upsert->bind(9, bill.openstates_id);
      upsert->bind(10, bill.legiscan_id);
      upsert->bind(11, bill.govinfo_package);
      upsert->bind(12, bill.sponsor);
      upsert->exec();
    }

    std::string old_stage;
    if (!is_new) {
      Prepared q = statements.prepare("SELECT stage FROM bills WHERE id = ?");
      q->bind(1, bill.id);
      if (q->executeStep()) old_stage = q->getColumn(0).getString();
    }
    SavedVersion saved;
    std::vector<Action> added = record_new_actions(statements, bill.id, update.actions, at);
    saved.new_actions = static_cast<int>(added.size());
    std::string stage = current_stage(statements, bill.id);
    {
      Prepared set_stage = statements.prepare("UPDATE bills SET stage = ? WHERE id = ?");
      set_stage->bind(1, stage);
      set_stage->bind(2, bill.id);
      set_stage->exec();
    }

    if (update.version) {
      insert_version(db, statements, bill, *update.version, saved);
      const Provenance& p = update.version->provenance;
      m_impl->upsert_fetch_success(
          p.url, FetchSuccess{p.http_status, p.etag, p.last_modified, p.raw_hash, "stored"}, at);
    }

    // The events, planned by a pure function and written here.
    std::int64_t actions_event = 0;
    detail::UpdateFacts facts{
        is_new,      detail::stage_from(old_stage), detail::stage_from(stage), added,
        saved.label, saved.version_number};
    for (detail::PlannedEvent& planned : detail::plan_events(bill, update, facts)) {
      Prepared event = statements.prepare(
          "INSERT INTO events (kind, bill_id, version_id, payload, created_at) "
          "VALUES (?, ?, ?, ?, ?)");
      event->bind(1, to_string(planned.kind));
      event->bind(2, bill.id);
      if (planned.names_version && saved.version_id != 0) {
        event->bind(3, saved.version_id);
      } else {
        event->bind(3);
      }
      event->bind(4, detail::json_text(planned.payload));
      event->bind(5, static_cast<std::int64_t>(at));
      event->exec();
      std::int64_t id = db.getLastInsertRowid();
      if (saved.event_id == 0) {
        saved.event_id = id;
        saved.kind = planned.kind;
      }
      saved.events.emplace_back(planned.kind, id);
      if (planned.carries_actions) actions_event = id;
      if (planned.provisions) saved.provisions_event_id = id;
    }
    if (saved.event_id == 0) {
      transaction.commit();  // metadata only: nothing to tell anyone
      return saved;
    }
    if (actions_event != 0) {
      Prepared link = statements.prepare(
          "UPDATE actions SET event_id = ? WHERE bill_id = ? AND event_id IS NULL");
      link->bind(1, actions_event);
      link->bind(2, bill.id);
      link->exec();
    }
    {
      Prepared touch = statements.prepare("UPDATE bills SET last_changed = ? WHERE id = ?");
      touch->bind(1, static_cast<std::int64_t>(at));
      touch->bind(2, bill.id);
      touch->exec();
    }
    transaction.commit();
    return saved;
  });
}

std::int64_t Store::record_source_unhealthy(const Bill& bill, const std::string& message,
                                            Timestamp at) {
  return m_impl->guarded("recording an unreadable page", [&] {
    auto& statements = m_impl->statements;
    WriteScope transaction(m_impl->db);
    {
      Prepared insert = statements.prepare(
          "INSERT OR IGNORE INTO bills (id, jurisdiction, title, source, url, first_seen, "
          "last_changed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)");
      insert->bind(1, bill.id);
      insert->bind(2, bill.jurisdiction);
      insert->bind(3, bill.title);
      insert->bind(4, bill.source);
      insert->bind(5, bill.url);
      insert->bind(6, static_cast<std::int64_t>(at));
      insert->exec();
    }
    json payload{{"title", bill.title}, {"url", bill.url}, {"message", message}};
    Prepared event = statements.prepare(
        "INSERT INTO events (kind, bill_id, version_id, payload, created_at) "
        "VALUES (?, ?, NULL, ?, ?)");
    event->bind(1, to_string(EventKind::SourceUnhealthy));
    event->bind(2, bill.id);
    event->bind(3, detail::json_text(payload));
    event->bind(4, static_cast<std::int64_t>(at));
    event->exec();
    std::int64_t id = m_impl->db.getLastInsertRowid();
    transaction.commit();
    return id;
  });
}

}  // namespace billwatch::store
