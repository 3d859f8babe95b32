#pragma once

#include <map>
#include <string>
#include <vector>

namespace billwatch::analysis {

// One labeled passage (a line of provisions/dev.jsonl).
struct LabeledPassage {
  std::string id;
  std::string text;
  bool relevant = false;
  std::vector<std::string> categories;
  std::string jurisdiction = {};  // "US-WA", "US-IA-local", "US-federal"
};

struct Counts {
  int true_positives = 0;
  int false_positives = 0;
  int false_negatives = 0;
  double precision() const;
  double recall() const;
  double f1() const;
};

struct EvaluationReport {
  int passages = 0;
  Counts relevance;
  Counts categories;  // micro: every (passage, category) decision
  std::map<std::string, Counts> per_category;
  // Passages where the analyzer disagreed, for the person tuning rules.
  std::vector<std::string> mistakes;
};

// Runs analyze_provisions on every passage and scores it against the labels, as
// docs/provision-taxonomy.md describes: relevance precision/recall, category micro
// precision/recall/F1 and per-category counts. Pure.
EvaluationReport evaluate(const std::vector<LabeledPassage>& passages);

// The same, per jurisdiction: a state's statutes, rules and its districts' policies
// ("US-IA" and "US-IA-local") count as one. Rules that fit one state's wording show as a
// spread between states.
std::map<std::string, EvaluationReport> evaluate_by_jurisdiction(
    const std::vector<LabeledPassage>& passages);

}  // namespace billwatch::analysis
