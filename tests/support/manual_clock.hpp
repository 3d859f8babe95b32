#pragma once

#include "billwatch/core/clock.hpp"

namespace billwatch::test {

// A clock the test moves by hand, so runs can happen "days apart" in milliseconds.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = 1764325500) : m_now(start) {}  // 2025-11-28
  Timestamp now() const override { return m_now; }
  void advance(Timestamp seconds) { m_now += seconds; }
  void set(Timestamp t) { m_now = t; }

 private:
  Timestamp m_now;
};

// Noon UTC of a date written YYYY-MM-DD.
inline Timestamp noon(const char* date) {
  return *parse_date(date) + 12 * 3600;
}

}  // namespace billwatch::test
