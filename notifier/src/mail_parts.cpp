#include "mail_parts.hpp"

#include "billwatch/core/escape.hpp"

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

std::string html_head(const std::string& title) {
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" +
         html_escape(title) +
         "</title>\n<style>body{font-family:sans-serif;line-height:1.45;max-width:40em;"
         "margin:0 auto;padding:0 12px;color:#222}h2{font-size:1.2em}h3{font-size:1.05em;"
         "margin-bottom:.3em}li{margin-bottom:.4em}small{color:#555}"
         "a,code{word-break:break-all}</style></head>\n<body>\n";
}

std::string unsubscribe_page(const std::string& web_base_url, const std::string& token) {
  if (token.empty() || !is_site_base_url(web_base_url)) return {};
  return site_base(web_base_url) + "/unsubscribe/" + token;
}

std::string manage_page(const std::string& web_base_url, const std::string& token) {
  if (token.empty() || !is_site_base_url(web_base_url)) return {};
  return site_base(web_base_url) + "/manage/" + token;
}

}  // namespace billwatch::notifier::detail
