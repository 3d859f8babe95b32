// What sources remember between runs: which govinfo files the Congress source has
// processed, at which sitemap lastmod, and which bills it follows; small per-source state;
// keyed API usage.
#include "billwatch/store/store.hpp"
#include "store_impl.hpp"

namespace billwatch::store {

using detail::Prepared;
using detail::WriteScope;

std::vector<SourceItem> Store::source_items(const std::string& source) const {
  return m_impl->guarded("reading the Congress file list", [&] {
    Prepared q = m_impl->statements.prepare(
        "SELECT url, bill_id, seen_lastmod, processed_lastmod, tracked FROM source_items "
        "WHERE source = ? ORDER BY url");
    q->bind(1, source);
    std::vector<SourceItem> out;
    while (q->executeStep()) {
      SourceItem file;
      file.url = q->getColumn(0).getString();
      file.bill_id = q->getColumn(1).getString();
      file.seen_lastmod = q->getColumn(2).getString();
      file.processed_lastmod = q->getColumn(3).getString();
      file.tracked = q->getColumn(4).getInt() != 0;
      out.push_back(std::move(file));
    }
    return out;
  });
}

void Store::note_source_items(const std::string& source, const std::vector<SourceItem>& files) {
  m_impl->guarded("recording a sitemap", [&] {
    WriteScope transaction(m_impl->db);
    Prepared q = m_impl->statements.prepare(
        "INSERT INTO source_items (source, url, bill_id, seen_lastmod) VALUES (?1, ?2, ?3, ?4) "
        "ON CONFLICT(source, url) DO UPDATE SET seen_lastmod = ?4 WHERE seen_lastmod <> ?4");
    for (const auto& file : files) {
      q->bind(1, source);
      q->bind(2, file.url);
      q->bind(3, file.bill_id);
      q->bind(4, file.seen_lastmod);
      q->exec();
      q->reset();
    }
    transaction.commit();
  });
}

void Store::mark_source_item_processed(const std::string& source, const SourceItem& file) {
  m_impl->guarded("recording a processed Congress file", [&] {
    Prepared q = m_impl->statements.prepare(
        "INSERT INTO source_items (source, url, bill_id, seen_lastmod, processed_lastmod, "
        "tracked) VALUES (?1, ?2, ?3, ?4, ?4, ?5) ON CONFLICT(source, url) DO UPDATE SET "
        "bill_id = ?3, seen_lastmod = ?4, processed_lastmod = ?4, tracked = ?5");
    q->bind(1, source);
    q->bind(2, file.url);
    q->bind(3, file.bill_id);
    q->bind(4, file.processed_lastmod);
    q->bind(5, file.tracked ? 1 : 0);
    q->exec();
  });
}

std::vector<std::string> Store::version_urls(const std::string& bill_id) const {
  return m_impl->guarded("listing a bill's version URLs", [&] {
    Prepared q = m_impl->statements.prepare("SELECT url FROM versions WHERE bill_id = ?");
    q->bind(1, bill_id);
    std::vector<std::string> out;
    while (q->executeStep()) out.push_back(q->getColumn(0).getString());
    return out;
  });
}

std::optional<std::string> Store::source_state(const std::string& source,
                                               const std::string& key) const {
  return m_impl->guarded("reading source state", [&]() -> std::optional<std::string> {
    Prepared q =
        m_impl->statements.prepare("SELECT value FROM source_state WHERE source = ? AND key = ?");
    q->bind(1, source);
    q->bind(2, key);
    if (!q->executeStep()) return std::nullopt;
    return q->getColumn(0).getString();
  });
}

void Store::set_source_state(const std::string& source, const std::string& key,
                             const std::string& value) {
  m_impl->guarded("recording source state", [&] {
    Prepared q = m_impl->statements.prepare(
        "INSERT INTO source_state (source, key, value) VALUES (?1, ?2, ?3) "
        "ON CONFLICT(source, key) DO UPDATE SET value = ?3");
    q->bind(1, source);
    q->bind(2, key);
    q->bind(3, value);
    q->exec();
  });
}

int Store::api_requests_in_hour(const std::string& service, Timestamp at) const {
  return m_impl->guarded("reading API usage", [&] {
    Prepared q =
        m_impl->statements.prepare("SELECT requests FROM api_usage WHERE service = ? AND hour = ?");
    q->bind(1, service);
    q->bind(2, static_cast<std::int64_t>(at / 3600));
    return q->executeStep() ? q->getColumn(0).getInt() : 0;
  });
}

int Store::api_requests_since(const std::string& service, Timestamp from) const {
  return m_impl->guarded("reading API usage", [&] {
    Prepared q = m_impl->statements.prepare(
        "SELECT COALESCE(SUM(requests), 0) FROM api_usage WHERE service = ? AND hour >= ?");
    q->bind(1, service);
    q->bind(2, static_cast<std::int64_t>(from / 3600));
    q->executeStep();
    return q->getColumn(0).getInt();
  });
}

void Store::count_api_request(const std::string& service, Timestamp at) {
  m_impl->guarded("counting an API request", [&] {
    Prepared q = m_impl->statements.prepare(
        "INSERT INTO api_usage (service, hour, requests) VALUES (?1, ?2, 1) "
        "ON CONFLICT(service, hour) DO UPDATE SET requests = requests + 1");
    q->bind(1, service);
    q->bind(2, static_cast<std::int64_t>(at / 3600));
    q->exec();
  });
}

}  // namespace billwatch::store
