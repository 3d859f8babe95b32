#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "billwatch/sources/source_run.hpp"

namespace billwatch::sources {

// How many requests a key allows; 0 means no limit of that kind. Counted in the database
// (api_usage) across runs, except per_minute, which paces the requests of one run.
struct ApiBudget {
  int per_minute = 0;
  int per_hour = 0;
  int per_day = 0;    // UTC day
  int per_month = 0;  // UTC calendar month (LegiScan's quota resets on the 1st)
};

// Where the key goes. Headers when the service accepts them: a key in a header is in no
// URL, so in no log line, error or stored URL. LegiScan only takes it in the query; then
// it is added to the request alone and every URL billwatch prints or stores is the one
// without it.
struct KeyPlacement {
  enum class In { Header, Query } in = In::Header;
  std::string name = "X-Api-Key";  // header name, or query parameter name
};

// A keyed API used within its limits.
class KeyedApi {
 public:
  // `key_env` names the environment variable holding the key; without a key the API is
  // off. A key with characters API keys never have is reported and not used.
  KeyedApi(std::string service, std::string base_url, const std::string& key_env, ApiBudget budget,
           std::string source, SourceRun& run, KeyPlacement placement = {});

  bool has_key() const { return !m_key.empty(); }
  bool on() const { return !m_key.empty() && !m_spent; }
  const std::string& service() const { return m_service; }
  const std::string& base_url() const { return m_base; }

  // GET base_url + path: the body, or nullopt after reporting why (an error line naming
  // the URL, or once a warning that a budget is spent). A 401 or 403 turns the API off for
  // the rest of the run.
  std::optional<std::string> get(const std::string& path);

  // A `next` link as the API gives it, as a path under base_url; nullopt when it points
  // elsewhere (it is never followed to another host).
  std::optional<std::string> path_of(const std::string& next_url) const;

  // Paging by `next` links, for read_pages: false when `next_url` is "" (the last page);
  // true with `path` set to the next page; nullopt after reporting a link that points
  // elsewhere.
  std::optional<bool> next_page(const std::string& next_url, std::string& path);

 private:
  bool within_budget();

  std::string m_service;
  std::string m_base;
  std::string m_key;
  ApiBudget m_budget;
  KeyPlacement m_placement;
  std::string m_source;
  SourceRun& m_run;
  bool m_spent = false;
  bool m_warned_80 = false;
  std::optional<std::int64_t> m_last_request;  // the clock's monotonic_ms() of the last request
};

}  // namespace billwatch::sources
