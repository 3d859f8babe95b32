#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "billwatch/core/clock.hpp"

namespace billwatch::crawler {

// An HTTP-date (RFC 9110 §5.6.7: IMF-fixdate, obsolete RFC 850 and asctime forms) as a
// timestamp; nullopt when it is none of them or out of range.
std::optional<Timestamp> parse_http_date(std::string_view value);

// Retry-After (RFC 9110 §10.2.3): delta-seconds or an HTTP-date. Returns the wait in
// seconds from `now` (0 for a date in the past); nullopt when unparseable. Huge values
// saturate instead of overflowing.
std::optional<std::int64_t> parse_retry_after(std::string_view value, Timestamp now);

// Exponential backoff before retry number `attempt` (1 = first retry): base * 2^(attempt-1),
// capped, then spread by ±25% using `jitter` in [0, 1) so that retries of many pages do not
// arrive together.
std::chrono::milliseconds backoff_delay(int attempt, std::chrono::milliseconds base,
                                        std::chrono::milliseconds cap, double jitter);

// Recognises block and challenge pages (Cloudflare "Just a moment...", CAPTCHAs, WAF
// denials) that must never be stored as a bill's text. Returns why, or nullopt.
// `server` and `cf_mitigated` are the response's Server and cf-mitigated headers.
std::optional<std::string> detect_block(int http_status, std::string_view server,
                                        std::string_view cf_mitigated, std::string_view body);

}  // namespace billwatch::crawler
