#pragma once

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>
#include <unordered_map>

namespace billwatch::store::detail {

// A statement from a StatementCache, reset when the handle goes out of scope: a SELECT left
// mid-result would hold its read transaction open.
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

// Statements prepared once per connection: for the small statements a run executes once
// per page, parsing the SQL costs more than running it.
class StatementCache {
 public:
  explicit StatementCache(SQLite::Database& db) : m_db(db) {}
  Prepared prepare(const std::string& sql) {
    auto& statement = m_statements[sql];
    if (!statement) statement = std::make_unique<SQLite::Statement>(m_db, sql);
    return Prepared(*statement);
  }
  SQLite::Database& db() { return m_db; }

 private:
  SQLite::Database& m_db;
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> m_statements;
};

}  // namespace billwatch::store::detail
