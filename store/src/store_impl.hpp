#pragma once

#include <SQLiteCpp/Database.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "billwatch/store/store.hpp"
#include "statements.hpp"

namespace billwatch::store {

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
