#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace billwatch {

// Seconds since the Unix epoch, UTC. Stored as such in the database.
using Timestamp = std::int64_t;

// The source of "now" for every component, and of waiting, so tests control time and
// never sleep for real.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp now() const = 0;
  // Milliseconds on a clock that only moves forward (for pacing requests).
  virtual std::int64_t monotonic_ms() const = 0;
  // Waits (a test clock moves itself forward instead).
  virtual void sleep_ms(std::int64_t milliseconds) const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override;
  std::int64_t monotonic_ms() const override;
  void sleep_ms(std::int64_t milliseconds) const override;
};

// Formats a timestamp as ISO 8601 UTC, e.g. "2026-11-28T10:25:00Z".
std::string format_iso8601(Timestamp t);

// Formats a timestamp as an RFC 5322 date for mail headers, e.g. "Sat, 28 Nov 2026 10:25:00 +0000".
std::string format_rfc5322(Timestamp t);

// The start (00:00:00 UTC) of a calendar date written YYYY-MM-DD; nullopt when the text
// is not a valid date.
std::optional<Timestamp> parse_date(std::string_view text);

}  // namespace billwatch
