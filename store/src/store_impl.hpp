#pragma once

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "billwatch/store/store.hpp"
#include "statements.hpp"

namespace billwatch::store {

namespace detail {

// One atomic group of writes: a transaction of its own, or a savepoint inside an open
// Store::Batch, so a bill's update is all-or-nothing either way. Rolled back unless
// commit() is called.
class WriteScope {
 public:
  explicit WriteScope(SQLite::Database& db) : m_db(db) {
    m_nested = sqlite3_get_autocommit(db.getHandle()) == 0;
    m_db.exec(m_nested ? "SAVEPOINT bill_update" : "BEGIN IMMEDIATE");
  }
  ~WriteScope() {
    if (m_done) return;
    try {
      m_db.exec(m_nested ? "ROLLBACK TO bill_update; RELEASE bill_update" : "ROLLBACK");
    } catch (...) {  // the connection reports the original error
    }
  }
  WriteScope(const WriteScope&) = delete;
  WriteScope& operator=(const WriteScope&) = delete;
  void commit() {
    m_db.exec(m_nested ? "RELEASE bill_update" : "COMMIT");
    m_done = true;
  }

 private:
  SQLite::Database& m_db;
  bool m_nested = false;
  bool m_done = false;
};

}  // namespace detail

struct Store::Impl {
  std::string path;
  SQLite::Database db;
  detail::StatementCache statements{db};

  Impl(std::string p, int flags) : path(std::move(p)), db(path, flags) {}

  void upsert_fetch_success(const std::string& url, const FetchSuccess& success, Timestamp at);

  // SQLite, JSON and text-store exceptions never leave the store: they become StoreErrors
  // that say which database and which operation failed.
  template <typename F>
  auto guarded(const char* what, F&& body) -> decltype(body()) {
    try {
      return body();
    } catch (const StoreError&) {
      throw;
    } catch (const SQLite::Exception& e) {
      throw StoreError(path + ": " + what + ": " + e.what() + " (SQLite code " +
                       std::to_string(e.getExtendedErrorCode()) + ")");
    } catch (const nlohmann::json::exception& e) {
      throw StoreError(path + ": " + what + ": malformed JSON in the database: " + e.what());
    } catch (const std::runtime_error& e) {
      throw StoreError(path + ": " + what + ": " + e.what());
    }
  }
};

}  // namespace billwatch::store
