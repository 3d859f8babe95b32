#include "billwatch/crawler/curl_http_client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

namespace billwatch::crawler {

namespace {

struct CurlEasyDeleter {
  void operator()(CURL* p) const noexcept { curl_easy_cleanup(p); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* p) const noexcept { curl_slist_free_all(p); }
};
struct CurlMultiDeleter {
  void operator()(CURLM* p) const noexcept { curl_multi_cleanup(p); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;

void check(CURLcode code, const char* what) {
  if (code != CURLE_OK) {
    throw std::runtime_error(std::string("libcurl: setting ") + what +
                             " failed: " + curl_easy_strerror(code));
  }
}

void check(CURLMcode code, const char* what) {
  if (code != CURLM_OK) {
    throw std::runtime_error(std::string("libcurl multi: ") + what +
                             " failed: " + curl_multi_strerror(code));
  }
}

// State of one transfer. Lives at a stable address (unique_ptr) because libcurl keeps
// pointers to it in the callbacks' user data.
struct Transfer {
  CurlEasy easy;
  CurlSlist headers;
  std::string body;
  std::string content_type;
  std::string etag;
  std::string last_modified;
  std::size_t max_body = 0;
  bool too_large = false;
  bool done = false;
  CURLcode result = CURLE_OK;
  char error[CURL_ERROR_SIZE] = {};
};

std::string trim(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

bool header_is(std::string_view line, std::string_view name) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

// libcurl callbacks are C: nothing may be thrown through them.
extern "C" std::size_t on_body(char* data, std::size_t size, std::size_t count,
                               void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t bytes = size * count;
  if (transfer->body.size() + bytes > transfer->max_body) {
    transfer->too_large = true;
    return 0;  // makes libcurl abort with CURLE_WRITE_ERROR
  }
  try {
    transfer->body.append(data, bytes);
  } catch (...) {
    return 0;
  }
  return bytes;
}

extern "C" std::size_t on_header(char* data, std::size_t size, std::size_t count,
                                 void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t bytes = size * count;
  try {
    std::string_view line(data, bytes);
    if (line.rfind("HTTP/", 0) == 0) {
      // A new response (after a redirect, or a 100 Continue): forget the previous headers.
      transfer->content_type.clear();
      transfer->etag.clear();
      transfer->last_modified.clear();
    } else if (header_is(line, "content-type")) {
      transfer->content_type = trim(line.substr(13));
    } else if (header_is(line, "etag")) {
      transfer->etag = trim(line.substr(5));
    } else if (header_is(line, "last-modified")) {
      transfer->last_modified = trim(line.substr(14));
    }
  } catch (...) {
    return 0;
  }
  return bytes;
}

std::unique_ptr<Transfer> make_transfer(const FetchRequest& request, const HttpOptions& options) {
  auto transfer = std::make_unique<Transfer>();
  transfer->max_body = options.max_body_bytes;
  transfer->easy.reset(curl_easy_init());
  if (!transfer->easy) throw std::runtime_error("libcurl: curl_easy_init failed");
  CURL* easy = transfer->easy.get();

  check(curl_easy_setopt(easy, CURLOPT_URL, request.url.c_str()), "URL");
  check(curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get()), "PRIVATE");
  check(curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error), "ERRORBUFFER");
  check(curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body), "WRITEFUNCTION");
  check(curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get()), "WRITEDATA");
  check(curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header), "HEADERFUNCTION");
  check(curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer.get()), "HEADERDATA");
  check(curl_easy_setopt(easy, CURLOPT_USERAGENT, options.user_agent.c_str()), "USERAGENT");
  check(curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 1L), "FOLLOWLOCATION");
  check(curl_easy_setopt(easy, CURLOPT_MAXREDIRS, options.max_redirects), "MAXREDIRS");
  check(curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "PROTOCOLS_STR");
  check(curl_easy_setopt(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https"), "REDIR_PROTOCOLS_STR");
  check(curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, options.timeout_ms), "TIMEOUT_MS");
  check(curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms),
        "CONNECTTIMEOUT_MS");
  check(curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL");
  check(curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, ""), "ACCEPT_ENCODING");
  // Rejects a too-large Content-Length up front; on_body catches chunked bodies.
  check(curl_easy_setopt(easy, CURLOPT_MAXFILESIZE_LARGE,
                         static_cast<curl_off_t>(options.max_body_bytes)),
        "MAXFILESIZE_LARGE");

  curl_slist* list = nullptr;
  auto append = [&](const std::string& header) {
    curl_slist* next = curl_slist_append(list, header.c_str());
    if (!next) throw std::runtime_error("libcurl: curl_slist_append failed");
    list = next;
    transfer->headers.release();
    transfer->headers.reset(list);
  };
  if (!request.etag.empty()) append("If-None-Match: " + request.etag);
  if (!request.last_modified.empty()) append("If-Modified-Since: " + request.last_modified);
  if (list) check(curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list), "HTTPHEADER");
  return transfer;
}

