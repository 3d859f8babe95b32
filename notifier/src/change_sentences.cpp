#include "change_sentences.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "billwatch/core/categories.hpp"
#include "billwatch/core/escape.hpp"

namespace billwatch::notifier::detail {

namespace {

int weight(const std::string& category) {
  if (category == "definition") return 4;
  if (category == "scope") return 3;
  if (category == "use_conditions" || category == "seclusion_conditions") return 1;
  bool ban = category.size() > 4 && category.compare(category.size() - 4, 4, "_ban") == 0;
  if (ban || category == "no_punitive_use" || category == "permissive_use") return 0;
  return 2;
}

// Within a weight: a lost protection or a new permission first, then rewordings, then a new
// protection or a lost permission.
int urgency(ProvisionChange::Kind kind, const std::string& category) {
  const CategoryInfo* info = category_info(category);
  bool permits = info && info->permits;
  switch (kind) {
    case ProvisionChange::Kind::Removed:
      return permits ? 2 : 0;
    case ProvisionChange::Kind::Added:
      return permits ? 0 : 2;
    case ProvisionChange::Kind::Changed:
      break;
  }
  return 1;
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::string joined(const std::vector<std::string>& words, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) out += (out.empty() ? "" : " ") + words[i];
  return out;
}

}  // namespace

int category_weight(const std::string& category) {
  return weight(category);
}

std::string word_change(std::string_view before, std::string_view after) {
  std::vector<std::string> a = words_of(before);
  std::vector<std::string> b = words_of(after);
  std::size_t start = 0;
  while (start < a.size() && start < b.size() && a[start] == b[start]) ++start;
  std::size_t end = 0;
  while (end < a.size() - start && end < b.size() - start &&
         a[a.size() - 1 - end] == b[b.size() - 1 - end]) {
    ++end;
  }
  std::size_t old_count = a.size() - start - end;
  std::size_t new_count = b.size() - start - end;
  if (old_count + new_count == 0 || old_count > 8 || new_count > 8) return {};
  // One word of context on each side, so "24 → 48" reads "within 24 → 48 hours".
  std::string lead = start > 0 ? a[start - 1] + " " : "";
  std::string trail = end > 0 ? " " + a[a.size() - end] : "";
  std::string old_words = old_count ? joined(a, start, start + old_count) : "(nothing)";
  std::string new_words = new_count ? joined(b, start, start + new_count) : "(nothing)";
  return lead + old_words + " \u2192 " + new_words + trail;
}

// Moved is not removed: a category that loses a provision in one place and gains one in
// another (a bill renumbers, merges two list items into one, rewrites a sentence) kept its
// protection. Each such pair becomes one change, from the old place to the new; only what
// is left unpaired was really removed or added.
std::vector<ProvisionChange> paired(const std::vector<ProvisionChange>& changes) {
  std::vector<ProvisionChange> out;
  std::vector<bool> used(changes.size(), false);
  for (std::size_t r = 0; r < changes.size(); ++r) {
    if (changes[r].kind != ProvisionChange::Kind::Removed) continue;
    for (std::size_t a = 0; a < changes.size(); ++a) {
      if (used[a] || changes[a].kind != ProvisionChange::Kind::Added ||
          changes[a].category != changes[r].category) {
        continue;
      }
      used[a] = used[r] = true;
      ProvisionChange moved;
      moved.kind = ProvisionChange::Kind::Changed;
      moved.category = changes[r].category;
      moved.section = changes[a].section;
      moved.old_section =
          changes[r].old_section.empty() ? changes[r].section : changes[r].old_section;
      moved.old_excerpt = changes[r].old_excerpt;
      moved.new_excerpt = changes[a].new_excerpt;
      out.push_back(std::move(moved));
      break;
    }
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (!used[i]) out.push_back(changes[i]);
  }
  return out;
}

std::vector<ChangeSentence> change_sentences(const std::vector<ProvisionChange>& all) {
  std::vector<ProvisionChange> changes = paired(all);
  // One paragraph under several categories is one item: group by what changed and where.
  struct Item {
    const ProvisionChange* first = nullptr;
    std::vector<std::string> categories;
    std::tuple<int, int> order{9, 9};
  };
  std::vector<Item> items;
  std::map<std::tuple<int, std::string, std::string, std::string>, std::size_t> index;
  for (const auto& change : changes) {
    auto key = std::make_tuple(static_cast<int>(change.kind), change.section, change.old_excerpt,
                               change.new_excerpt);
    auto [it, added] = index.emplace(key, items.size());
    if (added) items.push_back(Item{&change, {}, {9, 9}});
    Item& item = items[it->second];
    item.categories.push_back(change.category);
    item.order = std::min(item.order, std::make_tuple(weight(change.category),
                                                      urgency(change.kind, change.category)));
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.order < b.order; });
  std::vector<ChangeSentence> out;
  for (Item& item : items) {
    const ProvisionChange& c = *item.first;
    // The most important category leads the sentence.
    std::stable_sort(item.categories.begin(), item.categories.end(),
                     [&](const std::string& a, const std::string& b) {
                       return std::make_tuple(weight(a), urgency(c.kind, a)) <
                              std::make_tuple(weight(b), urgency(c.kind, b));
                     });
    std::string names;
    for (std::size_t i = 0; i < item.categories.size(); ++i) {
      std::string name = category_name(item.categories[i]);
      if (i > 0) {
        name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
        names += i + 1 == item.categories.size() ? " and " : ", ";
      }
      names += name;
    }
    ChangeSentence sentence;
    sentence.topic = names;
    std::string old_section = c.old_section.empty() ? c.section : c.old_section;
    switch (c.kind) {
      case ProvisionChange::Kind::Removed:
        sentence.text = "Removed: " + names + " (was " + old_section + ")";
        sentence.kind = "removed from";
        sentence.detail = old_section;
        sentence.excerpt = c.old_excerpt;
        break;
      case ProvisionChange::Kind::Added:
        sentence.text = "Added: " + names + " (" + c.section + ")";
        sentence.kind = "added in";
        sentence.detail = c.section;
        sentence.excerpt = c.new_excerpt;
        break;
      case ProvisionChange::Kind::Changed: {
        std::string where = c.section + (old_section != c.section ? ", was " + old_section : "");
        std::string words = word_change(c.old_excerpt, c.new_excerpt);
        sentence.text = "Changed: " + names + " (" + where + ")" +
                        (words.empty() ? ": reworded" : ": " + words);
        sentence.kind = "changed in";
        sentence.detail = c.section +
                          (old_section != c.section ? " (was " + old_section + ")" : "") +
                          (words.empty() ? ", reworded" : ": " + words);
        sentence.excerpt = c.new_excerpt;
        break;
      }
    }
    sentence.excerpt = utf8_truncate(sentence.excerpt, 160);
    out.push_back(std::move(sentence));
  }
  return out;
}

std::vector<std::string> grouped_details(const std::vector<ChangeSentence>& sentences,
                                         std::size_t from, std::size_t to) {
  std::vector<std::pair<std::string, std::string>> groups;  // (topic, kind) -> details
  std::vector<std::string> lines;
  for (std::size_t i = from; i < to && i < sentences.size(); ++i) {
    const ChangeSentence& s = sentences[i];
    std::string key = s.topic + ": " + s.kind + " ";
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& group) { return group.first == key; });
    if (it == groups.end()) {
      groups.emplace_back(key, s.detail);
    } else {
      it->second += (s.kind == "changed in" ? "; " : ", ") + s.detail;
    }
  }
  for (const auto& [key, details] : groups) lines.push_back(key + details);
  return lines;
}

}  // namespace billwatch::notifier::detail
