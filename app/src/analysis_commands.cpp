// `billwatch analyze` and `billwatch eval`: the provision analyzer on files, and its score
// on a labeled passage set.
#include <algorithm>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "billwatch/analysis/evaluation.hpp"
#include "billwatch/analysis/provisions.hpp"
#include "billwatch/core/escape.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "commands.hpp"

namespace billwatch::app::detail {

namespace {

using nlohmann::ordered_json;

// The normalized text of a bill file: HTML, Markdown or plain text by its extension or
// content, in any charset page_text reads.
Result<std::string> text_of_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Failure{"cannot read the file"};
  std::ostringstream bytes;
  bytes << in.rdbuf();
  auto page = crawler::page_to_text(bytes.str(), "", path);
  if (!page) return Failure{page.error()};
  return page.value().text;
}

ordered_json provision_json(const analysis::FoundProvision& p) {
  ordered_json j = {{"category", p.category}, {"section", p.section},
                    {"excerpt", p.excerpt},   {"start", p.start},
                    {"end", p.end},           {"exceptions", p.exceptions},
                    {"deadline", p.deadline}, {"confidence", p.confidence}};
  return j;
}

void print_changes(std::ostream& out, const std::vector<analysis::ProvisionChange>& changes,
                   bool json) {
  if (json) {
    ordered_json list = ordered_json::array();
    for (const auto& c : changes) {
      list.push_back({{"change", to_string(c.kind)},
                      {"category", c.category},
                      {"section", c.section},
                      {"old_excerpt", c.old_excerpt},
                      {"new_excerpt", c.new_excerpt}});
    }
    out << list.dump() << "\n";
    return;
  }
  if (changes.empty()) out << "no provision changed\n";
  for (const auto& c : changes) {
    out << to_string(c.kind) << " " << c.category << " in " << c.section << "\n";
    if (!c.old_excerpt.empty()) out << "  - " << utf8_truncate(c.old_excerpt, 240) << "\n";
    if (!c.new_excerpt.empty()) out << "  + " << utf8_truncate(c.new_excerpt, 240) << "\n";
  }
}

}  // namespace

int cmd_analyze(const Options& options, std::ostream& out, std::ostream& err) {
  if (options.diff) {
    if (options.files.size() != 2) throw UsageError("analyze --diff takes two files: OLD NEW");
    std::vector<analysis::ProvisionAnalysis> results;
    for (const auto& file : options.files) {
      auto text = text_of_file(file);
      if (!text) {
        err << "billwatch: " << file << ": " << text.error() << "\n";
        return 1;
      }
      results.push_back(analysis::analyze_provisions(text.value()));
    }
    print_changes(out, analysis::diff_provisions(results[0].provisions, results[1].provisions),
                  options.json);
    return 0;
  }
  int status = 0;
  for (const auto& file : options.files) {
    auto text = text_of_file(file);
    if (!text) {
      // One unreadable file does not stop the others.
      err << "billwatch: " << file << ": " << text.error() << "\n";
      status = 1;
      continue;
    }
    auto result = analysis::analyze_provisions(text.value());
    if (options.json) {
      ordered_json provisions = ordered_json::array();
      for (const auto& p : result.provisions) provisions.push_back(provision_json(p));
      out << ordered_json{{"file", file},
                          {"relevant", result.relevant},
                          {"score", result.score},
                          {"provisions", provisions}}
                 .dump()
          << "\n";
      continue;
    }
    out << file << ": " << (result.relevant ? "relevant" : "not relevant") << ", "
        << result.provisions.size() << " provision(s)\n";
    for (const auto& p : result.provisions) {
      out << "  " << std::left << std::setw(24) << p.category << " " << std::setw(18) << p.section
          << (p.exceptions ? " [exceptions]" : "")
          << (p.deadline.empty() ? "" : " [deadline: " + p.deadline + "]") << "\n    "
          << utf8_truncate(p.excerpt, 200) << "\n";
    }
  }
  return status;
}

