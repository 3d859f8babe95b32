#pragma once

#include <cstddef>
#include <string>

#include "billwatch/crawler/http_client.hpp"

namespace billwatch::crawler {

struct HttpOptions {
  std::string user_agent;
  int per_host_concurrency = 4;
  int max_connections = 16;
  long timeout_ms = 30000;
  long connect_timeout_ms = 10000;
  std::size_t max_body_bytes = 20u << 20;
  long max_redirects = 5;
};

// HttpClient over libcurl's multi interface: all requests in flight at once within the
// per-host and total connection limits, redirects followed (http and https only), gzip and
// deflate accepted, bodies over max_body_bytes refused even when sent chunked.
// Requires a live CurlGlobal. Not thread-safe: use one instance from one thread.
class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(HttpOptions options);
  std::vector<FetchOutcome> fetch_all(const std::vector<FetchRequest>& requests) override;

 private:
  HttpOptions m_options;
};

}  // namespace billwatch::crawler
