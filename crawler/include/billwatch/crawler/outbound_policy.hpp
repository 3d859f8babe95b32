#pragma once

#include <string>
#include <string_view>
#include <vector>

struct sockaddr;

namespace billwatch::crawler {

// Where billwatch may send a request. Pages and API answers come from outsiders, and what
// billwatch fetches it stores and mails: a link or redirect to a cloud metadata service or
// an internal port must not be followed. Deny by default:
//  - only http and https;
//  - the address a host resolves to is checked when the connection is opened (after DNS,
//    on every redirect hop, so a DNS rebind cannot slip through): loopback, private,
//    link-local (169.254.0.0/16, which holds the metadata services), carrier-grade NAT,
//    unique-local, multicast and reserved ranges are refused unless the URL's host is
//    listed in `allowed_hosts` ([crawler] allow_private).
struct OutboundPolicy {
  std::vector<std::string> allowed_hosts;  // exact host names or addresses, any case

  bool allows_host(std::string_view host) const;
};

// Is this a loopback, private, link-local, unique-local, multicast or reserved address
// (IPv4, IPv6, and IPv4 inside IPv6)? Anything not a public unicast address is.
bool is_internal_address(const sockaddr* address);
// The same for an address written as text ("10.0.0.1", "::1"); false for a name.
bool is_internal_address_text(std::string_view text);

// The part of a host name a page's own links may stay within: "leg.wa.gov" and
// "lawfilesext.leg.wa.gov" are both "wa.gov"; an address is itself. The last two labels
// (three under a two-letter country's second level such as "gov.uk"): no public-suffix
// list is needed for legislature sites, which sit under .gov, .us and state domains.
std::string registrable_domain(std::string_view host);

// The host of an http(s) URL, lower-case ("" when the URL has none).
std::string url_host(std::string_view url);

}  // namespace billwatch::crawler
