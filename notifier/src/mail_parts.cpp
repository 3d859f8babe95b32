#include "mail_parts.hpp"

#include "billwatch/notifier/account_mail.hpp"

namespace billwatch::notifier::detail {

std::string with_crlf(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 20);
  for (char c : text) {
    if (c == '\n') out.push_back('\r');
    out.push_back(c);
  }
  return out;
}

std::string site_base(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base;
}

std::string domain_of(const std::string& address) {
  auto at = address.find('@');
  return at == std::string::npos ? "billwatch.invalid" : address.substr(at + 1);
}

bool links_allowed(const std::string& web_base_url) {
  return web_links_allowed(web_base_url);
}

}  // namespace billwatch::notifier::detail

namespace billwatch::notifier {

bool web_links_allowed(const std::string& web_base_url) {
  std::string base = detail::site_base(web_base_url);
  if (base.rfind("https://", 0) == 0) return true;
  // RFC 8058 asks for https; plain http is only for a site on this machine.
  for (const char* loopback : {"http://127.0.0.1", "http://localhost", "http://[::1]"}) {
    std::string prefix = loopback;
    if (base.rfind(prefix, 0) == 0 &&
        (base.size() == prefix.size() || base[prefix.size()] == ':' || base[prefix.size()] == '/'))
      return true;
  }
  return false;
}

}  // namespace billwatch::notifier

namespace billwatch::notifier::detail {

std::string unsubscribe_page(const std::string& web_base_url, const std::string& token) {
  if (token.empty() || !links_allowed(web_base_url)) return {};
  return site_base(web_base_url) + "/unsubscribe/" + token;
}

std::string manage_page(const std::string& web_base_url, const std::string& token) {
  if (token.empty() || !links_allowed(web_base_url)) return {};
  return site_base(web_base_url) + "/manage/" + token;
}

}  // namespace billwatch::notifier::detail
