#include "billwatch/core/subscription.hpp"

#include "billwatch/core/categories.hpp"

namespace billwatch {

SubscriptionFilter bans_and_permissions() {
  SubscriptionFilter filter;
  for (const auto& c : category_catalogue()) {
    bool ban = c.id.size() > 4 && c.id.compare(c.id.size() - 4, 4, "_ban") == 0;
    if (ban || c.permits) filter.categories.push_back(c.id);
  }
  filter.events = {"new_bill", "new_version", "provisions_changed"};
  return filter;
}

bool is_bans_and_permissions(const SubscriptionFilter& filter) {
  SubscriptionFilter preset = bans_and_permissions();
  return filter.categories == preset.categories && filter.events == preset.events &&
         filter.bills.empty() && filter.stages.empty() && filter.keywords.empty() &&
         !filter.all_pages;
}

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
