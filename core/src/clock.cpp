#include "billwatch/core/clock.hpp"

#include <chrono>
#include <ctime>
#include <thread>

namespace billwatch {

Timestamp SystemClock::now() const {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t SystemClock::monotonic_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void SystemClock::sleep_ms(std::int64_t milliseconds) const {
  if (milliseconds > 0) std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
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

namespace billwatch {

std::optional<Timestamp> parse_date(std::string_view text) {
  // YYYY-MM-DD, checked field by field; std::chrono's calendar does the arithmetic.
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto number = [&](std::size_t from, std::size_t length) -> int {
    int value = 0;
    for (std::size_t i = from; i < from + length; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  int year = number(0, 4);
  int month = number(5, 2);
  int day = number(8, 2);
  if (year < 0 || month < 0 || day < 0) return std::nullopt;
  std::chrono::year_month_day date{std::chrono::year(year),
                                   std::chrono::month(static_cast<unsigned>(month)),
                                   std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) return std::nullopt;
  return std::chrono::sys_days(date).time_since_epoch().count() * Timestamp{86400};
}

}  // namespace billwatch
