#include "billwatch/core/subscription.hpp"

#include <algorithm>

#include "billwatch/core/categories.hpp"

namespace billwatch {

namespace {
// Both constnesses from one list of names.
template <class List, class Filter>
std::array<List, 6> lists_of(Filter& f) {
  return {{{"jurisdictions", &f.jurisdictions},
           {"bills", &f.bills},
           {"categories", &f.categories},
           {"events", &f.events},
           {"stages", &f.stages},
           {"keywords", &f.keywords}}};
}
}  // namespace

std::array<FilterList, 6> filter_lists(SubscriptionFilter& f) {
  return lists_of<FilterList>(f);
}

std::array<ConstFilterList, 6> filter_lists(const SubscriptionFilter& f) {
  return lists_of<ConstFilterList>(f);
}

void add_implied_events(SubscriptionFilter& filter) {
  auto& events = filter.events;
  if (!filter.stages.empty() &&
      std::find(events.begin(), events.end(), "status_changed") == events.end())
    events.push_back("status_changed");
}

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
