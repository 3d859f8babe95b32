#pragma once

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "billwatch/core/hash.hpp"
#include "loopback_http_server.hpp"

namespace billwatch::test {

// Files served on a LoopbackHttpServer under the paths a real site uses (govinfo's, an
// API's), changeable while the test runs. Each answer carries an ETag and honours
// If-None-Match with 304, as govinfo does; a path with no file is a 404. Every request is
// kept, so a test can check what was sent (an API key header, say).
class FixtureSite {
 public:
  struct Request {
    std::string target;   // path and query, parameters decoded and sorted by name
    std::string api_key;  // the X-Api-Key (or X-API-KEY: names are case-blind) header
  };

  explicit FixtureSite(LoopbackHttpServer& http) {
    http.server().Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(m_mutex);
      // httplib 0.11 gives the path and the decoded parameters, not the raw target.
      std::string target = req.path;
      if (!req.params.empty()) {
        target += "?" + join(std::multimap<std::string, std::string>(req.params.begin(),
                                                                     req.params.end()));
      }
      m_requests.push_back({target, req.get_header_value("X-Api-Key")});
      // A file put under "path?query" answers that exact request (API pages); one put
      // under the path alone answers any query.
      if (auto failing = m_failures.find(req.path);
          failing != m_failures.end() && failing->second.count > 0) {
        --failing->second.count;
        res.status = failing->second.status;
        if (!failing->second.retry_after.empty()) {
          res.set_header("Retry-After", failing->second.retry_after);
        }
        res.set_content("{\"detail\": \"failing on purpose\"}", "application/json");
        return;
      }
      auto it = m_files.find(target);
      if (it == m_files.end()) it = m_files.find(req.path);
      if (it == m_files.end()) {
        res.status = 404;
        res.set_content("not found", "text/plain");
        return;
      }
      const File& file = it->second;
      res.status = file.status;
      std::string etag = "\"" + sha256_hex(*file.body).substr(0, 16) + "\"";
      res.set_header("ETag", etag);
      if (file.status == 200 && req.get_header_value("If-None-Match") == etag) {
        res.status = 304;
        return;
      }
      // A content provider, because httplib would brotli-compress set_content() bodies at
      // great CPU cost to the test (BILLSTATUS files reach 4 MB).
      std::shared_ptr<const std::string> body = file.body;
      res.set_content_provider(
          body->size(), file.content_type,
          [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            return sink.write(body->data() + offset, length);
          });
    });
  }

  // `path` may end in "?query" (parameters in any order, not percent-encoded).
  void put(const std::string& path, std::string body, std::string content_type, int status = 200) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_files[canonical(path)] =
        File{std::make_shared<const std::string>(std::move(body)), std::move(content_type), status};
  }
  void remove(const std::string& path) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_files.erase(canonical(path));
  }
  // The next `count` requests for `path` (any query) answer `status`, with a Retry-After
  // header when one is given (a rate limit, a server error).
  void fail_next(const std::string& path, int count, int status, std::string retry_after = "") {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_failures[path] = Failing{count, status, std::move(retry_after)};
  }

  std::vector<Request> requests() {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_requests;
  }

 private:
  static std::string join(const std::multimap<std::string, std::string>& params) {
    std::string out;
    for (const auto& [key, value] : params) out += (out.empty() ? "" : "&") + key + "=" + value;
    return out;
  }
  // "path?b=2&a=1" -> "path?a=1&b=2", as requests are matched.
  static std::string canonical(const std::string& path) {
    auto question = path.find('?');
    if (question == std::string::npos) return path;
    std::multimap<std::string, std::string> params;
    std::string query = path.substr(question + 1);
    std::size_t start = 0;
    while (start < query.size()) {
      std::size_t end = std::min(query.find('&', start), query.size());
      std::string pair = query.substr(start, end - start);
      auto equals = pair.find('=');
      if (!pair.empty()) {
        params.emplace(pair.substr(0, equals),
                       equals == std::string::npos ? "" : pair.substr(equals + 1));
      }
      start = end + 1;
    }
    return path.substr(0, question) + "?" + join(params);
  }

  struct File {
    std::shared_ptr<const std::string> body;
    std::string content_type;
    int status = 200;
  };
  std::mutex m_mutex;
  struct Failing {
    int count = 0;
    int status = 500;
    std::string retry_after;
  };
  std::map<std::string, File> m_files;
  std::map<std::string, Failing> m_failures;
  std::vector<Request> m_requests;
};

}  // namespace billwatch::test
