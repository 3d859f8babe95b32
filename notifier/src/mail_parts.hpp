#pragma once
// Pieces every mail billwatch sends is made of: alerts (message.cpp) and the subscriber's
// own mails (account_mail.cpp).
#include <string>
#include <string_view>

namespace billwatch::notifier::detail {

// LF line ends as CRLF (mail bodies).
std::string with_crlf(std::string_view text);
// [web] base_url without trailing slashes, ready for "/path" to be appended.
std::string site_base(std::string base);
// The domain of an address, for Message-IDs ("billwatch.invalid" without one).
std::string domain_of(const std::string& address);
// The start of every mail's HTML part, to <body>: readable on a phone (the device's
// width, a readable line, no external fonts), long links broken anywhere.
std::string html_head(const std::string& title);
// The one-click unsubscribe page and the manage page; "" when there is no token or the base
// URL may not be linked from mails (core is_site_base_url: https, or http on loopback).
std::string unsubscribe_page(const std::string& web_base_url, const std::string& token);
std::string manage_page(const std::string& web_base_url, const std::string& token);

}  // namespace billwatch::notifier::detail
