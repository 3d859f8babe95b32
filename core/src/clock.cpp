#include "billwatch/core/clock.hpp"

#include <chrono>
#include <ctime>

namespace billwatch {

Timestamp SystemClock::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {
std::tm to_utc(Timestamp t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}

std::string format(Timestamp t, const char* pattern) {
  std::tm tm = to_utc(t);
  char buf[64];
  std::size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}
}  // namespace

std::string format_iso8601(Timestamp t) {
  return format(t, "%Y-%m-%dT%H:%M:%SZ");
}

std::string format_rfc5322(Timestamp t) {
  // strftime's %a/%b follow the locale; mail headers need the English names.
  static const char* const k_days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const k_months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm = to_utc(t);
  return std::string(k_days[tm.tm_wday]) + ", " + std::to_string(tm.tm_mday) + " " +
         k_months[tm.tm_mon] + " " + std::to_string(tm.tm_year + 1900) + " " +
         format(t, "%H:%M:%S") + " +0000";
}

}  // namespace billwatch
