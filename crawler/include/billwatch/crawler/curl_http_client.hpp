#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "billwatch/crawler/http_client.hpp"
#include "billwatch/crawler/outbound_policy.hpp"

namespace billwatch::crawler {

// Politeness towards one host, overriding the defaults in HttpOptions.
struct HostPolicy {
  int min_delay_ms = -1;          // -1: HttpOptions::min_delay_ms
  int per_host_concurrency = -1;  // -1: HttpOptions::per_host_concurrency
};

struct HttpOptions {
  std::string user_agent;
  int per_host_concurrency = 4;
  int max_connections = 16;
  int min_delay_ms = 0;                     // between the starts of two requests to one host
  std::map<std::string, HostPolicy> hosts;  // keyed by host name ("app.leg.wa.gov")
  bool respect_robots = true;
  int max_crawl_delay_s = 60;  // a larger robots.txt Crawl-delay is capped to this
  long timeout_ms = 30000;
  long connect_timeout_ms = 10000;
  std::size_t max_body_bytes = 20u << 20;
  long max_redirects = 5;
  int max_retries = 2;            // for transient failures
  long retry_base_ms = 1000;      // first backoff; doubles per retry, ±25% jitter
  long retry_cap_ms = 60000;      // longest backoff
  int max_retry_after_s = 120;    // a longer Retry-After is not waited for in this run
  std::uint64_t jitter_seed = 0;  // 0: random
  std::string ca_file;            // extra PEM CA bundle to trust; empty: the system's
  OutboundPolicy outbound;        // which destinations may be reached (deny by default)
};

// HttpClient over libcurl's multi interface, driven by curl_multi_poll from the calling
// thread. Many transfers are in flight at once within a global and a per-host limit, with
// a minimum delay between requests to one host (or the host's robots.txt Crawl-delay);
// robots.txt is fetched once per host and batch and obeyed; connections are reused;
// transient failures are retried with exponential backoff and jitter, honouring
// Retry-After; bodies over max_body_bytes are refused even when chunked or compressed;
// block and challenge pages are failures of kind Blocked.
// Requires a live CurlGlobal. Not thread-safe: use one instance from one thread.
class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(HttpOptions options);
  FetchStats fetch_each(const std::vector<FetchRequest>& requests, const OutcomeHandler& handler,
                        FetchObserver* observer = nullptr) override;

  // What a host's robots.txt said, kept for the client's lifetime (one run), so the
  // batches of a run (sitemaps, status files, texts, API pages) read it once per host.
  struct RobotsMemo {
    std::string body;  // empty: the host has none (4xx), everything is allowed
  };

 private:
  HttpOptions m_options;
  std::map<std::string, RobotsMemo> m_robots;  // by origin
};

}  // namespace billwatch::crawler
