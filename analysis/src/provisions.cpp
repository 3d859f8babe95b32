// The provision analyzer: sections with citation paths (sections.cpp), clauses read with
// their lists' lead-ins (clauses.cpp), then rules per category over each clause
// (classify.cpp) made of cues (cues.cpp), following docs/provision-taxonomy.md.
#include "billwatch/analysis/provisions.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "billwatch/analysis/relevance.hpp"
#include "classify.hpp"
#include "clauses.hpp"
#include "cues.hpp"

namespace billwatch::analysis {

const std::vector<std::string>& provision_categories() {
  static const std::vector<std::string> k_categories = {"definition",
                                                        "use_conditions",
                                                        "prone_restraint_ban",
                                                        "mechanical_restraint_ban",
                                                        "chemical_restraint_ban",
                                                        "seclusion_ban",
                                                        "seclusion_conditions",
                                                        "aversive_ban",
                                                        "no_punitive_use",
                                                        "parent_notification",
                                                        "incident_reporting",
                                                        "debriefing",
                                                        "data_reporting",
                                                        "staff_training",
                                                        "oversight_enforcement",
                                                        "scope",
                                                        "permissive_use"};
  return k_categories;
}

std::vector<std::string> ProvisionAnalysis::categories() const {
  std::vector<std::string> out;
  for (const auto& category : provision_categories()) {
    for (const auto& p : provisions) {
      if (p.category == category) {
        out.push_back(category);
        break;
      }
    }
  }
  return out;
}

namespace {

using namespace detail;

std::string trimmed(std::string s) {
  std::size_t first = s.find_first_not_of(" \n");
  std::size_t last = s.find_last_not_of(" \n");
  return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

}  // namespace

ProvisionAnalysis analyze_provisions(std::string_view text) {
  ProvisionAnalysis analysis;
  std::string lowered = lower_ascii(text);
  BigramIndex whole(lowered);  // every whole-text question below asks it first
  // Cheap decisions first; the paragraph-level relevance screen only for mixed texts.
  // §9: reasonable-force and immunity laws are relevant without naming restraint.
  // §2.1 (def_time_out): a time-out defined for students is an R/S definition even where the
  // text names no other practice.
  auto defines_time_out = [&] {
    return has_any(lowered,
                   {"time-out\" means", "time-out\xE2\x80\x9d means", "time out\" means",
                    "time out\xE2\x80\x9d means", "timeout\" means", "timeout\xE2\x80\x9d means"});
  };
  bool force_text = authorizes_force(lowered);
  if (!has_rs_term(lowered) && !force_text && !defines_time_out()) return analysis;
  // The whole text decides the setting: a school text may quote facility law, but a text
  // about residents, inmates or vehicles with no school in it is never relevant.
  bool education = has_education_cue(lowered);
  bool force_law = force_text && education;
  bool permissive =
      (has_any(lowered, {"physical control over a pupil", "physical control over a student"}) &&
       education) ||
      force_law;
  // Definitions often carry no setting of their own ("a person"); with no other setting
  // named, restraint terms defined are taken as the school law they usually are.
  bool defines = has_any(lowered, {" means ", "shall mean", "for purposes of this section"});
  // A school text may quote facility or police law; a few such words among many school
  // words do not make it a prison or hospital text.
  int negatives = negative_cues(lowered);
  // ... but not when the text speaks of children in another setting and of no school at
  // all (a child-care centre's or a foster facility's rules, §9).
  bool other_children = !education && has_any(lowered, {"the child", "children", "a child"});
  bool clearly_school = (education || (defines && !other_children)) && negatives == 0;
  if (!clearly_school && education && negatives > 0) {
    clearly_school = count_of(lowered, {"student", "pupil", "school"}) >= 10 * negatives;
  }
  // §9: hazing statutes and child-care or foster-care rules name restraint but are another
  // setting's law; unless the text is plainly school law, they are not relevant.
  bool other_setting =
      has_any(lowered, {"hazing", "foster", "child care", "child-care", "day care", "childcare"});
  if (clearly_school || permissive) {
    analysis.relevant = true;
    analysis.score = 1;
  } else if (other_setting) {
    return analysis;
  } else {
    Relevance relevance = screen_relevance("", text);
    analysis.relevant = relevance.relevant;
    analysis.score = relevance.score;
  }
  if (!analysis.relevant) return analysis;

  std::set<std::pair<std::string, std::string>> seen;  // (category, section)
  // A provision found in a list's lead-in is not repeated for each of its items.
  auto seen_above = [&](const std::string& category, std::string path) {
    while (true) {
      if (seen.count({category, path})) return true;
      std::size_t open = path.rfind('(');
      if (open == std::string::npos || open == 0) return false;
      path.erase(open);
    }
  };
  std::vector<Clause> clauses = clauses_of(text, lowered);
  for (Clause& clause : clauses) clause.force_law = force_law;
  for (const Clause& clause : clauses) {
    for (auto& [category, confidence] : classify(clause, clause.section_findings)) {
      if (seen_above(category, clause.section)) continue;
      seen.insert({category, clause.section});
      FoundProvision p;
      p.category = category;
      p.section = clause.section;
      p.excerpt = trimmed(std::string(text.substr(clause.start, clause.end - clause.start)));
      p.start = clause.start;
      p.end = clause.end;
      p.confidence = confidence;
      bool ban = category.size() > 4 && category.substr(category.size() - 4) == "_ban";
      p.exceptions = ban && has_exception(clause.context.empty() ? clause.lowered : clause.context);
      if (category == "parent_notification" || category == "incident_reporting" ||
          category == "debriefing" || category == "data_reporting") {
        p.deadline = find_deadline(clause.lowered);
      }
      analysis.provisions.push_back(std::move(p));
    }
  }
  return analysis;
}

namespace {

std::set<std::string> word_set(const std::string& text) {
  std::set<std::string> words;
  std::string word;
  for (char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.insert(std::move(word));
      word.clear();
    }
  }
  return words;
}

double similarity(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() && b.empty()) return 1;
  std::size_t common = 0;
  for (const auto& w : a) common += b.count(w);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

}  // namespace

std::vector<ProvisionChange> diff_provisions(const std::vector<FoundProvision>& before,
                                             const std::vector<FoundProvision>& after) {
  // Within each category, pair old and new provisions by the words they share (bills
  // renumber their sections between versions); a pair with different words is Changed,
  // what is left unpaired was Removed or Added.
  std::vector<ProvisionChange> changes;
  for (const auto& category : provision_categories()) {
    std::vector<const FoundProvision*> olds;
    std::vector<const FoundProvision*> news;
    for (const auto& p : before) {
      if (p.category == category) olds.push_back(&p);
    }
    for (const auto& p : after) {
      if (p.category == category) news.push_back(&p);
    }
    std::vector<std::set<std::string>> old_words;
    std::vector<std::set<std::string>> new_words;
    for (const auto* p : olds) old_words.push_back(word_set(p->excerpt));
    for (const auto* p : news) new_words.push_back(word_set(p->excerpt));
    struct Pair {
      double score;
      std::size_t o;
      std::size_t n;
    };
    std::vector<Pair> pairs;
    // Word-overlap pairing is quadratic; past a bound (a hostile or enormous text) only
    // identical excerpts pair up.
    bool fuzzy = olds.size() * news.size() <= 250000;
    for (std::size_t o = 0; o < olds.size(); ++o) {
      for (std::size_t n = 0; n < news.size(); ++n) {
        if (!fuzzy && olds[o]->excerpt != news[n]->excerpt) continue;
        double s = similarity(old_words[o], new_words[n]);
        if (s >= 0.5) pairs.push_back({s, o, n});
      }
    }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const Pair& a, const Pair& b) { return a.score > b.score; });
    std::vector<bool> old_used(olds.size());
    std::vector<bool> new_used(news.size());
    for (const auto& pair : pairs) {
      if (old_used[pair.o] || new_used[pair.n]) continue;
      old_used[pair.o] = true;
      new_used[pair.n] = true;
      const FoundProvision& o = *olds[pair.o];
      const FoundProvision& n = *news[pair.n];
      if (o.excerpt != n.excerpt) {
        changes.push_back(
            {ProvisionChange::Kind::Changed, category, n.section, o.excerpt, n.excerpt, o.section});
      }
    }
    for (std::size_t o = 0; o < olds.size(); ++o) {
      if (old_used[o]) continue;
      changes.push_back({ProvisionChange::Kind::Removed, category, olds[o]->section,
                         olds[o]->excerpt, "", olds[o]->section});
    }
    for (std::size_t n = 0; n < news.size(); ++n) {
      if (new_used[n]) continue;
      changes.push_back(
          {ProvisionChange::Kind::Added, category, news[n]->section, "", news[n]->excerpt});
    }
  }
  return changes;
}

}  // namespace billwatch::analysis
