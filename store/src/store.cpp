#include "billwatch/store/store.hpp"

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
#include "rows.hpp"
#include "schema.hpp"
#include "store_impl.hpp"
#include "texts.hpp"

namespace billwatch::store {

using detail::Prepared;
using detail::WriteScope;
using nlohmann::json;

std::unique_ptr<Store::Impl> Store::open_impl(const std::string& path, bool create) {
  try {
    auto impl = std::make_unique<Store::Impl>(
        path, SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0));
    impl->db.setBusyTimeout(5000);
    impl->db.exec("PRAGMA foreign_keys = ON");
    if (path != ":memory:") {
      impl->db.exec("PRAGMA journal_mode = WAL");
      // In WAL mode NORMAL cannot corrupt the database; a power cut may lose the last
      // transactions, which the next run fetches again. FULL would fsync every URL's state.
      impl->db.exec("PRAGMA synchronous = NORMAL");
    }
    detail::migrate(impl->db, path);
    return impl;
  } catch (const SQLite::Exception& e) {
    throw StoreError(path + ": cannot open database: " + e.what());
  }
}

namespace {

json filter_to_json(const SubscriptionFilter& f) {
  json j = json::object();
  auto put = [&](const char* key, const std::vector<std::string>& list) {
    if (!list.empty()) j[key] = list;
  };
  put("jurisdictions", f.jurisdictions);
  put("bills", f.bills);
  put("categories", f.categories);
  put("events", f.events);
  put("stages", f.stages);
  put("keywords", f.keywords);
  return j;
}

SubscriptionFilter filter_from_json(const json& j) {
  SubscriptionFilter f;
  auto get = [&](const char* key, std::vector<std::string>& list) {
    if (j.contains(key) && j[key].is_array()) {
      for (const auto& item : j[key]) {
        if (item.is_string()) list.push_back(item.get<std::string>());
      }
    }
  };
  get("jurisdictions", f.jurisdictions);
  get("bills", f.bills);
  get("categories", f.categories);
  get("events", f.events);
  get("stages", f.stages);
  get("keywords", f.keywords);
  return f;
}

// The provision categories of the bill's latest version (what a category filter asks).
std::vector<std::string> latest_categories(detail::StatementCache& statements,
                                           const std::string& bill_id) {
  Prepared q = statements.prepare(
      "SELECT DISTINCT category FROM provisions WHERE version_id = "
      "(SELECT MAX(id) FROM versions WHERE bill_id = ?) ORDER BY category");
  q->bind(1, bill_id);
  std::vector<std::string> out;
  while (q->executeStep()) out.push_back(q->getColumn(0).getString());
  return out;
}

std::vector<SubscriptionFilter> subscriptions_of(SQLite::Database& db, std::int64_t subscriber_id) {
  SQLite::Statement q(db, "SELECT filter FROM subscriptions WHERE subscriber_id = ? ORDER BY id");
  q.bind(1, subscriber_id);
  std::vector<SubscriptionFilter> out;
  while (q.executeStep()) out.push_back(filter_from_json(json::parse(q.getColumn(0).getString())));
  return out;
}

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::open(const std::string& path) {
  return Store(open_impl(path, true));
}
Store Store::open_existing(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw StoreError(path +
                     ": no database here (`billwatch run` creates it; is [database] path "
                     "right?)");
  }
  return Store(open_impl(path, false));
}
Store Store::open_in_memory() {
  return Store(open_impl(":memory:", true));
}

const std::string& Store::path() const {
  return m_impl->path;
}

int Store::schema_version() const {
  return m_impl->guarded("reading schema version",
                         [&] { return m_impl->db.execAndGet("PRAGMA user_version").getInt(); });
}

Batch::Batch(Store& store) : m_store(&store) {
  m_store->m_impl->guarded("starting a batch",
                           [&] { m_store->m_impl->db.exec("BEGIN IMMEDIATE"); });
}

Batch::Batch(Batch&& other) noexcept : m_store(other.m_store) {
  other.m_store = nullptr;
}

Batch::~Batch() {
  if (!m_store) return;
  try {
    m_store->m_impl->db.exec("ROLLBACK");
  } catch (...) {
  }
}

