#include "billwatch/core/categories.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace billwatch {

const std::vector<CategoryInfo>& category_catalogue() {
  static const std::vector<CategoryInfo> k_catalogue = {
      {"definition", "Definitions",
       "Defines restraint, seclusion or a related term, or says what they do not include.", false},
      {"use_conditions", "Limits on when restraint or seclusion may be used",
       "Allows restraint or seclusion only in an emergency (imminent danger of serious harm), "
       "after less restrictive measures, with the least force, ending when the danger ends.",
       false},
      {"prone_restraint_ban", "Ban on prone and other dangerous restraint",
       "Forbids face-down (prone), face-up (supine) or wall restraint and any restraint that "
       "restricts breathing.",
       false},
      {"mechanical_restraint_ban", "Ban on mechanical restraint",
       "Forbids restraining students with devices such as straps, cuffs or tape.", false},
      {"chemical_restraint_ban", "Ban on chemical restraint",
       "Forbids using drugs or medication to control a student's behavior or movement.", false},
      {"seclusion_ban", "Ban on seclusion",
       "Forbids secluding (isolating) a student alone in a room or space they cannot leave, or "
       "in a locked space.",
       false},
      {"seclusion_conditions", "Conditions on seclusion",
       "Requires constant watching, room standards or time limits when seclusion (or "
       "restraint) is used.",
       false},
      {"aversive_ban", "Ban on aversive interventions",
       "Forbids noxious sprays or substances and techniques meant to cause pain.", false},
      {"no_punitive_use", "No restraint or seclusion as punishment",
       "Forbids restraint or seclusion for discipline, punishment, convenience or retaliation, "
       "or planned in a student's IEP or behavior plan.",
       false},
      {"parent_notification", "Telling parents",
       "Requires telling the parent or guardian after an incident, often within a deadline.",
       false},
      {"incident_reporting", "Incident reports",
       "Requires a written report of each incident with its details, and reports of injuries.",
       false},
      {"debriefing", "Review after an incident",
       "Requires a review meeting or a behavior assessment after an incident.", false},
      {"data_reporting", "Public data on incidents",
       "Requires counting incidents and reporting the numbers to the state or the public.", false},
      {"staff_training", "Staff training",
       "Requires training staff in de-escalation and in safe restraint.", false},
      {"oversight_enforcement", "Oversight and enforcement",
       "Requires policies, monitoring, complaints, investigations or penalties.", false},
      {"scope", "Who is covered", "Says which schools, programs or students the rules apply to.",
       false},
      {"permissive_use", "Permission to restrain or seclude",
       "Allows restraint or seclusion in some situations: it permits rather than protects.", true},
  };
  return k_catalogue;
}

namespace {

std::string lowered(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Edits between two words (Levenshtein), for "did you mean".
std::size_t distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> category_id_of(std::string_view text) {
  std::string wanted = lowered(text);
  for (const auto& info : category_catalogue()) {
    if (wanted == info.id || wanted == lowered(info.name)) return info.id;
  }
  return std::nullopt;
}

const CategoryInfo& nearest_category(std::string_view text) {
  // The words of the text found in a category's id or name count most ("prone_ban" means
  // prone_restraint_ban, not aversive_ban); then the fewest edits.
  std::string wanted = lowered(text);
  std::vector<std::string> words;
  std::string word;
  for (char c : wanted + " ") {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      word += c;
    } else if (!word.empty()) {
      words.push_back(word);
      word.clear();
    }
  }
  const CategoryInfo* best = &category_catalogue().front();
  std::pair<std::size_t, std::size_t> best_score{0, std::string::npos};  // (-found, edits)
  bool first = true;
  for (const auto& info : category_catalogue()) {
    std::string name = lowered(info.name);
    std::size_t found = 0;
    for (const auto& w : words) {
      found += info.id.find(w) != std::string::npos || name.find(w) != std::string::npos;
    }
    std::size_t edits = std::min(distance(wanted, info.id), distance(wanted, name));
    std::pair<std::size_t, std::size_t> score{words.size() - found, edits};
    if (first || score < best_score) {
      best_score = score;
      best = &info;
      first = false;
    }
  }
  return *best;
}

std::string category_name(std::string_view id) {
  const CategoryInfo* info = category_info(id);
  return info ? info->name : "Another provision";
}

const CategoryInfo* category_info(std::string_view id) {
  for (const auto& info : category_catalogue()) {
    if (info.id == id) return &info;
  }
  return nullptr;
}

}  // namespace billwatch
