#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <variant>
#include <vector>

namespace billwatch::crawler {

// One page to fetch, with the validators stored from the last successful fetch (empty when
// none), so the server can answer 304 Not Modified.
struct FetchRequest {
  std::string url;
  std::string etag;
  std::string last_modified;
  // Extra request headers ("X-Api-Key: ..."): API keys travel here, never in URLs, so no
  // key ends up in a log line, an error message or the database. They are sent to the
  // request's own host only: a redirect to another host, or from https to http, drops them.
  std::vector<std::string> headers = {};
};

// A 2xx answer with its body.
struct Fetched {
  int http_status = 200;
  std::string body;  // decoded (gzip, deflate and br are undone by libcurl)
  std::string content_type;
  std::string etag;
  std::string last_modified;
  std::string final_url;     // after redirects
  std::string http_version;  // "1.1", "2" or "3": what the server and libcurl agreed on
};

// A 304 answer: the page is as it was.
struct NotModified {
  std::string final_url;
};

enum class FailureKind {
  Network,    // DNS, refused or reset connection, truncated body, broken compression
  Timeout,    // connect or total time limit
  Http,       // an HTTP error status
  TooLarge,   // body over the size cap
  Redirects,  // redirect loop or too many redirects
  Blocked,    // a block or challenge page (Cloudflare, CAPTCHA, WAF 403): never content
  Robots,     // robots.txt disallows the URL for our user agent
  BadUrl,     // not a URL we can fetch
  Refused,    // the outbound policy refuses the destination (an internal address)
};

// Anything else. `transient` failures (timeouts, refused connections, 5xx, 429) may succeed
// later; permanent ones (404, 410, oversized body, blocks) will not without a change.
struct FetchFailure {
  bool transient = false;
  int http_status = 0;  // 0 when no HTTP answer was received
  std::string message;  // a sentence for the operator; does not repeat the URL
  FailureKind kind = FailureKind::Network;
  int attempts = 1;  // requests made for this URL in this batch, retries included
};

using FetchOutcome = std::variant<Fetched, NotModified, FetchFailure>;

struct FetchStats {
  std::size_t requests = 0;          // HTTP requests sent, robots.txt and retries included
  std::size_t bytes_downloaded = 0;  // as received on the wire, headers included
  std::size_t connections = 0;       // new connections opened; fewer than requests = reuse
  int retries = 0;
  int robots_skipped = 0;
  int blocked = 0;
};

struct FetchResults {
  std::vector<FetchOutcome> outcomes;  // one per request, in request order
  FetchStats stats;
};

// Told about progress while a batch runs, from the thread that called fetch_all.
class FetchObserver {
 public:
  virtual ~FetchObserver() = default;
  // `done` of `total` URLs have their final outcome; `failed` of them failed.
  virtual void on_progress(std::size_t done, std::size_t total, std::size_t bytes,
                           std::size_t failed) = 0;
};

// Receives each request's final outcome as soon as it is known, from the thread that
// called fetch_each. `index` is the request's position.
using OutcomeHandler = std::function<void(std::size_t index, FetchOutcome&& outcome)>;

// Fetches pages. Implementations never throw for a failed fetch: every request gets an
// outcome. An exception thrown by the handler stops the batch and propagates.
class HttpClient {
 public:
  virtual ~HttpClient() = default;

  // Streams outcomes, so a caller can store each page and drop its body while others are
  // still downloading: memory stays bounded by what is in flight.
  virtual FetchStats fetch_each(const std::vector<FetchRequest>& requests,
                                const OutcomeHandler& handler,
                                FetchObserver* observer = nullptr) = 0;

  // All outcomes at once, in request order.
  FetchResults fetch_all(const std::vector<FetchRequest>& requests,
                         FetchObserver* observer = nullptr);
};

}  // namespace billwatch::crawler
