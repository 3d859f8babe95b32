#pragma once

namespace billwatch::crawler {

// Owns curl_global_init/curl_global_cleanup. Create one in main() before any thread starts
// and keep it alive while libcurl is used (HTTP and SMTP alike).
class CurlGlobal {
 public:
  CurlGlobal();
  ~CurlGlobal();
  CurlGlobal(const CurlGlobal&) = delete;
  CurlGlobal& operator=(const CurlGlobal&) = delete;
};

}  // namespace billwatch::crawler