int cmd_eval(const Options& options, std::ostream& out, std::ostream&) {
  // Several files are scored together (pooled): dev.jsonl and dev2.jsonl as one set.
  std::vector<analysis::LabeledPassage> passages;
  for (const auto& file : options.files) {
    std::ifstream in(file);
    if (!in) throw UsageError("cannot read " + file);
    std::string line;
    int number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      try {
        auto j = nlohmann::json::parse(line);
        passages.push_back(analysis::LabeledPassage{
            j.at("id").get<std::string>(), j.at("text").get<std::string>(),
            j.at("relevant").get<bool>(), j.at("categories").get<std::vector<std::string>>(),
            j.value("jurisdiction", "")});
      } catch (const nlohmann::json::exception& e) {
        throw UsageError(file + ":" + std::to_string(number) + ": " + e.what());
      }
    }
  }
  auto report = analysis::evaluate(passages);
  auto fmt = [](double v) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(3) << v;
    return s.str();
  };
  if (options.json) {
    ordered_json per = ordered_json::object();
    for (const auto& [category, c] : report.per_category) {
      per[category] = {{"tp", c.true_positives},
                       {"fp", c.false_positives},
                       {"fn", c.false_negatives},
                       {"f1", c.f1()}};
    }
    ordered_json result{{"passages", report.passages},
                        {"relevance_precision", report.relevance.precision()},
                        {"relevance_recall", report.relevance.recall()},
                        {"category_precision", report.categories.precision()},
                        {"category_recall", report.categories.recall()},
                        {"category_f1", report.categories.f1()},
                        {"per_category", per},
                        {"mistakes", report.mistakes}};
    if (options.by_jurisdiction) {
      ordered_json by = ordered_json::object();
      for (const auto& [jurisdiction, r] : analysis::evaluate_by_jurisdiction(passages)) {
        by[jurisdiction] = {{"passages", r.passages},
                            {"relevance_precision", r.relevance.precision()},
                            {"relevance_recall", r.relevance.recall()},
                            {"category_f1", r.categories.f1()}};
      }
      result["by_jurisdiction"] = by;
    }
    out << result.dump(2) << "\n";
    return 0;
  }
  out << report.passages << " passages\n"
      << "relevance: precision " << fmt(report.relevance.precision()) << ", recall "
      << fmt(report.relevance.recall()) << "\n"
      << "categories (micro): precision " << fmt(report.categories.precision()) << ", recall "
      << fmt(report.categories.recall()) << ", F1 " << fmt(report.categories.f1()) << "\n\n"
      << "| category | TP | FP | FN | precision | recall | F1 "
         "|\n|---|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& category : analysis::provision_categories()) {
    const auto& c = report.per_category.at(category);
    out << "| " << category << " | " << c.true_positives << " | " << c.false_positives << " | "
        << c.false_negatives << " | " << fmt(c.precision()) << " | " << fmt(c.recall()) << " | "
        << fmt(c.f1()) << " |\n";
  }
  if (options.by_jurisdiction) {
    // Rules that fit one state's wording show here as a spread between jurisdictions.
    auto by = analysis::evaluate_by_jurisdiction(passages);
    double lowest = 1;
    double highest = 0;
    out << "\n| jurisdiction | passages | relevance P | relevance R | category F1 |\n"
           "|---|---:|---:|---:|---:|\n";
    for (const auto& [jurisdiction, r] : by) {
      out << "| " << jurisdiction << " | " << r.passages << " | " << fmt(r.relevance.precision())
          << " | " << fmt(r.relevance.recall()) << " | " << fmt(r.categories.f1()) << " |\n";
      if (r.categories.true_positives + r.categories.false_negatives > 0) {
        lowest = std::min(lowest, r.categories.f1());
        highest = std::max(highest, r.categories.f1());
      }
    }
    out << "spread of category F1 across " << by.size() << " jurisdictions: " << fmt(lowest)
        << " to " << fmt(highest) << "\n";
  }
  if (options.verbose && !report.mistakes.empty()) {
    out << "\nmistakes:\n";
    for (const auto& m : report.mistakes) out << "  " << m << "\n";
  }
  return 0;
}

}  // namespace billwatch::app::detail
