#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "billwatch/core/hash.hpp"
#include "loopback_http_server.hpp"

namespace billwatch::test {

// Files served on a LoopbackHttpServer under the paths a real site uses (govinfo's, an
// API's), changeable while the test runs. Each answer carries an ETag and honours
// If-None-Match with 304, as govinfo does; a path with no file is a 404.
class FixtureSite {
 public:
  explicit FixtureSite(LoopbackHttpServer& http) {
    http.server().Get(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(m_mutex);
      auto it = m_files.find(req.path);
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

  void put(const std::string& path, std::string body, std::string content_type, int status = 200) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_files[path] =
        File{std::make_shared<const std::string>(std::move(body)), std::move(content_type), status};
  }
  void remove(const std::string& path) {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_files.erase(path);
  }

 private:
  struct File {
    std::shared_ptr<const std::string> body;
    std::string content_type;
    int status = 200;
  };
  std::mutex m_mutex;
  std::map<std::string, File> m_files;
};

}  // namespace billwatch::test