void Store::Batch::commit() {
  auto& db = m_store->m_impl->db;
  m_store->m_impl->guarded("committing a batch", [&] {
    // An I/O error inside an update may have ended the transaction already.
    if (sqlite3_get_autocommit(db.getHandle()) == 0) db.exec("COMMIT");
    db.exec("BEGIN IMMEDIATE");
  });
}

void Store::Batch::finish() {
  auto& db = m_store->m_impl->db;
  m_store->m_impl->guarded("committing a batch", [&] {
    if (sqlite3_get_autocommit(db.getHandle()) == 0) db.exec("COMMIT");
  });
  m_store = nullptr;
}

Batch Store::batch() {
  return Batch(*this);
}

std::optional<FetchState> Store::fetch_state(const std::string& url) const {
  return m_impl->guarded("reading fetch state", [&]() -> std::optional<FetchState> {
    Prepared q = m_impl->statements.prepare(
        "SELECT etag, last_modified, last_status, last_error, "
        "consecutive_failures, last_attempt, last_success, body_hash, "
        "last_outcome FROM fetch_state WHERE url = ?");
    q->bind(1, url);
    if (!q->executeStep()) return std::nullopt;
    FetchState state;
    state.url = url;
    state.etag = q->getColumn(0).getString();
    state.last_modified = q->getColumn(1).getString();
    state.last_status = q->getColumn(2).getInt();
    state.last_error = q->getColumn(3).getString();
    state.consecutive_failures = q->getColumn(4).getInt();
    state.last_attempt = q->getColumn(5).getInt64();
    state.last_success = q->getColumn(6).getInt64();
    state.body_hash = q->getColumn(7).getString();
    state.last_outcome = q->getColumn(8).getString();
    return state;
  });
}

void Store::Impl::upsert_fetch_success(const std::string& url, const FetchSuccess& success,
                                       Timestamp at) {
  Prepared q = statements.prepare(
      "INSERT INTO fetch_state (url, etag, last_modified, last_status, last_error, "
      "consecutive_failures, last_attempt, last_success, body_hash, last_outcome) "
      "VALUES (?1, ?2, ?3, ?4, '', 0, ?5, ?5, ?6, ?7) "
      "ON CONFLICT(url) DO UPDATE SET etag = ?2, last_modified = ?3, "
      "last_status = ?4, last_error = '', consecutive_failures = 0, "
      "last_attempt = ?5, last_success = ?5, body_hash = ?6, last_outcome = ?7");
  q->bind(1, url);
  q->bind(2, success.etag);
  q->bind(3, success.last_modified);
  q->bind(4, success.http_status);
  q->bind(5, static_cast<std::int64_t>(at));
  q->bind(6, success.body_hash);
  q->bind(7, success.outcome);
  q->exec();
}

void Store::record_fetch_success(const std::string& url, const FetchSuccess& success,
                                 Timestamp at) {
  m_impl->guarded("recording fetch success",
                  [&] { m_impl->upsert_fetch_success(url, success, at); });
}

void Store::record_fetch_successes(
    const std::vector<std::pair<std::string, FetchSuccess>>& successes, Timestamp at) {
  m_impl->guarded("recording fetch successes", [&] {
    WriteScope transaction(m_impl->db);
    for (const auto& [url, success] : successes) m_impl->upsert_fetch_success(url, success, at);
    transaction.commit();
  });
}

