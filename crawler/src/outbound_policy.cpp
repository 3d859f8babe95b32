#include "billwatch/crawler/outbound_policy.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>

namespace billwatch::crawler {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Host names compare without IPv6 brackets and a trailing dot.
std::string host_key(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  return lower(host);
}

bool internal_v4(std::uint32_t a) {  // host byte order
  auto in = [a](std::uint32_t net, int bits) {
    std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    return (a & mask) == net;
  };
  return in(0x00000000, 8) ||   // "this network"
         in(0x0A000000, 8) ||   // 10/8
         in(0x64400000, 10) ||  // 100.64/10, carrier-grade NAT
         in(0x7F000000, 8) ||   // loopback
         in(0xA9FE0000, 16) ||  // 169.254/16: link-local, cloud metadata
         in(0xAC100000, 12) ||  // 172.16/12
         in(0xC0000000, 24) ||  // 192.0.0/24, IETF protocol assignments
         in(0xC0000200, 24) ||  // 192.0.2/24, documentation
         in(0xC0A80000, 16) ||  // 192.168/16
         in(0xC6120000, 15) ||  // 198.18/15, benchmarking
         in(0xC6336400, 24) ||  // 198.51.100/24, documentation
         in(0xCB007100, 24) ||  // 203.0.113/24, documentation
         in(0xE0000000, 4) ||   // multicast
         in(0xF0000000, 4);     // reserved, broadcast
}

bool internal_v6(const std::array<unsigned char, 16>& b) {
  static const std::array<unsigned char, 16> zero{};
  std::array<unsigned char, 16> loopback{};
  loopback[15] = 1;
  if (b == zero || b == loopback) return true;
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::/96):
  // judged by the IPv4 address inside.
  bool mapped = std::all_of(b.begin(), b.begin() + 10, [](unsigned char c) { return c == 0; }) &&
                ((b[10] == 0xff && b[11] == 0xff) || (b[10] == 0 && b[11] == 0));
  bool nat64 = b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b &&
               std::all_of(b.begin() + 4, b.begin() + 12, [](unsigned char c) { return c == 0; });
  if (mapped || nat64) {
    std::uint32_t v4 = (std::uint32_t{b[12]} << 24) | (std::uint32_t{b[13]} << 16) |
                       (std::uint32_t{b[14]} << 8) | b[15];
    return internal_v4(v4);
  }
  if ((b[0] & 0xfe) == 0xfc) return true;                  // fc00::/7 unique-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true;  // fec0::/10 old site-local
  if (b[0] == 0xff) return true;                           // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;  // docs
  return false;
}

}  // namespace

bool OutboundPolicy::allows_host(std::string_view host) const {
  std::string key = host_key(host);
  for (const auto& allowed : allowed_hosts) {
    if (host_key(allowed) == key) return true;
  }
  return false;
}

bool is_internal_address(const sockaddr* address) {
  if (!address) return true;
  if (address->sa_family == AF_INET) {
    sockaddr_in v4{};
    std::memcpy(&v4, address, sizeof v4);
    return internal_v4(ntohl(v4.sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, address, sizeof v6);
    std::array<unsigned char, 16> bytes{};
    std::memcpy(bytes.data(), &v6.sin6_addr, 16);
    return internal_v6(bytes);
  }
  return true;  // Unix sockets and anything else: never
}

bool is_internal_address_text(std::string_view text) {
  std::string host = host_key(text);
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return internal_v4(ntohl(v4.s_addr));
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    std::array<unsigned char, 16> bytes{};
    std::memcpy(bytes.data(), &v6, 16);
    return internal_v6(bytes);
  }
  return false;
}

std::string registrable_domain(std::string_view host) {
  std::string key = host_key(host);
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, key.c_str(), &v4) == 1 || inet_pton(AF_INET6, key.c_str(), &v6) == 1) {
    return key;
  }
  std::vector<std::string> labels;
  for (std::size_t from = 0; from <= key.size();) {
    std::size_t dot = key.find('.', from);
    if (dot == std::string::npos) dot = key.size();
    labels.push_back(key.substr(from, dot - from));
    from = dot + 1;
  }
  std::size_t keep = 2;
  if (labels.size() >= 3 && labels.back().size() == 2) {
    const std::string& second = labels[labels.size() - 2];
    for (const char* suffix : {"gov", "co", "ac", "org", "net", "com", "edu"}) {
      if (second == suffix) keep = 3;
    }
  }
  if (labels.size() <= keep) return key;
  std::string out;
  for (std::size_t i = labels.size() - keep; i < labels.size(); ++i) {
    out += (out.empty() ? "" : ".") + labels[i];
  }
  return out;
}

std::string url_host(std::string_view url) {
  std::unique_ptr<CURLU, void (*)(CURLU*)> handle(curl_url(), curl_url_cleanup);
  if (!handle ||
      curl_url_set(handle.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK) {
    return "";
  }
  char* host = nullptr;
  if (curl_url_get(handle.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK) return "";
  std::string out = host_key(host);
  curl_free(host);
  return out;
}

}  // namespace billwatch::crawler
