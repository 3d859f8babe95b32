#include "common/keyed_api.hpp"

#include <cstdlib>
#include <ctime>

namespace billwatch::sources {

namespace {

// "https://host:8080/v3/bill?x=1" -> "/v3/bill?x=1"; "" when there is no path.
std::string path_and_query(const std::string& url) {
  auto scheme = url.find("://");
  auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return slash == std::string::npos ? std::string() : url.substr(slash);
}

std::string host_of(const std::string& url) {
  auto scheme = url.find("://");
  std::size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  return url.substr(start, url.find('/', start) - start);
}

}  // namespace

KeyedApi::KeyedApi(std::string service, std::string base_url, const std::string& key_env,
                   ApiBudget budget, std::string source, SourceRun& run, KeyPlacement placement)
    : m_service(std::move(service)),
      m_base(std::move(base_url)),
      m_budget(budget),
      m_placement(std::move(placement)),
      m_source(std::move(source)),
      m_run(run) {
  while (!m_base.empty() && m_base.back() == '/') m_base.pop_back();
  const char* key = key_env.empty() ? nullptr : std::getenv(key_env.c_str());
  if (!key || !*key) return;
  std::string value(key);
  for (char c : value) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) {
      // Also keeps CR/LF out of the request headers.
      m_run.error(m_source, m_base,
                  m_service + ": the key in $" + key_env +
                      " has characters API keys never have; the API is not used");
      return;
    }
  }
  m_key = std::move(value);
}

bool KeyedApi::within_budget() {
  SourceDeps& deps = m_run.deps();
  Timestamp now = deps.clock.now();
  auto spent = [&](int used, int limit, const std::string& per) {
    m_spent = true;
    m_run.warning(m_source, m_base,
                  m_service + ": " + std::to_string(used) + " requests this " + per +
                      " reach the key's limit of " + std::to_string(limit) +
                      "; the rest waits for the next run");
    return false;
  };
  if (m_budget.per_hour > 0) {
    int used = deps.store.api_requests_in_hour(m_service, now);
    if (used >= m_budget.per_hour) return spent(used, m_budget.per_hour, "hour");
  }
  std::time_t seconds = static_cast<std::time_t>(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  if (m_budget.per_day > 0) {
    Timestamp day_start = now - (utc.tm_hour * 3600 + utc.tm_min * 60 + utc.tm_sec);
    int used = deps.store.api_requests_since(m_service, day_start);
    if (used >= m_budget.per_day) return spent(used, m_budget.per_day, "day");
  }
  if (m_budget.per_month > 0) {
    Timestamp month_start =
        now - ((utc.tm_mday - 1) * 86400 + utc.tm_hour * 3600 + utc.tm_min * 60 + utc.tm_sec);
    int used = deps.store.api_requests_since(m_service, month_start);
    if (used >= m_budget.per_month) return spent(used, m_budget.per_month, "month");
    // This request included, is 80% of the month's budget used?
    if (!m_warned_80 &&
        (static_cast<long long>(used) + 1) * 5 >= static_cast<long long>(m_budget.per_month) * 4) {
      m_warned_80 = true;
      m_run.warning(m_source, m_base,
                    m_service + ": " + std::to_string(used + 1) + " of the month's " +
                        std::to_string(m_budget.per_month) + " requests are used (80%)");
    }
  }
  if (m_budget.per_minute > 0 && m_last_request) {
    // Paced, not refused: a daily job can wait a few seconds between requests.
    std::int64_t gap_ms = 60000 / m_budget.per_minute;
    m_run.deps().clock.sleep_ms(*m_last_request + gap_ms - m_run.deps().clock.monotonic_ms());
  }
  return true;
}

std::optional<std::string> KeyedApi::get(const std::string& path) {
  if (!on()) return std::nullopt;
  if (!within_budget()) return std::nullopt;
  SourceDeps& deps = m_run.deps();
  Timestamp now = deps.clock.now();
  m_last_request = m_run.deps().clock.monotonic_ms();
  deps.store.count_api_request(m_service, now);
  std::string url = m_base + path;  // as printed and stored: never with the key
  crawler::FetchRequest request{url, "", "", {"Accept: application/json"}};
  if (m_placement.in == KeyPlacement::In::Header) {
    request.headers.push_back(m_placement.name + ": " + m_key);
  } else {
    request.url +=
        (url.find('?') == std::string::npos ? "?" : "&") + m_placement.name + "=" + m_key;
  }
  crawler::FetchResults results = deps.http.fetch_all({request});
  m_run.add_stats(results.stats);
  m_run.count_page(m_source);
  auto& outcome = results.outcomes.at(0);
  if (auto* failure = std::get_if<crawler::FetchFailure>(&outcome)) {
    std::string why = failure->message;
    if (failure->http_status == 401 || failure->http_status == 403) {
      // Every further request would be refused the same way.
      why += " (is the key valid?); not used again in this run";
      m_spent = true;
    }
    m_run.error(m_source, url, m_service + ": " + why);
    return std::nullopt;
  }
  auto* fetched = std::get_if<crawler::Fetched>(&outcome);
  if (!fetched) {
    m_run.error(m_source, url, m_service + ": unexpected 304 Not Modified");
    return std::nullopt;
  }
  ++m_run.summary().fetched;
  return std::move(fetched->body);
}

std::optional<std::string> KeyedApi::path_of(const std::string& next_url) const {
  std::string base_path = path_and_query(m_base);
  std::string path = path_and_query(next_url);
  // The real host in a next link is the API's own; anything else is refused.
  std::string host = host_of(next_url);
  bool same_api =
      host == host_of(m_base) || host == "api.congress.gov" || host == "api.govinfo.gov";
  if (!same_api || path.rfind(base_path, 0) != 0) return std::nullopt;
  return path.substr(base_path.size());
}

std::optional<bool> KeyedApi::next_page(const std::string& next_url, std::string& path) {
  if (next_url.empty()) return false;
  auto next = path_of(next_url);
  if (!next) {
    m_run.error(m_source, next_url,
                m_service + ": the next page points outside " + m_base + "; not followed");
    return std::nullopt;
  }
  // Real next links are not always valid URLs: api.congress.gov echoes the sort it was
  // given as "sort=updateDate desc", with a space, which curl would refuse.
  path.clear();
  static const char* k_hex = "0123456789ABCDEF";
  for (char c : *next) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '"' || c == '<' || c == '>') {
      path += '%';
      path += k_hex[u >> 4];
      path += k_hex[u & 15];
    } else {
      path += c;
    }
  }
  return true;
}

}  // namespace billwatch::sources
