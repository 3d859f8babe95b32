#include "billwatch/core/matching.hpp"

#include <algorithm>
#include <cctype>

namespace billwatch {

namespace {

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

}  // namespace

bool matches(const SubscriptionFilter& filter, const ChangeEvent& event) {
  // A stored text the relevance screen found off topic (a restraint-of-trade bill among a
  // legislature's pages) alerts only those who asked for every page.
  bool about_a_text = event.version_id != 0 &&
                      (event.kind == EventKind::NewBill || event.kind == EventKind::NewVersion ||
                       event.kind == EventKind::ProvisionsChanged);
  if (about_a_text && !event.relevant && !filter.all_pages) return false;
  if (!filter.jurisdictions.empty() && !contains(filter.jurisdictions, event.bill.jurisdiction)) {
    return false;
  }
  if (!filter.bills.empty() && !contains(filter.bills, event.bill.id)) return false;
  if (!filter.categories.empty()) {
    bool any = std::any_of(filter.categories.begin(), filter.categories.end(),
                           [&](const std::string& c) { return contains(event.categories, c); });
    for (const auto& change : event.provision_changes)
      any = any || contains(filter.categories, change.category);
    if (!any) return false;
  }
  if (!filter.events.empty() && !contains(filter.events, to_string(event.kind))) return false;
  if (!filter.stages.empty() && event.kind == EventKind::StatusChanged &&
      !contains(filter.stages, std::string(to_string(event.stage)))) {
    return false;
  }
  if (!filter.keywords.empty()) {
    std::string title = lower(event.bill.title);
    bool any =
        std::any_of(filter.keywords.begin(), filter.keywords.end(), [&](const std::string& k) {
          return !k.empty() && title.find(lower(k)) != std::string::npos;
        });
    if (!any) return false;
  }
  return true;
}

}  // namespace billwatch
