#include "curl_transfer.hpp"

#include <sys/socket.h>

#include <cctype>
#include <stdexcept>

namespace billwatch::crawler::detail {

namespace {

void check(CURLcode code, const char* what) {
  if (code != CURLE_OK) {
    throw std::runtime_error(std::string("libcurl: setting ") + what +
                             " failed: " + curl_easy_strerror(code));
  }
}

std::string trim(std::string_view s) {
  auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

// "Name: value" with a case-insensitive name: the value, or nullptr-like empty optional.
bool header_value(std::string_view line, std::string_view name, std::string& out) {
  if (line.size() <= name.size() || line[name.size()] != ':') return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  out = trim(line.substr(name.size() + 1));
  return true;
}

// libcurl callbacks are C: nothing may be thrown through them.
extern "C" std::size_t on_body(char* data, std::size_t size, std::size_t count,
                               void* user) noexcept {
  auto* transfer = static_cast<Transfer*>(user);
  std::size_t bytes = size * count;
  // Counts decoded bytes, so a gzip bomb stops at the cap however small it was on the wire.
  if (bytes > transfer->max_body - transfer->body.size()) {
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
  auto* t = static_cast<Transfer*>(user);
  std::size_t bytes = size * count;
  try {
    std::string_view line(data, bytes);
    if (line.rfind("HTTP/", 0) == 0) {
      // A new response (after a redirect, or a 100 Continue): forget the previous headers.
      t->content_type.clear();
      t->etag.clear();
      t->last_modified.clear();
      t->server.clear();
      t->cf_mitigated.clear();
      t->retry_after.clear();
    } else if (header_value(line, "content-type", t->content_type) ||
               header_value(line, "etag", t->etag) ||
               header_value(line, "last-modified", t->last_modified) ||
               header_value(line, "server", t->server) ||
               header_value(line, "cf-mitigated", t->cf_mitigated) ||
               header_value(line, "retry-after", t->retry_after)) {
    }
  } catch (...) {
    return 0;
  }
  return bytes;
}

FailureKind kind_of(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      return FailureKind::Timeout;
    case CURLE_TOO_MANY_REDIRECTS:
      return FailureKind::Redirects;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return FailureKind::BadUrl;
    default:
      return FailureKind::Network;
  }
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
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

}  // namespace

namespace {

// Every connection libcurl opens passes here with the address DNS gave: the outbound
// policy is decided on the address actually connected to.
curl_socket_t open_socket(void* data, curlsocktype purpose, curl_sockaddr* address) {
  auto* transfer = static_cast<Transfer*>(data);
  if (purpose == CURLSOCKTYPE_IPCXN && is_internal_address(&address->addr) &&
      !(transfer->policy && transfer->policy->allows_host(transfer->host))) {
    transfer->refused = true;
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

}  // namespace

std::unique_ptr<Transfer> make_transfer(const FetchRequest& request, const HttpOptions& options) {
  const std::string& url = request.url;
  auto transfer = std::make_unique<Transfer>();
  transfer->max_body = options.max_body_bytes;
  transfer->policy = &options.outbound;
  transfer->host = url_host(request.url);
  transfer->easy.reset(curl_easy_init());
  if (!transfer->easy) throw std::runtime_error("libcurl: curl_easy_init failed");
  CURL* easy = transfer->easy.get();

  check(curl_easy_setopt(easy, CURLOPT_URL, url.c_str()), "URL");
  check(curl_easy_setopt(easy, CURLOPT_PRIVATE, transfer.get()), "PRIVATE");
  check(curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, transfer->error), "ERRORBUFFER");
  check(curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, on_body), "WRITEFUNCTION");
  check(curl_easy_setopt(easy, CURLOPT_WRITEDATA, transfer.get()), "WRITEDATA");
  check(curl_easy_setopt(easy, CURLOPT_HEADERFUNCTION, on_header), "HEADERFUNCTION");
  check(curl_easy_setopt(easy, CURLOPT_HEADERDATA, transfer.get()), "HEADERDATA");
  check(curl_easy_setopt(easy, CURLOPT_USERAGENT, options.user_agent.c_str()), "USERAGENT");
  check(curl_easy_setopt(easy, CURLOPT_FOLLOWLOCATION, 0L), "FOLLOWLOCATION");
  check(curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "PROTOCOLS_STR");
  check(curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, open_socket), "OPENSOCKETFUNCTION");
  check(curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, transfer.get()), "OPENSOCKETDATA");
  check(curl_easy_setopt(easy, CURLOPT_TIMEOUT_MS, options.timeout_ms), "TIMEOUT_MS");
  check(curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, options.connect_timeout_ms),
        "CONNECTTIMEOUT_MS");
  check(curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL");
  if (!options.ca_file.empty()) {
    check(curl_easy_setopt(easy, CURLOPT_CAINFO, options.ca_file.c_str()), "CAINFO");
  }
  // "" offers every encoding this libcurl can decode (gzip, deflate, br).
  check(curl_easy_setopt(easy, CURLOPT_ACCEPT_ENCODING, ""), "ACCEPT_ENCODING");
  // Rejects a too-large Content-Length up front; on_body catches chunked and compressed ones.
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
  for (const auto& header : request.headers) append(header);
  if (list) check(curl_easy_setopt(easy, CURLOPT_HTTPHEADER, list), "HTTPHEADER");
  return transfer;
}

namespace {

std::string http_version_of(CURL* easy) {
  long version = 0;
  curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
  switch (version) {
    case CURL_HTTP_VERSION_1_0:
      return "1.0";
    case CURL_HTTP_VERSION_1_1:
      return "1.1";
    case CURL_HTTP_VERSION_2_0:
      return "2";
    case CURL_HTTP_VERSION_3:
      return "3";
    default:
      return "";
  }
}

}  // namespace

FetchOutcome outcome_of(Transfer& transfer, const HttpOptions& options) {
  CURL* easy = transfer.easy.get();
  long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  char* effective = nullptr;
  curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective);
  std::string final_url = effective ? effective : "";
  int http_status = static_cast<int>(status);

