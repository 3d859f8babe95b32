#pragma once

#include "billwatch/core/clock.hpp"

namespace billwatch::test {

// A clock the test moves by hand, so runs can happen "days apart" in milliseconds.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = 1764325500) : m_now(start) {}  // 2025-11-28
  Timestamp now() const override { return m_now + m_slept_ms / 1000; }
  std::int64_t monotonic_ms() const override { return m_now * 1000 + m_slept_ms; }
  // Sleeping moves the clock and is remembered, so a test can see how long code waited.
  void sleep_ms(std::int64_t milliseconds) const override {
    if (milliseconds > 0) m_slept_ms += milliseconds;
  }
  void advance(Timestamp seconds) { m_now += seconds; }
  void set(Timestamp t) {
    m_now = t;
    m_slept_ms = 0;
  }
  std::int64_t slept_ms() const { return m_slept_ms; }

 private:
  Timestamp m_now;
  mutable std::int64_t m_slept_ms = 0;
};

// Noon UTC of a date written YYYY-MM-DD.
inline Timestamp noon(const char* date) {
  return *parse_date(date) + 12 * 3600;
}

}  // namespace billwatch::test
