#pragma once

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
};

// A 2xx answer with its body.
struct Fetched {
  int http_status = 200;
  std::string body;
  std::string content_type;
  std::string etag;
  std::string last_modified;
  std::string final_url;  // after redirects
};

// A 304 answer: the page is as it was.
struct NotModified {
  std::string final_url;
};

// Anything else. `transient` failures (timeouts, refused connections, 5xx, 429) may succeed
// on a later run; permanent ones (404, 410, oversized body) will not without a change.
struct FetchFailure {
  bool transient = false;
  int http_status = 0;  // 0 when no HTTP answer was received
  std::string message;  // a sentence for the operator; does not repeat the URL
};

using FetchOutcome = std::variant<Fetched, NotModified, FetchFailure>;

// Fetches pages. Implementations never throw for a failed fetch: every request gets an
// outcome, in the same order as the requests.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual std::vector<FetchOutcome> fetch_all(const std::vector<FetchRequest>& requests) = 0;
};

}  // namespace billwatch::crawler
