#pragma once
// A request as the site reads it and a response as it answers, without sockets: the site
// is a function from one to the other, tested without a server; server.hpp carries them
// over HTTP.
#include <string>
#include <utility>
#include <vector>

namespace billwatch::web {

struct Request {
  std::string method;  // "GET", "HEAD", ...
  std::string target;  // "/bills?jurisdiction=WA&page=2", as sent
  std::string if_none_match;
  std::string if_modified_since;
  std::string request_id;       // for error pages and log lines
  std::string body = {};        // a POST's form (at most the server's body limit)
  std::string origin = {};      // the Origin header: forms refuse another site's
  std::string fetch_site = {};  // Sec-Fetch-Site: "same-origin", "cross-site", ...
  std::string client = {};      // the client's address, for per-client limits
};

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // besides the security headers
};

}  // namespace billwatch::web
