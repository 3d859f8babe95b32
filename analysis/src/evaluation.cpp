#include "billwatch/analysis/evaluation.hpp"

#include <algorithm>
#include <set>

#include "billwatch/analysis/provisions.hpp"

namespace billwatch::analysis {

namespace {
double ratio(int a, int b) {
  return b == 0 ? 1.0 : static_cast<double>(a) / static_cast<double>(b);
}
}  // namespace

double Counts::precision() const {
  return ratio(true_positives, true_positives + false_positives);
}
double Counts::recall() const {
  return ratio(true_positives, true_positives + false_negatives);
}
double Counts::f1() const {
  double p = precision();
  double r = recall();
  return p + r == 0 ? 0 : 2 * p * r / (p + r);
}

EvaluationReport evaluate(const std::vector<LabeledPassage>& passages) {
  EvaluationReport report;
  for (const auto& category : provision_categories()) report.per_category[category];
  for (const auto& passage : passages) {
    ++report.passages;
    ProvisionAnalysis analysis = analyze_provisions(passage.text);
    if (analysis.relevant && passage.relevant) ++report.relevance.true_positives;
    if (analysis.relevant && !passage.relevant) ++report.relevance.false_positives;
    if (!analysis.relevant && passage.relevant) ++report.relevance.false_negatives;
    std::vector<std::string> found = analysis.categories();
    std::set<std::string> predicted(found.begin(), found.end());
    std::set<std::string> expected(passage.categories.begin(), passage.categories.end());
    std::string mistake;
    for (const auto& c : predicted) {
      Counts& counts = report.per_category[c];
      if (expected.count(c)) {
        ++counts.true_positives;
        ++report.categories.true_positives;
      } else {
        ++counts.false_positives;
        ++report.categories.false_positives;
        mistake += " +" + c;
      }
    }
    for (const auto& c : expected) {
      if (predicted.count(c)) continue;
      ++report.per_category[c].false_negatives;
      ++report.categories.false_negatives;
      mistake += " -" + c;
    }
    if (analysis.relevant != passage.relevant) {
      mistake = std::string(analysis.relevant ? " relevant (labeled not)"
                                              : " not relevant (labeled relevant)") +
                mistake;
    }
    if (!mistake.empty()) report.mistakes.push_back(passage.id + ":" + mistake);
  }
  return report;
}

std::map<std::string, EvaluationReport> evaluate_by_jurisdiction(
    const std::vector<LabeledPassage>& passages) {
  std::map<std::string, std::vector<LabeledPassage>> groups;
  for (const auto& p : passages) {
    std::string key = p.jurisdiction.empty() ? "unknown" : p.jurisdiction;
    if (key.size() > 6 && key.substr(key.size() - 6) == "-local") key.resize(key.size() - 6);
    groups[key].push_back(p);
  }
  std::map<std::string, EvaluationReport> out;
  for (const auto& [jurisdiction, group] : groups) out[jurisdiction] = evaluate(group);
  return out;
}

}  // namespace billwatch::analysis