  if (transfer.too_large || transfer.result == CURLE_FILESIZE_EXCEEDED) {
    return FetchFailure{false, http_status,
                        "response body is larger than max_body_mb (" +
                            std::to_string(options.max_body_bytes >> 20) + " MiB); not stored",
                        FailureKind::TooLarge};
  }
  if (transfer.refused) {
    // The same words whatever the port: nothing was connected to, so nothing about the
    // internal network is learned from the answer.
    return FetchFailure{false, 0,
                        "refused: " + transfer.host +
                            " is an internal address (loopback, private or link-local); "
                            "billwatch fetches it only when [crawler] allow_private lists it",
                        FailureKind::Refused};
  }
  if (transfer.result != CURLE_OK) {
    std::string message = curl_easy_strerror(transfer.result);
    if (transfer.error[0]) message += ": " + std::string(transfer.error);
    return FetchFailure{is_transient(transfer.result), http_status, message,
                        kind_of(transfer.result)};
  }
  if (status == 304) return NotModified{final_url};
  if (status >= 200 && status < 300) {
    return Fetched{http_status,          std::move(transfer.body), transfer.content_type,
                   transfer.etag,        transfer.last_modified,   final_url,
                   http_version_of(easy)};
  }
  bool transient = status >= 500 || status == 429 || status == 408;
  return FetchFailure{
      transient, http_status,
      "HTTP " + std::to_string(status) + (transient ? " (server-side, may succeed later)" : ""),
      FailureKind::Http};
}

std::size_t connections_opened(const Transfer& transfer) {
  long count = 0;
  curl_easy_getinfo(transfer.easy.get(), CURLINFO_NUM_CONNECTS, &count);
  return static_cast<std::size_t>(count);
}

std::size_t bytes_received(const Transfer& transfer) {
  curl_off_t body = 0;
  long headers = 0;
  curl_easy_getinfo(transfer.easy.get(), CURLINFO_SIZE_DOWNLOAD_T, &body);
  curl_easy_getinfo(transfer.easy.get(), CURLINFO_HEADER_SIZE, &headers);
  return static_cast<std::size_t>(body) + static_cast<std::size_t>(headers);
}

}  // namespace billwatch::crawler::detail
