#include "billwatch/crawler/fetch_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <ctime>
#include <limits>

#include "billwatch/core/ascii.hpp"

namespace billwatch::crawler {

namespace {

std::string lower(std::string_view s, std::size_t max = std::string_view::npos) {
  return ascii_lower(s.substr(0, max));
}

bool contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

std::optional<Timestamp> parse_http_date(std::string_view value) {
  std::string text(value.substr(0, 64));
  for (const char* format :
       {"%a, %d %b %Y %H:%M:%S GMT", "%A, %d-%b-%y %H:%M:%S GMT", "%a %b %d %H:%M:%S %Y"}) {
    std::tm tm{};
    const char* end = strptime(text.c_str(), format, &tm);
    if (!end) continue;
    while (*end == ' ') ++end;
    if (*end != '\0') continue;
    if (tm.tm_year < 70 || tm.tm_year > 1100) return std::nullopt;
    return static_cast<Timestamp>(timegm(&tm));
  }
  return std::nullopt;
}

std::optional<std::int64_t> parse_retry_after(std::string_view value, Timestamp now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    // Saturate: a server saying "wait 10^30 seconds" means "not today".
    constexpr std::int64_t k_max = std::numeric_limits<std::int32_t>::max();
    std::int64_t seconds = 0;
    for (char c : value) {
      seconds = seconds * 10 + (c - '0');
      if (seconds > k_max) return k_max;
    }
    return seconds;
  }
  auto date = parse_http_date(value);
  if (!date) return std::nullopt;
  return *date > now ? *date - now : 0;
}

std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap, double jitter) {
  int exponent = std::clamp(attempt - 1, 0, 30);
  double delay = static_cast<double>(base.count()) * std::ldexp(1.0, exponent);
  delay = std::min(delay, static_cast<double>(cap.count()));
  delay *= 0.75 + 0.5 * std::clamp(jitter, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(delay));
}

std::optional<std::string> detect_block(int http_status, std::string_view server,
                                        std::string_view cf_mitigated, std::string_view body) {
  if (lower(cf_mitigated) == "challenge") return "Cloudflare challenge (cf-mitigated header)";
  // Challenge and block pages are small and say what they are near the top; a bill page
  // that merely mentions a CAPTCHA deep in its text is not one. An error status gets a
  // longer look than a 200.
  std::string head = lower(body, http_status >= 400 ? 64 * 1024 : 8 * 1024);
  bool cloudflare = contains(lower(server), "cloudflare");
  if (contains(head, "<title>just a moment...</title>") || contains(head, "cf-chl-") ||
      contains(head, "challenge-platform")) {
    return "Cloudflare JavaScript challenge page (\"Just a moment...\")";
  }
  if (contains(head, "attention required! | cloudflare")) return "Cloudflare block page";
  if (contains(head, "g-recaptcha") || contains(head, "h-captcha") ||
      contains(head, "hcaptcha.com") || contains(head, "captcha-delivery") ||
      contains(head, "please verify you are a human") || contains(head, "are you a robot")) {
    return "CAPTCHA page";
  }
  if (contains(head, "incapsula incident id")) return "Imperva/Incapsula block page";
  if (contains(head, "access denied") && contains(head, "reference #")) {
    return "Akamai access-denied page";
  }
  if (http_status == 403) {
    if (cloudflare) return "HTTP 403 from Cloudflare";
    if (contains(head, "request blocked") || contains(head, "web application firewall") ||
        contains(head, "access denied") || contains(head, "forbidden by")) {
      return "HTTP 403 block page (web application firewall)";
    }
  }
  return std::nullopt;
}

}  // namespace billwatch::crawler
