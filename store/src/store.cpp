#include "billwatch/store/store.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "schema.hpp"

namespace billwatch::store {

using nlohmann::json;

// A statement from the connection's cache, reset when the handle goes out of scope: a
// SELECT left mid-result would hold its read transaction open.
class Prepared {
 public:
  explicit Prepared(SQLite::Statement& statement) : m_statement(statement) {}
  ~Prepared() { m_statement.tryReset(); }
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
  SQLite::Statement* operator->() { return &m_statement; }
  SQLite::Statement& operator*() { return m_statement; }

 private:
  SQLite::Statement& m_statement;
};

struct Store::Impl {
  std::string path;
  SQLite::Database db;
  // The statements a run executes once per page, prepared once per connection: parsing
  // the SQL cost more than running it.
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements;

  Impl(std::string p, int flags) : path(std::move(p)), db(path, flags) {}

  void upsert_fetch_success(const std::string& url, const FetchSuccess& success, Timestamp at);

  Prepared prepare(const std::string& sql) {
    auto& statement = statements[sql];
    if (!statement) statement = std::make_unique<SQLite::Statement>(db, sql);
    return Prepared(*statement);
  }

  // SQLite exceptions never leave the store: they become StoreErrors that say which
  // database and which operation failed.
  template <typename F>
  auto guarded(const char* what, F&& body) -> decltype(body()) {
    try {
      return body();
    } catch (const SQLite::Exception& e) {
      throw StoreError(path + ": " + what + ": " + e.what() + " (SQLite code " +
                       std::to_string(e.getExtendedErrorCode()) + ")");
    } catch (const nlohmann::json::exception& e) {
      throw StoreError(path + ": " + what + ": malformed JSON in the database: " + e.what());
    }
  }
};

std::unique_ptr<Store::Impl> Store::open_impl(const std::string& path) {
  try {
    auto impl = std::make_unique<Store::Impl>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
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

json summary_to_json(const ChangeSummary& s) {
  return json{{"old_chars", s.old_chars},
              {"new_chars", s.new_chars},
              {"paragraphs_added", s.paragraphs_added},
              {"paragraphs_removed", s.paragraphs_removed},
              {"added_samples", s.added_samples},
              {"removed_samples", s.removed_samples}};
}

ChangeSummary summary_from_json(const json& j) {
  ChangeSummary s;
  s.old_chars = j.value("old_chars", std::size_t{0});
  s.new_chars = j.value("new_chars", std::size_t{0});
  s.paragraphs_added = j.value("paragraphs_added", std::size_t{0});
  s.paragraphs_removed = j.value("paragraphs_removed", std::size_t{0});
  s.added_samples = j.value("added_samples", std::vector<std::string>{});
  s.removed_samples = j.value("removed_samples", std::vector<std::string>{});
  return s;
}

Relevance relevance_from(const SQLite::Statement& q, int relevant, int score, int cues) {
  Relevance r;
  r.relevant = q.getColumn(relevant).getInt() != 0;
  r.score = q.getColumn(score).getDouble();
  r.cues = json::parse(q.getColumn(cues).getString()).get<std::vector<std::string>>();
  return r;
}

// The columns every query of a version's provenance selects, in provenance_from's order.
constexpr const char* k_provenance_columns =
    "url, final_url, fetched_at, http_status, etag, last_modified, raw_hash";

Provenance provenance_from(const SQLite::Statement& q, int first) {
  return Provenance{q.getColumn(first).getString(),     q.getColumn(first + 1).getString(),
                    q.getColumn(first + 2).getInt64(),  q.getColumn(first + 3).getInt(),
                    q.getColumn(first + 4).getString(), q.getColumn(first + 5).getString(),
                    q.getColumn(first + 6).getString()};
}

std::vector<std::string> jurisdictions_of(SQLite::Database& db, std::int64_t subscriber_id) {
  SQLite::Statement q(db,
                      "SELECT jurisdiction FROM subscription_jurisdictions WHERE subscriber_id = ? "
                      "ORDER BY jurisdiction");
  q.bind(1, subscriber_id);
  std::vector<std::string> out;
  while (q.executeStep()) out.push_back(q.getColumn(0).getString());
  return out;
}

constexpr const char* k_bill_columns =
    "b.id, b.jurisdiction, b.title, b.source, b.url, b.first_seen, b.last_changed, "
    "(SELECT COUNT(*) FROM versions v WHERE v.bill_id = b.id), "
    "(SELECT v.relevant FROM versions v WHERE v.bill_id = b.id ORDER BY v.id DESC LIMIT 1)";

BillRow bill_row_from(const SQLite::Statement& q) {
  BillRow row;
  row.bill =
      Bill{q.getColumn(0).getString(), q.getColumn(1).getString(), q.getColumn(2).getString(),
           q.getColumn(3).getString(), q.getColumn(4).getString()};
  row.first_seen = q.getColumn(5).getInt64();
  row.last_changed = q.getColumn(6).getInt64();
  row.versions = q.getColumn(7).getInt();
  row.relevant = q.getColumn(8).getInt() != 0;
  return row;
}

}  // namespace

Store::Store(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::open(const std::string& path) {
  return Store(open_impl(path));
}
Store Store::open_in_memory() {
  return Store(open_impl(":memory:"));
}

const std::string& Store::path() const {
  return m_impl->path;
}

int Store::schema_version() const {
  return m_impl->guarded("reading schema version",
                         [&] { return m_impl->db.execAndGet("PRAGMA user_version").getInt(); });
}

std::optional<FetchState> Store::fetch_state(const std::string& url) const {
  return m_impl->guarded("reading fetch state", [&]() -> std::optional<FetchState> {
    Prepared q = m_impl->prepare(
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
  Prepared q = prepare(
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
    SQLite::Transaction transaction(m_impl->db, SQLite::TransactionBehavior::IMMEDIATE);
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
    Prepared q = m_impl->prepare(
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
    Prepared q = m_impl->prepare(
        "SELECT content_hash FROM versions WHERE bill_id = ? "
        "ORDER BY id DESC LIMIT 1");
    q->bind(1, bill_id);
    if (!q->executeStep()) return std::nullopt;
    return q->getColumn(0).getString();
  });
}

std::optional<Version> Store::latest_version(const std::string& bill_id) const {
  return m_impl->guarded("reading latest version", [&]() -> std::optional<Version> {
    Prepared q = m_impl->prepare(
        std::string("SELECT id, content_hash, text, relevant, relevance_score, "
                    "relevance_cues, ") +
        k_provenance_columns + " FROM versions WHERE bill_id = ? ORDER BY id DESC LIMIT 1");
    q->bind(1, bill_id);
    if (!q->executeStep()) return std::nullopt;
    Version v;
    v.id = q->getColumn(0).getInt64();
    v.bill_id = bill_id;
    v.content_hash = q->getColumn(1).getString();
    v.text = q->getColumn(2).getString();
    v.relevance = relevance_from(*q, 3, 4, 5);
    v.provenance = provenance_from(*q, 6);
    return v;
  });
}

SavedVersion Store::save_version(const NewVersion& version, Timestamp at) {
  return m_impl->guarded("saving a version", [&] {
    auto& db = m_impl->db;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    const Bill& bill = version.bill;

    Prepared exists = m_impl->prepare("SELECT 1 FROM bills WHERE id = ?");
    exists->bind(1, bill.id);
    bool is_new = !exists->executeStep();

    Prepared upsert = m_impl->prepare(
        "INSERT INTO bills (id, jurisdiction, title, source, url, "
        "first_seen, last_changed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) "
        "ON CONFLICT(id) DO UPDATE SET jurisdiction = ?2, title = ?3, "
        "source = ?4, url = ?5, last_changed = ?6");
    upsert->bind(1, bill.id);
    upsert->bind(2, bill.jurisdiction);
    upsert->bind(3, bill.title);
    upsert->bind(4, bill.source);
    upsert->bind(5, bill.url);
    upsert->bind(6, static_cast<std::int64_t>(at));
    upsert->exec();

    const Provenance& p = version.provenance;
    Prepared insert = m_impl->prepare(
        "INSERT INTO versions (bill_id, content_hash, text, relevant, "
        "relevance_score, relevance_cues, url, final_url, fetched_at, "
        "http_status, etag, last_modified, raw_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert->bind(1, bill.id);
    insert->bind(2, version.content_hash);
    insert->bind(3, version.text);
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
    insert->exec();
    SavedVersion saved;
    saved.version_id = db.getLastInsertRowid();
    saved.kind = is_new ? EventKind::NewBill : EventKind::ContentChanged;

    json payload{{"title", bill.title},
                 {"url", bill.url},
                 {"relevant", version.relevance.relevant},
                 {"cues", version.relevance.cues}};
    if (!is_new && version.change) payload["change"] = summary_to_json(*version.change);
    Prepared event = m_impl->prepare(
        "INSERT INTO events (kind, bill_id, version_id, payload, created_at) "
        "VALUES (?, ?, ?, ?, ?)");
    event->bind(1, to_string(saved.kind));
    event->bind(2, bill.id);
    event->bind(3, saved.version_id);
    event->bind(4, payload.dump());
    event->bind(5, static_cast<std::int64_t>(at));
    event->exec();
    saved.event_id = db.getLastInsertRowid();

    m_impl->upsert_fetch_success(
        p.url, FetchSuccess{p.http_status, p.etag, p.last_modified, p.raw_hash, "stored"}, at);
    transaction.commit();
    return saved;
  });
}

bool Store::subscribe(const std::string& email, const std::vector<std::string>& jurisdictions,
                      Timestamp at) {
  return m_impl->guarded("subscribing", [&] {
    auto& db = m_impl->db;
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement find(db, "SELECT id FROM subscribers WHERE email = ?");
    find.bind(1, email);
    bool is_new = !find.executeStep();
    std::int64_t id;
    if (is_new) {
      SQLite::Statement insert(db,
                               "INSERT INTO subscribers (email, created_at, first_event_id) "
                               "VALUES (?, ?, (SELECT COALESCE(MAX(id), 0) FROM events))");
      insert.bind(1, email);
      insert.bind(2, static_cast<std::int64_t>(at));
      insert.exec();
      id = db.getLastInsertRowid();
    } else {
      id = find.getColumn(0).getInt64();
      SQLite::Statement clear(db, "DELETE FROM subscription_jurisdictions WHERE subscriber_id = ?");
      clear.bind(1, id);
      clear.exec();
    }
    for (const auto& jurisdiction : jurisdictions) {
      SQLite::Statement add(db,
                            "INSERT OR IGNORE INTO subscription_jurisdictions "
                            "(subscriber_id, jurisdiction) VALUES (?, ?)");
      add.bind(1, id);
      add.bind(2, jurisdiction);
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

std::vector<Subscriber> Store::subscribers() const {
  return m_impl->guarded("listing subscribers", [&] {
    SQLite::Statement q(m_impl->db, "SELECT id, email, created_at FROM subscribers ORDER BY email");
    std::vector<Subscriber> out;
    while (q.executeStep()) {
      Subscriber s;
      s.id = q.getColumn(0).getInt64();
      s.email = q.getColumn(1).getString();
      s.created_at = q.getColumn(2).getInt64();
      out.push_back(std::move(s));
    }
    for (auto& s : out) s.jurisdictions = jurisdictions_of(m_impl->db, s.id);
    return out;
  });
}

std::vector<PendingDelivery> Store::pending_deliveries(int max_attempts) const {
  return m_impl->guarded("listing pending deliveries", [&] {
    SQLite::Statement q(m_impl->db, R"sql(
SELECT s.id, s.email, s.created_at, e.id, e.kind, e.created_at, e.version_id, e.payload,
       b.id, b.jurisdiction, b.title, b.source, b.url, COALESCE(d.attempts, 0)
FROM events e
JOIN bills b ON b.id = e.bill_id
JOIN subscribers s ON e.id > s.first_event_id
LEFT JOIN deliveries d ON d.subscriber_id = s.id AND d.event_id = e.id
WHERE (d.status IS NULL OR d.status = 'sending'
       OR (d.status = 'failed' AND d.attempts < ?1))
  AND (NOT EXISTS (SELECT 1 FROM subscription_jurisdictions j WHERE j.subscriber_id = s.id)
       OR EXISTS (SELECT 1 FROM subscription_jurisdictions j
                  WHERE j.subscriber_id = s.id AND j.jurisdiction = b.jurisdiction))
ORDER BY e.id, s.id
)sql");
    q.bind(1, max_attempts);
    std::vector<PendingDelivery> out;
    while (q.executeStep()) {
      PendingDelivery d;
      d.subscriber.id = q.getColumn(0).getInt64();
      d.subscriber.email = q.getColumn(1).getString();
      d.subscriber.created_at = q.getColumn(2).getInt64();
      d.event.id = q.getColumn(3).getInt64();
      d.event.kind = parse_event_kind(q.getColumn(4).getString());
      d.event.created_at = q.getColumn(5).getInt64();
      d.event.version_id = q.getColumn(6).getInt64();
      json payload = json::parse(q.getColumn(7).getString());
      d.event.bill =
          Bill{q.getColumn(8).getString(), q.getColumn(9).getString(), q.getColumn(10).getString(),
               q.getColumn(11).getString(), q.getColumn(12).getString()};
      d.event.relevant = payload.value("relevant", false);
      if (payload.contains("change")) d.event.change = summary_from_json(payload["change"]);
      d.attempts = q.getColumn(13).getInt();
      out.push_back(std::move(d));
    }
    for (auto& d : out) d.subscriber.jurisdictions = jurisdictions_of(m_impl->db, d.subscriber.id);
    return out;
  });
}

namespace {
void write_delivery(SQLite::Database& db, std::int64_t subscriber_id, std::int64_t event_id,
                    const char* status, bool count_attempt, const std::string& error,
                    Timestamp at) {
  SQLite::Statement q(db,
                      "INSERT INTO deliveries (subscriber_id, event_id, status, attempts, "
                      "last_error, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                      "ON CONFLICT(subscriber_id, event_id) DO UPDATE SET status = ?3, "
                      "attempts = attempts + ?4, last_error = ?5, updated_at = ?6");
  q.bind(1, subscriber_id);
  q.bind(2, event_id);
  q.bind(3, status);
  q.bind(4, count_attempt ? 1 : 0);
  q.bind(5, error);
  q.bind(6, static_cast<std::int64_t>(at));
  q.exec();
}
}  // namespace

void Store::mark_sending(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at) {
  m_impl->guarded("recording a delivery attempt", [&] {
    write_delivery(m_impl->db, subscriber_id, event_id, "sending", true, "", at);
  });
}

void Store::mark_sent(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at) {
  m_impl->guarded("recording a sent delivery", [&] {
    write_delivery(m_impl->db, subscriber_id, event_id, "sent", false, "", at);
  });
}

void Store::mark_failed(std::int64_t subscriber_id, std::int64_t event_id, const std::string& error,
                        Timestamp at) {
  m_impl->guarded("recording a failed delivery", [&] {
    write_delivery(m_impl->db, subscriber_id, event_id, "failed", false, error, at);
  });
}

std::vector<BillRow> Store::bills() const {
  return m_impl->guarded("listing bills", [&] {
    SQLite::Statement q(m_impl->db, std::string("SELECT ") + k_bill_columns +
                                        " FROM bills b ORDER BY b.jurisdiction, b.id");
    std::vector<BillRow> out;
    while (q.executeStep()) out.push_back(bill_row_from(q));
    return out;
  });
}

std::optional<BillHistory> Store::history(const std::string& bill_id) const {
  return m_impl->guarded("reading bill history", [&]() -> std::optional<BillHistory> {
    auto& db = m_impl->db;
    SQLite::Statement bill(
        db, std::string("SELECT ") + k_bill_columns + " FROM bills b WHERE b.id = ?");
    bill.bind(1, bill_id);
    if (!bill.executeStep()) return std::nullopt;
    BillHistory history;
    history.bill = bill_row_from(bill);

    SQLite::Statement versions(db, std::string("SELECT id, content_hash, length(text), relevant, "
                                               "relevance_score, relevance_cues, ") +
                                       k_provenance_columns +
                                       " FROM versions "
                                       "WHERE bill_id = ? ORDER BY id");
    versions.bind(1, bill_id);
    while (versions.executeStep()) {
      VersionRow row;
      row.id = versions.getColumn(0).getInt64();
      row.content_hash = versions.getColumn(1).getString();
      row.chars = static_cast<std::size_t>(versions.getColumn(2).getInt64());
      row.relevance = relevance_from(versions, 3, 4, 5);
      row.provenance = provenance_from(versions, 6);
      history.versions.push_back(std::move(row));
    }

    SQLite::Statement events(db,
                             "SELECT id, kind, COALESCE(version_id, 0), created_at, payload "
                             "FROM events WHERE bill_id = ? ORDER BY id");
    events.bind(1, bill_id);
    while (events.executeStep()) {
      history.events.push_back(EventRow{
          events.getColumn(0).getInt64(), parse_event_kind(events.getColumn(1).getString()),
          events.getColumn(2).getInt64(), events.getColumn(3).getInt64(),
          events.getColumn(4).getString()});
    }
    return history;
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
