// FetchLog: what is known about each URL between runs.
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
#include "rows.hpp"
#include "schema.hpp"
#include "store_impl.hpp"
#include "texts.hpp"

namespace billwatch::store {

using detail::Prepared;
using detail::WriteScope;
using nlohmann::json;
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
                                 const std::string& message, FetchFailureKind outcome,
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
    q->bind(5, std::string(to_string(outcome)));
    q->exec();
  });
}

}  // namespace billwatch::store