bool is_transient(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

FetchOutcome outcome_of(Transfer& transfer, const HttpOptions& options) {
  CURL* easy = transfer.easy.get();
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  char* effective = nullptr;
  curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective);
  std::string final_url = effective ? effective : "";

  if (transfer.too_large || transfer.result == CURLE_FILESIZE_EXCEEDED) {
    return FetchFailure{false, static_cast<int>(status),
                        "response body is larger than max_body_mb (" +
                            std::to_string(options.max_body_bytes >> 20) + " MiB); not stored"};
  }
  if (transfer.result != CURLE_OK) {
    std::string message = curl_easy_strerror(transfer.result);
    if (transfer.error[0]) message += ": " + std::string(transfer.error);
    return FetchFailure{is_transient(transfer.result), static_cast<int>(status), message};
  }
  if (status == 304) return NotModified{final_url};
  if (status >= 200 && status < 300) {
    return Fetched{static_cast<int>(status), std::move(transfer.body),
                   transfer.content_type,    transfer.etag,
                   transfer.last_modified,   final_url};
  }
  bool transient = status >= 500 || status == 429 || status == 408;
  return FetchFailure{
      transient, static_cast<int>(status),
      "HTTP " + std::to_string(status) + (transient ? " (server-side, may succeed later)" : "")};
}

}  // namespace

CurlHttpClient::CurlHttpClient(HttpOptions options) : m_options(std::move(options)) {}

std::vector<FetchOutcome> CurlHttpClient::fetch_all(const std::vector<FetchRequest>& requests) {
  CurlMulti multi(curl_multi_init());
  if (!multi) throw std::runtime_error("libcurl: curl_multi_init failed");
  check(curl_multi_setopt(multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS,
                          static_cast<long>(m_options.per_host_concurrency)),
        "MAX_HOST_CONNECTIONS");
  check(curl_multi_setopt(multi.get(), CURLMOPT_MAX_TOTAL_CONNECTIONS,
                          static_cast<long>(m_options.max_connections)),
        "MAX_TOTAL_CONNECTIONS");

  std::vector<std::unique_ptr<Transfer>> transfers;
  transfers.reserve(requests.size());
  for (const auto& request : requests) {
    transfers.push_back(make_transfer(request, m_options));
    check(curl_multi_add_handle(multi.get(), transfers.back()->easy.get()), "add_handle");
  }

  int running = 0;
  do {
    check(curl_multi_perform(multi.get(), &running), "perform");
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi.get(), &queued)) {
      if (message->msg != CURLMSG_DONE) continue;
      Transfer* transfer = nullptr;
      curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
      transfer->result = message->data.result;
      transfer->done = true;
      curl_multi_remove_handle(multi.get(), message->easy_handle);
    }
    if (running > 0) check(curl_multi_poll(multi.get(), nullptr, 0, 1000, nullptr), "poll");
  } while (running > 0);

  std::vector<FetchOutcome> outcomes;
  outcomes.reserve(transfers.size());
  for (auto& transfer : transfers) {
    if (!transfer->done) {
      curl_multi_remove_handle(multi.get(), transfer->easy.get());
      outcomes.push_back(FetchFailure{true, 0, "transfer did not complete"});
      continue;
    }
    outcomes.push_back(outcome_of(*transfer, m_options));
  }
  return outcomes;
}

}  // namespace billwatch::crawler
