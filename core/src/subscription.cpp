#include "billwatch/core/subscription.hpp"

namespace billwatch {

std::string_view to_string(Frequency frequency) {
  switch (frequency) {
    case Frequency::Daily:
      return "daily";
    case Frequency::Weekly:
      return "weekly";
    case Frequency::Immediate:
      break;
  }
  return "immediate";
}

std::optional<Frequency> parse_frequency(std::string_view text) {
  for (Frequency f : {Frequency::Immediate, Frequency::Daily, Frequency::Weekly}) {
    if (text == to_string(f)) return f;
  }
  return std::nullopt;
}

}  // namespace billwatch