void Store::record_fetch_failure(const std::string& url, int http_status,
                                 const std::string& message, const std::string& outcome,
                                 Timestamp at) {
  m_impl->guarded("recording fetch failure", [&] {
    // Validators and the body hash are kept: the stored version they describe is still
    // the latest.
    Prepared q = m_impl->statements.prepare(
        "INSERT INTO fetch_state (url, last_status, last_error, "
        "consecutive_failures, last_attempt, last_outcome) "
        "VALUES (?1, ?2, ?3, 1, ?4, ?5) "
        "ON CONFLICT(url) DO UPDATE SET last_status = ?2, last_error = ?3, "
        "consecutive_failures = consecutive_failures + 1, last_attempt = ?4, "
        "last_outcome = ?5");
    q->bind(1, url);
    q->bind(2, http_status);
    q->bind(3, message);
    q->bind(4, static_cast<std::int64_t>(at));
    q->bind(5, outcome);
    q->exec();
  });
}

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
    insert->bind(5, a.stage);
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
          "session, identifier, openstates_id, legiscan_id, govinfo_package) "
          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7, ?8, ?9, ?10, ?11) "
          "ON CONFLICT(id) DO UPDATE SET jurisdiction = ?2, "
          "title = CASE WHEN ?3 = '' THEN title ELSE ?3 END, source = ?4, url = ?5, "
          "session = CASE WHEN ?7 = '' THEN session ELSE ?7 END, "
          "identifier = CASE WHEN ?8 = '' THEN identifier ELSE ?8 END, "
          "openstates_id = CASE WHEN ?9 = '' THEN openstates_id ELSE ?9 END, "
          "legiscan_id = CASE WHEN ?10 = '' THEN legiscan_id ELSE ?10 END, "
          "govinfo_package = CASE WHEN ?11 = '' THEN govinfo_package ELSE ?11 END");
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
      const NewVersion& version = *update.version;
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
      insert->bind(6, json(version.relevance.cues).dump());
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
      m_impl->upsert_fetch_success(
          p.url, FetchSuccess{p.http_status, p.etag, p.last_modified, p.raw_hash, "stored"}, at);
    }

    // The events, in the order a reader would tell them. A bill seen for the first time is
    // one new_bill event, whatever it brought.
    auto record_event = [&](EventKind kind, json payload, std::int64_t version_id) {
      Prepared event = statements.prepare(
          "INSERT INTO events (kind, bill_id, version_id, payload, created_at) "
          "VALUES (?, ?, ?, ?, ?)");
      event->bind(1, to_string(kind));
      event->bind(2, bill.id);
      if (version_id != 0) {
        event->bind(3, version_id);
      } else {
        event->bind(3);
      }
      event->bind(4, payload.dump());
      event->bind(5, static_cast<std::int64_t>(at));
      event->exec();
      std::int64_t id = db.getLastInsertRowid();
      if (saved.event_id == 0) {
        saved.event_id = id;
        saved.kind = kind;
      }
      saved.events.emplace_back(kind, id);
      return id;
    };
    json base{{"title", bill.title}, {"url", bill.url}, {"stage", stage}};
    std::int64_t actions_event = 0;
    if (is_new) {
      json payload = base;
      if (!added.empty()) payload["new_actions"] = detail::actions_to_json(added);
      if (update.version) {
        payload["relevant"] = update.version->relevance.relevant;
        payload["cues"] = update.version->relevance.cues;
        payload["label"] = saved.label;
        payload["version"] = saved.version_number;
      }
      actions_event = record_event(EventKind::NewBill, payload, saved.version_id);
    } else {
      if (!added.empty()) {
        json payload = base;
        payload["new_actions"] = detail::actions_to_json(added);
        actions_event = record_event(EventKind::Action, payload, 0);
      }
      if (stage != old_stage) {
        json payload = base;
        payload["old_stage"] = old_stage;
        if (!added.empty()) payload["new_actions"] = detail::actions_to_json(added);
        record_event(EventKind::StatusChanged, payload, 0);
      }
      if (update.version) {
        const NewVersion& version = *update.version;
        json payload = base;
        payload["relevant"] = version.relevance.relevant;
        payload["cues"] = version.relevance.cues;
        payload["label"] = saved.label;
        payload["version"] = saved.version_number;
        if (!version.version_code.empty()) payload["version_code"] = version.version_code;
        if (version.change) payload["change"] = detail::summary_to_json(*version.change);
        record_event(EventKind::NewVersion, payload, saved.version_id);
        // What the analyzer found changed gets an event of its own, so the notifier can
        // say which protections a new version added or dropped.
        if (!version.provision_changes.empty()) {
          json provision_payload = base;
          provision_payload["relevant"] = version.relevance.relevant;
          provision_payload["provision_changes"] =
              detail::provision_changes_to_json(version.provision_changes);
          provision_payload["label"] = saved.label;
          provision_payload["version"] = saved.version_number;
          provision_payload["from_version"] = saved.version_number - 1;
          saved.provisions_event_id =
              record_event(EventKind::ProvisionsChanged, provision_payload, saved.version_id);
        }
      }
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
    event->bind(3, payload.dump());
    event->bind(4, static_cast<std::int64_t>(at));
    event->exec();
    std::int64_t id = m_impl->db.getLastInsertRowid();
    transaction.commit();
    return id;
  });
}

