// Store: opening and migrating the database, batches, per-source health and the runs table.
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
Store Store::open_read_only(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw StoreError(path +
                     ": no database here (`billwatch run` creates it; is [database] path "
                     "right?)");
  }
  try {
    auto impl = std::make_unique<Store::Impl>(path, SQLite::OPEN_READONLY);
    impl->db.setBusyTimeout(5000);
    impl->db.exec("PRAGMA query_only = ON");
    int version = impl->db.execAndGet("PRAGMA user_version").getInt();
    if (version != detail::newest_schema_version()) {
      throw StoreError(
          path + ": database schema version " + std::to_string(version) +
          ", this billwatch reads version " + std::to_string(detail::newest_schema_version()) +
          (version < detail::newest_schema_version() ? " (a `billwatch run` upgrades it)"
                                                     : " (upgrade billwatch)"));
    }
    return Store(std::move(impl));
  } catch (const SQLite::Exception& e) {
    throw StoreError(path + ": cannot open database: " + e.what());
  }
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

std::int64_t Store::record_version() const {
  return m_impl->guarded("reading the data version", [&] {
    // data_version moves when another connection commits, total_changes when this one
    // writes: their sum moves whenever the record does.
    return m_impl->db.execAndGet("PRAGMA data_version").getInt64() +
           static_cast<std::int64_t>(m_impl->db.getTotalChanges());
  });
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

RunHealth Store::health() const {
  return m_impl->guarded("reading source health", [&] {
    RunHealth health;
    health.last_run_finished =
        m_impl->db.execAndGet("SELECT COALESCE(MAX(finished_at), 0) FROM runs").getInt64();
    SQLite::Statement q(m_impl->db,
                        "SELECT source, last_run, last_success, pages, failures, "
                        "consecutive_failures, last_error FROM source_health ORDER BY source");
    while (q.executeStep()) {
      health.sources.push_back(SourceHealth{q.getColumn(0).getString(), q.getColumn(1).getInt64(),
                                            q.getColumn(2).getInt64(), q.getColumn(3).getInt(),
                                            q.getColumn(4).getInt(), q.getColumn(5).getInt(),
                                            q.getColumn(6).getString()});
    }
    return health;
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
