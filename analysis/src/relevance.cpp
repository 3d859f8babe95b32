#include "billwatch/analysis/relevance.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string>

#include "words.hpp"

namespace billwatch::analysis {

namespace {

using Words = std::vector<std::string>;

bool starts_with(const std::string& word, std::string_view prefix) {
  return word.rfind(prefix, 0) == 0;
}

bool is_one_of(const std::string& word, std::initializer_list<std::string_view> options) {
  return std::find(options.begin(), options.end(), word) != options.end();
}

const std::string& at(const Words& words, std::size_t i) {
  static const std::string k_none;
  return i < words.size() ? words[i] : k_none;
}

// "restraint" as a false friend: restraint of trade, restraining orders, passenger and
// vehicle restraint systems, prior/fiscal/judicial restraint, "restrained from" a trade.
bool is_false_friend_restraint(const Words& w, std::size_t i) {
  const std::string& prev = i > 0 ? w[i - 1] : at(w, w.size());
  const std::string& next = at(w, i + 1);
  const std::string& next2 = at(w, i + 2);
  if (next == "of" && (next2 == "trade" || next2 == "commerce")) return true;
  if (next == "on" && next2 == "alienation") return true;
  if (starts_with(w[i], "restraining") && starts_with(next, "order")) return true;
  if (w[i] == "restrained" && next == "from") return true;
  if (starts_with(next, "system") || next == "device" || next == "devices") {
    if (is_one_of(prev, {"passenger", "child", "occupant", "vehicle", "safety", "seat"})) {
      return true;
    }
  }
  return is_one_of(prev, {"passenger", "occupant", "vehicle", "fiscal", "prior", "judicial",
                          "budgetary", "self", "self-restraint", "properly"});
}

// Restraint/seclusion terms (§6, stage 1).
std::string rs_term_at(const Words& w, std::size_t i) {
  const std::string& word = w[i];
  if (starts_with(word, "restrain")) {
    return is_false_friend_restraint(w, i) ? std::string() : "restraint";
  }
  if (starts_with(word, "seclu")) {
    // "intrusion upon seclusion" is privacy law.
    if (i >= 2 && w[i - 1] == "upon" && w[i - 2] == "intrusion") return {};
    return "seclusion";
  }
  if (word == "isolation" || word == "isolated") return "isolation";
  if (word == "aversive" || word == "aversives") return "aversive";
  if ((word == "time-out" || word == "timeout") && (at(w, i + 1) == "room")) return "time-out room";
  if ((word == "prone" || word == "supine") && starts_with(at(w, i + 1), "restrain")) {
    return word + " restraint";
  }
  return {};
}

// Education context (§6, stage 2).
bool is_education_cue(const Words& w, std::size_t i) {
  const std::string& word = w[i];
  if (is_one_of(word, {"student", "students", "pupil", "pupils", "school", "schools", "classroom",
                       "classrooms", "teacher", "teachers", "iep", "ieps", "kindergarten",
                       "prekindergarten", "educational", "charter"})) {
    return true;
  }
  if (word == "education" || word == "educ") return true;
  if (word == "head" && at(w, i + 1) == "start") return true;
  for (std::string_view citation : {"28a.", "339.", "160.", "8vac20", "603"}) {
    if (starts_with(word, citation)) return true;
  }
  return false;
}

// Settings that use the same words for other people (§4).
bool is_negative_cue(const std::string& word) {
  return is_one_of(
      word, {"inmate",    "inmates",   "prisoner",   "prisoners", "prison",     "corrections",
             "detention", "jail",      "patient",    "patients",  "hospital",   "hospitals",
             "resident",  "residents", "nursing",    "officer",   "officers",   "police",
             "suspect",   "arrestee",  "dog",        "dogs",      "animal",     "animals",
             "tether",    "vehicle",   "vehicles",   "passenger", "passengers", "seat",
             "belt",      "belts",     "booster",    "schoolbus", "trade",      "commerce",
             "contract",  "contracts", "profession", "petition",  "enjoin",     "court",
             "juvenile",  "facility",  "facilities", "chokehold", "carotid"});
}

// Every term rs_term_at() finds contains one of these (in a lower-cased text).
bool may_hold_term(std::string_view lowered_paragraph) {
  for (std::string_view stem : {"restrain", "seclu", "isolat", "aversive", "time"}) {
    if (lowered_paragraph.find(stem) != std::string_view::npos) return true;
  }
  return false;
}

std::size_t count_cues(const Words& words, bool (*cue)(const Words&, std::size_t)) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < words.size(); ++i) n += cue(words, i) ? 1 : 0;
  return n;
}

}  // namespace

Relevance screen_relevance(std::string_view title, std::string_view text) {
  Relevance result;
  std::set<std::string> cues;
  Words title_words = words_of(title);
  std::size_t title_education = count_cues(title_words, is_education_cue);

  // Most paragraphs of a long bill hold no restraint/seclusion term at all: a cheap scan of
  // the lower-cased text skips tokenizing them (the previous paragraph is tokenized only
  // when a term needs its context).
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
  });
  std::string_view previous;
  for (std::string_view paragraph : paragraphs_of(lowered)) {
    if (!may_hold_term(paragraph)) {
      previous = paragraph;
      continue;
    }
    Words words = words_of(paragraph);
    std::vector<std::string> terms;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (std::string term = rs_term_at(words, i); !term.empty()) terms.push_back(term);
    }
    if (!terms.empty()) {
      std::size_t education = count_cues(words, is_education_cue) +
                              count_cues(words_of(previous), is_education_cue) + title_education;
      std::size_t negative =
          static_cast<std::size_t>(std::count_if(words.begin(), words.end(), is_negative_cue));
      if (education > 0 && education > negative) {
        result.score += 1.0;
        cues.insert(terms.begin(), terms.end());
      }
    }
    previous = paragraph;
  }
  result.relevant = result.score > 0;
  result.cues.assign(cues.begin(), cues.end());
  return result;
}

Relevance screen_topic(std::string_view title, std::string_view metadata,
                       const std::vector<std::string>& extra_terms) {
  Relevance relevance = screen_relevance(title, metadata);
  auto lower = [](std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  std::string haystack = lower(title) + "\n" + lower(metadata);
  for (const auto& term : extra_terms) {
    std::string needle = lower(term);
    if (!needle.empty() && haystack.find(needle) != std::string::npos) {
      relevance.relevant = true;
      relevance.cues.push_back(term);
    }
  }
  return relevance;
}

}  // namespace billwatch::analysis