namespace {

// The subscriber's id, created (seeing events from now on) when the address is new.
std::int64_t subscriber_id(SQLite::Database& db, const std::string& email, Timestamp at,
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

}  // namespace

bool Store::subscribe(const std::string& email, const std::vector<std::string>& jurisdictions,
                      Timestamp at) {
  return m_impl->guarded("subscribing", [&] {
    auto& db = m_impl->db;
    WriteScope transaction(db);
    bool is_new = false;
    std::int64_t id = subscriber_id(db, email, at, is_new);
    SQLite::Statement clear(db, "DELETE FROM subscriptions WHERE subscriber_id = ?");
    clear.bind(1, id);
    clear.exec();
    SubscriptionFilter filter;
    filter.jurisdictions = jurisdictions;
    SQLite::Statement add(db, "INSERT INTO subscriptions (subscriber_id, filter) VALUES (?, ?)");
    add.bind(1, id);
    add.bind(2, filter_to_json(filter).dump());
    add.exec();
    transaction.commit();
    return is_new;
  });
}

bool Store::add_subscription(const std::string& email, const std::string& name,
                             const SubscriptionFilter& filter, const std::string& frequency,
                             Timestamp at) {
  return m_impl->guarded("subscribing", [&] {
    auto& db = m_impl->db;
    WriteScope transaction(db);
    bool is_new = false;
    std::int64_t id = subscriber_id(db, email, at, is_new);
    if (!name.empty() || !frequency.empty()) {
      SQLite::Statement update(db,
                               "UPDATE subscribers SET name = CASE WHEN ?2 = '' THEN name ELSE "
                               "?2 END, frequency = CASE WHEN ?3 = '' THEN frequency ELSE ?3 END "
                               "WHERE id = ?1");
      update.bind(1, id);
      update.bind(2, name);
      update.bind(3, frequency);
      update.exec();
    }
    std::string text = filter_to_json(filter).dump();
    SQLite::Statement exists(db,
                             "SELECT 1 FROM subscriptions WHERE subscriber_id = ? AND filter = ?");
    exists.bind(1, id);
    exists.bind(2, text);
    if (!exists.executeStep()) {
      SQLite::Statement add(db, "INSERT INTO subscriptions (subscriber_id, filter) VALUES (?, ?)");
      add.bind(1, id);
      add.bind(2, text);
      add.exec();
    }
    transaction.commit();
    return is_new;
  });
}

bool Store::unsubscribe(const std::string& email) {
  return m_impl->guarded("unsubscribing", [&] {
    SQLite::Statement q(m_impl->db, "DELETE FROM subscribers WHERE email = ?");
    q.bind(1, email);
    return q.exec() > 0;
  });
}

std::optional<std::string> Store::unsubscribe_id(std::int64_t subscriber_id) {
  return m_impl->guarded("unsubscribing", [&]() -> std::optional<std::string> {
    WriteScope transaction(m_impl->db);
    SQLite::Statement find(m_impl->db, "SELECT email FROM subscribers WHERE id = ?");
    find.bind(1, subscriber_id);
    if (!find.executeStep()) return std::nullopt;
    std::string email = find.getColumn(0).getString();
    SQLite::Statement remove(m_impl->db, "DELETE FROM subscribers WHERE id = ?");
    remove.bind(1, subscriber_id);
    remove.exec();
    transaction.commit();
    return email;
  });
}

std::vector<Subscriber> Store::subscribers() const {
  return m_impl->guarded("listing subscribers", [&] {
    SQLite::Statement q(m_impl->db,
                        "SELECT id, email, created_at, name, frequency, last_digest_at FROM "
                        "subscribers ORDER BY email");
    std::vector<Subscriber> out;
    while (q.executeStep()) {
      Subscriber s;
      s.id = q.getColumn(0).getInt64();
      s.email = q.getColumn(1).getString();
      s.created_at = q.getColumn(2).getInt64();
      s.name = q.getColumn(3).getString();
      s.frequency = q.getColumn(4).getString();
      s.last_digest_at = q.getColumn(5).getInt64();
      out.push_back(std::move(s));
    }
    for (auto& s : out) s.subscriptions = subscriptions_of(m_impl->db, s.id);
    return out;
  });
}

std::vector<PendingDelivery> Store::pending_deliveries(
    int max_attempts, const std::function<bool(int, Timestamp)>& may_retry) const {
  return m_impl->guarded("listing pending deliveries", [&] {
    auto& db = m_impl->db;
    // Events and subscribers are each read once and matched in memory: a join of the two
    // in SQL would build (and parse the payload of) every pair, 10^8 rows for 10,000
    // subscribers and 10,000 events.
    struct SubscriberRow {
      Subscriber subscriber;
      std::int64_t first_event_id = 0;
      std::int64_t considered_event_id = 0;
    };
    std::vector<SubscriberRow> subscribers;
    {
      SQLite::Statement q(db,
                          "SELECT id, email, created_at, frequency, last_digest_at, name, "
                          "first_event_id, considered_event_id FROM subscribers ORDER BY id");
      while (q.executeStep()) {
        SubscriberRow row;
        row.subscriber.id = q.getColumn(0).getInt64();
        row.subscriber.email = q.getColumn(1).getString();
        row.subscriber.created_at = q.getColumn(2).getInt64();
        row.subscriber.frequency = q.getColumn(3).getString();
        row.subscriber.last_digest_at = q.getColumn(4).getInt64();
        row.subscriber.name = q.getColumn(5).getString();
        row.first_event_id = q.getColumn(6).getInt64();
        row.considered_event_id = q.getColumn(7).getInt64();
        subscribers.push_back(std::move(row));
      }
    }
    if (subscribers.empty()) return std::vector<PendingDelivery>{};
    for (auto& row : subscribers)
      row.subscriber.subscriptions = subscriptions_of(db, row.subscriber.id);
    std::int64_t window = subscribers.front().considered_event_id;
    for (const auto& row : subscribers) {
      window = std::min(window, std::max(row.considered_event_id, row.first_event_id));
    }
    // The ledger's rows that matter: any row for events in the window (a sent one is done),
    // and unsent rows from before it (retries).
    struct LedgerRow {
      std::string status;
      int attempts = 0;
      Timestamp updated_at = 0;
    };
    std::map<std::pair<std::int64_t, std::int64_t>, LedgerRow> ledger;
    {
      SQLite::Statement q(db,
                          "SELECT subscriber_id, event_id, status, attempts, updated_at FROM "
                          "deliveries WHERE event_id > ?1 OR status <> 'sent'");
      q.bind(1, window);
      while (q.executeStep()) {
        ledger[{q.getColumn(0).getInt64(), q.getColumn(1).getInt64()}] = {
            q.getColumn(2).getString(), q.getColumn(3).getInt(), q.getColumn(4).getInt64()};
      }
    }
    SQLite::Statement q(db, std::string("SELECT e.id, e.kind, e.created_at, "
                                        "COALESCE(e.version_id, 0), e.payload, ") +
                                detail::k_bill_columns +
                                " FROM events e JOIN bills b ON b.id = e.bill_id WHERE e.id > ?1 "
                                "OR e.id IN (SELECT event_id FROM deliveries WHERE status <> "
                                "'sent') ORDER BY e.id");
    q.bind(1, window);
    std::map<std::string, std::vector<std::string>> categories;
    std::vector<PendingDelivery> out;
    while (q.executeStep()) {
      ChangeEvent event;
      event.id = q.getColumn(0).getInt64();
      event.kind = parse_event_kind(q.getColumn(1).getString());
      event.created_at = q.getColumn(2).getInt64();
      event.version_id = q.getColumn(3).getInt64();
      json payload = json::parse(q.getColumn(4).getString());
      event.bill = detail::bill_from(q, 5);
      event.relevant = payload.value("relevant", false);
      if (payload.contains("change")) event.change = detail::summary_from_json(payload["change"]);
      event.stage = payload.value("stage", "");
      event.old_stage = payload.value("old_stage", "");
      event.version_label = payload.value("label", "");
      event.version_number = payload.value("version", 0);
      event.message = payload.value("message", "");
      if (payload.contains("new_actions")) {
        event.new_actions = detail::actions_from_json(payload["new_actions"]);
      }
      if (payload.contains("provision_changes")) {
        event.provision_changes = detail::provision_changes_from_json(payload["provision_changes"]);
      }
      auto c = categories.find(event.bill.id);
      if (c == categories.end()) {
        c = categories.emplace(event.bill.id, latest_categories(m_impl->statements, event.bill.id))
                .first;
      }
      event.categories = c->second;
      for (const auto& row : subscribers) {
        if (event.id <= row.first_event_id) continue;
        auto entry = ledger.find({row.subscriber.id, event.id});
        int attempts = 0;
        if (entry != ledger.end()) {
          // In the ledger: it matched when the delivery was made.
          const LedgerRow& row_state = entry->second;
          if (row_state.status == "sent") continue;
          if (row_state.status == "failed") {
            if (row_state.attempts >= max_attempts) continue;
            if (may_retry && !may_retry(row_state.attempts, row_state.updated_at)) continue;
          }
          attempts = row_state.attempts;
        } else {
          if (event.id <= row.considered_event_id) continue;
          const auto& filters = row.subscriber.subscriptions;
          bool wanted = std::any_of(filters.begin(), filters.end(),
                                    [&](const SubscriptionFilter& f) { return matches(f, event); });
          if (!wanted) continue;
        }
        out.push_back(PendingDelivery{row.subscriber, event, attempts});
      }
    }
    return out;
  });
}

std::vector<OutboxEntry> Store::outbox(int max_attempts) const {
  std::vector<OutboxEntry> out;
  // Waiting: matched by a subscription and not sent (never tried, sending or retryable).
  for (const auto& d : pending_deliveries(max_attempts)) {
    OutboxEntry e;
    e.email = d.subscriber.email;
    e.event_id = d.event.id;
    e.bill_id = d.event.bill.id;
    e.kind = d.event.kind;
    e.status = d.attempts == 0 ? "pending" : "sending";
    e.attempts = d.attempts;
    e.updated_at = d.event.created_at;
    out.push_back(std::move(e));
  }
  m_impl->guarded("listing the outbox", [&] {
    SQLite::Statement q(m_impl->db, R"sql(
SELECT s.email, d.event_id, e.bill_id, e.kind, d.status, d.attempts, d.last_error, d.updated_at
FROM deliveries d JOIN subscribers s ON s.id = d.subscriber_id JOIN events e ON e.id = d.event_id
WHERE d.status = 'failed' ORDER BY d.event_id, s.email)sql");
    while (q.executeStep()) {
      OutboxEntry e;
      e.email = q.getColumn(0).getString();
      e.event_id = q.getColumn(1).getInt64();
      e.bill_id = q.getColumn(2).getString();
      e.kind = parse_event_kind(q.getColumn(3).getString());
      e.attempts = q.getColumn(5).getInt();
      // No counted attempt: the server did not answer, the next run sends it.
      e.status = e.attempts >= 1000000        ? "refused"
                 : e.attempts >= max_attempts ? "given up"
                 : e.attempts == 0            ? "queued"
                                              : "failed";
      e.last_error = q.getColumn(6).getString();
      e.updated_at = q.getColumn(7).getInt64();
      // A retryable failure is also listed as waiting above: once is enough.
      auto same = std::find_if(out.begin(), out.end(), [&](const OutboxEntry& o) {
        return o.email == e.email && o.event_id == e.event_id;
      });
      if (same != out.end()) {
        *same = std::move(e);
      } else {
        out.push_back(std::move(e));
      }
    }
  });
  return out;
}

void Store::mark_digest_sent(std::int64_t subscriber_id, Timestamp at) {
  m_impl->guarded("recording a digest", [&] {
    SQLite::Statement q(m_impl->db, "UPDATE subscribers SET last_digest_at = ? WHERE id = ?");
    q.bind(1, static_cast<std::int64_t>(at));
    q.bind(2, subscriber_id);
    q.exec();
  });
}

std::int64_t Store::newest_event_id() const {
  return m_impl->guarded("reading the newest event", [&] {
    return m_impl->db.execAndGet("SELECT COALESCE(MAX(id), 0) FROM events").getInt64();
  });
}

void Store::mark_considered(std::int64_t subscriber_id, std::int64_t event_id) {
  m_impl->guarded("recording matched events", [&] {
    SQLite::Statement q(m_impl->db,
                        "UPDATE subscribers SET considered_event_id = MAX(considered_event_id, ?) "
                        "WHERE id = ?");
    q.bind(1, event_id);
    q.bind(2, subscriber_id);
    q.exec();
  });
}

namespace {
// One ledger step. `attempt` is added to the attempts (never below 0).
void write_delivery(SQLite::Database& db, std::int64_t subscriber_id, std::int64_t event_id,
                    const char* status, int attempt, const std::string& error, Timestamp at) {
  SQLite::Statement q(db,
                      "INSERT INTO deliveries (subscriber_id, event_id, status, attempts, "
                      "last_error, updated_at) VALUES (?1, ?2, ?3, MAX(?4, 0), ?5, ?6) "
                      "ON CONFLICT(subscriber_id, event_id) DO UPDATE SET status = ?3, "
                      "attempts = MAX(attempts + ?4, 0), last_error = ?5, updated_at = ?6");
  q.bind(1, subscriber_id);
  q.bind(2, event_id);
  q.bind(3, status);
  q.bind(4, attempt);
  q.bind(5, error);
  q.bind(6, static_cast<std::int64_t>(at));
  q.exec();
}
}  // namespace

void Store::mark_sending(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at) {
  m_impl->guarded("recording a delivery attempt", [&] {
    write_delivery(m_impl->db, subscriber_id, event_id, "sending", 1, "", at);
  });
}

void Store::mark_sent(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at) {
  m_impl->guarded("recording a sent delivery",
                  [&] { write_delivery(m_impl->db, subscriber_id, event_id, "sent", 0, "", at); });
}

void Store::mark_failed(std::int64_t subscriber_id, std::int64_t event_id, const std::string& error,
                        Timestamp at) {
  m_impl->guarded("recording a failed delivery", [&] {
    write_delivery(m_impl->db, subscriber_id, event_id, "failed", 0, error, at);
  });
}

void Store::mark_unanswered(std::int64_t subscriber_id, std::int64_t event_id,
                            const std::string& error, Timestamp at) {
  m_impl->guarded("recording an unanswered delivery", [&] {
    // Undo the attempt "sending" counted: a server that was down says nothing about this
    // recipient, so neither the attempt limit nor (for a first attempt) the backoff applies.
    write_delivery(m_impl->db, subscriber_id, event_id, "failed", -1, error, at);
  });
}

void Store::mark_refused(std::int64_t subscriber_id, std::int64_t event_id,
                         const std::string& error, Timestamp at) {
  m_impl->guarded("recording a refused delivery", [&] {
    write_delivery(m_impl->db, subscriber_id, event_id, "failed", 0, error, at);
    // As many attempts as any retry limit could allow: it stays failed, listed, unsent.
    SQLite::Statement q(m_impl->db,
                        "UPDATE deliveries SET attempts = 1000000 WHERE subscriber_id = ? AND "
                        "event_id = ?");
    q.bind(1, subscriber_id);
    q.bind(2, event_id);
    q.exec();
  });
}

void Store::record_source_health(const std::string& source, int pages, int failures,
                                 const std::string& last_error, Timestamp at) {
  m_impl->guarded("recording source health", [&] {
    // A source fails as a whole when every page failed; one dead page is not an outage.
    bool all_failed = pages > 0 && failures == pages;
    Prepared q = m_impl->statements.prepare(
        "INSERT INTO source_health (source, last_run, last_success, pages, failures, "
        "consecutive_failures, last_error) VALUES (?1, ?2, CASE WHEN ?5 THEN 0 ELSE ?2 END, ?3, "
        "?4, ?5, ?6) ON CONFLICT(source) DO UPDATE SET last_run = ?2, "
        "last_success = CASE WHEN ?5 THEN last_success ELSE ?2 END, pages = ?3, failures = ?4, "
        "consecutive_failures = CASE WHEN ?5 THEN consecutive_failures + 1 ELSE 0 END, "
        "last_error = ?6");
    q->bind(1, source);
    q->bind(2, static_cast<std::int64_t>(at));
    q->bind(3, pages);
    q->bind(4, failures);
    q->bind(5, all_failed ? 1 : 0);
    q->bind(6, last_error);
    q->exec();
  });
}

void Store::record_run(Timestamp started, Timestamp finished, const std::string& summary_json) {
  m_impl->guarded("recording the run", [&] {
    SQLite::Statement q(m_impl->db,
                        "INSERT INTO runs (started_at, finished_at, summary) VALUES (?, ?, ?)");
    q.bind(1, static_cast<std::int64_t>(started));
    q.bind(2, static_cast<std::int64_t>(finished));
    q.bind(3, summary_json);
    q.exec();
  });
}

}  // namespace billwatch::store
