#include "new_bill.hpp"

#include <algorithm>
#include <map>

#include "billwatch/core/categories.hpp"
#include "billwatch/core/escape.hpp"
#include "billwatch/notifier/wording.hpp"
#include "change_sentences.hpp"

namespace billwatch::notifier::detail {

// A new bill's provisions by category, in the categories' words, the ones the subscriber
// follows first, then by importance: "Ban on seclusion; Telling parents; Staff training".
std::string what_it_says(const ChangeEvent& event, const std::vector<std::string>& followed) {
  // The categories, each with the sections that say it when the event carries them
  // ("Ban on seclusion (Sec. 3(b))").
  std::vector<std::string> categories = event.categories;
  std::map<std::string, std::vector<std::string>> sections;
  for (const auto& p : event.bill_provisions) {
    if (std::find(categories.begin(), categories.end(), p.category) == categories.end()) {
      categories.push_back(p.category);
    }
    auto& list = sections[p.category];
    if (!p.section.empty() && p.section != "(preamble)" &&
        std::find(list.begin(), list.end(), p.section) == list.end()) {
      list.push_back(p.section);
    }
  }
  auto rank = [&](const std::string& c) {
    bool first = std::find(followed.begin(), followed.end(), c) != followed.end();
    return std::make_pair(first ? 0 : 1, category_weight(c));
  };
  std::stable_sort(categories.begin(), categories.end(),
                   [&](const std::string& a, const std::string& b) { return rank(a) < rank(b); });
  std::string out;
  for (const auto& c : categories) {
    out += (out.empty() ? "" : "; ") + category_name(c);
    const auto& list = sections[c];
    // At most three places a category, so a long bill's line stays a line.
    for (std::size_t i = 0; i < list.size() && i < 3; ++i) {
      out += (i == 0 ? " (" : ", ") + list[i];
    }
    if (list.size() > 3) out += ", \u2026";
    if (!list.empty()) out += ")";
  }
  return out;
}

std::string new_bill_facts(const ChangeEvent& event) {
  std::string out;
  if (event.stage != Stage::none) {
    std::string when;
    for (const auto& a : event.new_actions) {
      if (a.stage == event.stage && !a.date.empty()) when = a.date;
    }
    out = "Where it stands: " + position(event.stage, chambers_of(event.bill), event.new_actions) +
          (when.empty() ? "" : " (" + when + ")") + ".";
  }
  if (!event.bill.sponsor.empty()) {
    // As the source names them, cut short if a source sends a paragraph.
    out += (out.empty() ? "" : " ") + std::string("Sponsor: ") +
           utf8_truncate(event.bill.sponsor, 120) + ".";
  }
  return out;
}

}  // namespace billwatch::notifier::detail
