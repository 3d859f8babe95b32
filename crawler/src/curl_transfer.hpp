#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

#include "billwatch/crawler/curl_http_client.hpp"

namespace billwatch::crawler::detail {

struct CurlEasyDeleter {
  void operator()(CURL* p) const noexcept { curl_easy_cleanup(p); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* p) const noexcept { curl_slist_free_all(p); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

// One HTTP transfer: the easy handle, what it collects, and how it ended. Lives at a
// stable address (held by unique_ptr) because libcurl keeps pointers to it.
struct Transfer {
  std::size_t item = 0;  // index of the request it serves
  CurlEasy easy;
  CurlSlist headers;
  std::string body;
  std::string content_type, etag, last_modified, server, cf_mitigated, retry_after;
  std::size_t max_body = 0;
  bool too_large = false;
  CURLcode result = CURLE_OK;
  char error[CURL_ERROR_SIZE] = {};
  // The outbound policy, checked when libcurl opens a connection for this URL's host.
  const OutboundPolicy* policy = nullptr;
  std::string host;
  bool refused = false;  // the policy refused every address the host resolved to
};

// Prepares a GET of the request's URL with the options' limits (redirects are not
// followed: the engine follows them itself, hop by hop, with robots.txt and the policy
// for each new host and the request's headers dropped when the host changes); its
// etag/last_modified
// become conditional request headers when not empty, and its extra headers are sent as
// they are. Throws std::runtime_error if libcurl refuses an option (a programming or
// installation error, not a network one).
std::unique_ptr<Transfer> make_transfer(const FetchRequest& request, const HttpOptions& options);

// The outcome of a finished transfer (before retries and block detection are considered).
// Moves the body out of the transfer.
FetchOutcome outcome_of(Transfer& transfer, const HttpOptions& options);

// Bytes received for a finished transfer: headers and body as on the wire.
std::size_t bytes_received(const Transfer& transfer);
// New connections the finished transfer had to open (0 when it reused one).
std::size_t connections_opened(const Transfer& transfer);

}  // namespace billwatch::crawler::detail
