#pragma once

#include <optional>
#include <string>

#include "source_run.hpp"

namespace billwatch::app {

// A keyed JSON API (api.congress.gov, api.govinfo.gov) used within its hourly request
// limit, counted in the database across runs. The key travels in the X-Api-Key header,
// never in a URL, so it is in no log line, error or stored URL.
class KeyedApi {
 public:
  // `key_env` names the environment variable holding the key; without a key the API is
  // off. A key with characters no api.data.gov key has is reported and not used.
  KeyedApi(std::string service, std::string base_url, const std::string& key_env, int per_hour,
           std::string source, SourceRun& run);

  bool on() const { return !m_key.empty() && !m_spent; }
  const std::string& service() const { return m_service; }

  // GET base_url + path: the body, or nullopt after reporting why (an error line naming
  // the URL, or once a warning that the hour's budget is spent).
  std::optional<std::string> get(const std::string& path);

  // A `next` link as the API gives it, as a path under base_url; nullopt when it points
  // elsewhere (it is never followed to another host).
  std::optional<std::string> path_of(const std::string& next_url) const;

 private:
  std::string m_service;
  std::string m_base;
  std::string m_key;
  int m_per_hour;
  std::string m_source;
  SourceRun& m_run;
  bool m_spent = false;
};

}  // namespace billwatch::app
