// The provision analyzer on the labeled passages and on whole real bills.
#include "billwatch/analysis/provisions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>

#include "billwatch/analysis/evaluation.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/crawler/print_layout.hpp"
#include "files.hpp"

namespace billwatch::analysis {
namespace {

std::vector<LabeledPassage> dev_set(const std::string& file = "provisions/dev.jsonl") {
  std::vector<LabeledPassage> passages;
  std::ifstream in(test::fixture_path(file));
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line);
    passages.push_back(
        {j["id"], j["text"], j["relevant"], j["categories"], j.value("jurisdiction", "")});
  }
  return passages;
}

std::string bill_text(const std::string& fixture) {
  auto page = crawler::page_to_text(test::read_fixture(fixture), "", fixture);
  EXPECT_TRUE(page) << fixture << ": " << page.error();
  return page ? page.value().text : "";
}

bool has_category(const ProvisionAnalysis& a, const std::string& category,
                  const std::string& section_prefix = "") {
  return std::any_of(a.provisions.begin(), a.provisions.end(), [&](const FoundProvision& p) {
    return p.category == category && p.section.rfind(section_prefix, 0) == 0;
  });
}

// Both labeled sets together, the second from states the rules were not written against:
// the targets of the analyzer issue (relevance precision 0.97, recall 0.95, category
// micro-F1 0.92).
TEST(ProvisionEvalTest, PooledSetsDoNotRegress) {
  auto passages = dev_set();
  auto more = dev_set("provisions/dev2.jsonl");
  passages.insert(passages.end(), more.begin(), more.end());
  ASSERT_EQ(passages.size(), 154u);
  EvaluationReport report = evaluate(passages);
  EXPECT_GE(report.relevance.precision(), 0.97);
  EXPECT_GE(report.relevance.recall(), 0.95);
  EXPECT_GE(report.categories.f1(), 0.92);
  for (const auto& mistake : report.mistakes) std::cout << "  " << mistake << "\n";
}

TEST(ProvisionEvalTest, DevSetMeetsTheFloors) {
  auto passages = dev_set();
  ASSERT_EQ(passages.size(), 62u);
  EvaluationReport report = evaluate(passages);
  EXPECT_GE(report.relevance.precision(), 0.97);
  EXPECT_GE(report.relevance.recall(), 0.95);
  EXPECT_GE(report.categories.f1(), 0.95);
  for (const auto& mistake : report.mistakes) std::cout << "  " << mistake << "\n";
}

TEST(SectionsTest, CitationPathsFollowTheNumberingStyle) {
  std::string text =
      "Sec. 3. Restraint. (1) Staff shall not use prone restraint. (a) Except as follows: "
      "(i) in an emergency; (ii) with a parent present. (b) Other.\n"
      "Sec. 4. (a) First. (1) Nested. (A) Deeper.\n"
      "\xC2\xA7 101. Scope. (b) Coverage. (1) Students.";
  std::vector<std::string> paths;
  for (const auto& s : split_sections(text)) paths.push_back(s.path);
  std::vector<std::string> expected = {
      "Sec. 3",       "Sec. 3(1)",       "Sec. 3(1)(a)",      "Sec. 3(1)(a)(i)", "Sec. 3(1)(a)(ii)",
      "Sec. 3(1)(b)", "Sec. 4",          "Sec. 4(a)",         "Sec. 4(a)(1)",    "Sec. 4(a)(1)(A)",
      "\xC2\xA7 101", "\xC2\xA7 101(b)", "\xC2\xA7 101(b)(1)"};
  EXPECT_EQ(paths, expected);
}

TEST(ProvisionsTest, BansExceptionsAndDeadlines) {
  auto a = analyze_provisions(
      "(1) A school district shall not use seclusion on any student, except in an emergency. "
      "(2) The principal shall notify the student's parent of any use of physical restraint "
      "within 24 hours of the incident.");
  ASSERT_TRUE(a.relevant);
  ASSERT_TRUE(has_category(a, "seclusion_ban", "(1)"));
  ASSERT_TRUE(has_category(a, "parent_notification", "(2)"));
  for (const auto& p : a.provisions) {
    if (p.category == "seclusion_ban") {
      EXPECT_TRUE(p.exceptions);
    }
    if (p.category == "parent_notification") {
      EXPECT_EQ(p.deadline, "within 24 hours");
    }
  }
  const auto& first = a.provisions.front();
  EXPECT_EQ(std::string_view("(1) A school district shall not use seclusion on any student, "
                             "except in an emergency.")
                .substr(0, first.end - first.start),
            first.excerpt);
}

TEST(ProvisionsTest, WashingtonHb1795OriginalAndSubstitute) {
  auto original = analyze_provisions(bill_text("states/wa_2025-26_HB1795_text_1_original.md"));
  auto substitute = analyze_provisions(bill_text("states/wa_2025-26_HB1795_text_S_substitute.md"));
  ASSERT_TRUE(original.relevant);
  ASSERT_TRUE(substitute.relevant);
  // The Original: prohibited practices listed in section 3 (RCW 28A.600.485(2)), the phased
  // ban on isolating young students, notices, reports, reviews, training and data.
  EXPECT_TRUE(has_category(original, "chemical_restraint_ban", "Sec. 3"));
  EXPECT_TRUE(has_category(original, "mechanical_restraint_ban", "Sec. 3"));
  EXPECT_TRUE(has_category(original, "prone_restraint_ban", "Sec. 3"));
  EXPECT_TRUE(has_category(original, "aversive_ban", "Sec. 3"));
  EXPECT_TRUE(has_category(original, "seclusion_ban"));
  EXPECT_TRUE(has_category(original, "seclusion_conditions"));
  EXPECT_TRUE(has_category(original, "definition", "Sec. 2"));
  for (const char* c : {"parent_notification", "incident_reporting", "debriefing", "data_reporting",
                        "staff_training", "use_conditions"}) {
    EXPECT_TRUE(has_category(original, c)) << c;
  }
  EXPECT_FALSE(has_category(original, "permissive_use"));
  // Section 1 states the purposes of the act: relevant, but it establishes nothing.
  EXPECT_FALSE(has_category(original, "chemical_restraint_ban", "Sec. 1"));
  // The Substitute: bans kept in one list, definitions, notices, and restraint that an
  // IEP may now plan for.
  EXPECT_TRUE(has_category(substitute, "permissive_use", "Sec. 2"));
  EXPECT_TRUE(has_category(substitute, "mechanical_restraint_ban", "Sec. 2"));
  EXPECT_TRUE(has_category(substitute, "parent_notification", "Sec. 2"));
  EXPECT_FALSE(has_category(substitute, "seclusion_ban"));
  EXPECT_FALSE(has_category(substitute, "staff_training"));
  // Its annual summary of incident reports to OSPI, and OSPI publishing the data.
  EXPECT_TRUE(has_category(substitute, "data_reporting", "Sec. 2"));

  auto changes = diff_provisions(original.provisions, substitute.provisions);
  auto change = [&](ProvisionChange::Kind kind, const std::string& category) {
    return std::any_of(changes.begin(), changes.end(), [&](const ProvisionChange& c) {
      return c.kind == kind && c.category == category;
    });
  };
  // "The Substitute dropped the ban on isolation and now permits restraint in an IEP."
  EXPECT_TRUE(change(ProvisionChange::Kind::Removed, "seclusion_ban"));
  EXPECT_TRUE(change(ProvisionChange::Kind::Added, "permissive_use"));
  EXPECT_TRUE(change(ProvisionChange::Kind::Removed, "aversive_ban"));
  EXPECT_TRUE(change(ProvisionChange::Kind::Removed, "staff_training"));
  EXPECT_TRUE(change(ProvisionChange::Kind::Changed, "definition"))
      << "the definition of isolation was reworded";
  EXPECT_TRUE(diff_provisions(original.provisions, original.provisions).empty());
}

TEST(ProvisionsTest, PrintedBillTextIsCleanedAndPassingMentionsAreNotProvisions) {
  std::string raw = test::read_fixture("states/wy_2026_HB0065_Introduced_extracted.txt");
  std::string text = crawler::remove_print_layout(raw);
  EXPECT_EQ(text.find("\n1 AN ACT"), std::string::npos) << "line numbers are gone";
  EXPECT_NE(text.find("AN ACT relating to K-12 public school discipline; requiring school district "
                      "board of trustees"),
            std::string::npos)
      << "lines of a paragraph are joined";
  EXPECT_EQ(text.find("HB0065\n"), std::string::npos) << "running headers are gone";
  auto a = analyze_provisions(text);
  EXPECT_TRUE(a.relevant) << "it mentions seclusion and restraint rules for schools";
  EXPECT_TRUE(a.provisions.empty())
      << a.provisions.front().category << ": " << a.provisions.front().excerpt;
  EXPECT_EQ(crawler::remove_print_layout("Sec. 1. No line numbers here.\n\nNone."),
            "Sec. 1. No line numbers here.\n\nNone.");
}

TEST(ProvisionsTest, ThePdfOfWyomingHb0065ReadsLikeItsExtractedText) {
  auto pdf = bill_text("states/pdf/wy_2026_HB0065_Introduced.pdf");
  EXPECT_NE(pdf.find("AN ACT relating to K-12 public school discipline; requiring school "
                     "district board of trustees"),
            std::string::npos)
      << pdf.substr(0, 400);
  auto a = analyze_provisions(pdf);
  EXPECT_TRUE(a.relevant);
  EXPECT_TRUE(a.provisions.empty());
  auto phones = analyze_provisions(bill_text("states/pdf/wy_2026_SF0035_Introduced.pdf"));
  EXPECT_FALSE(phones.relevant) << "a school bill about phones, not restraint";
}

TEST(ProvisionsTest, FalseFriendsAndOffTopicBillsHaveNoProvisions) {
  for (const char* fixture :
       {"states/az_2016_HB2215_text_restraint_of_trade_negative.txt",
        "states/az_2016_HB2001_text.txt", "federal/BILLS-119hr9025ih.html",
        "federal/bill-text/BILLS-115hr806rfs.xml", "federal/bill-text/S1000_IS.XML"}) {
    auto a = analyze_provisions(bill_text(fixture));
    EXPECT_FALSE(a.relevant) << fixture;
    EXPECT_TRUE(a.provisions.empty()) << fixture;
  }
  for (const char* fixture : {"states/al_2025_SB16_openstates_scrape_v1.json",
                              "states/al_2025_HB18_openstates_scrape.json"}) {
    auto bill = nlohmann::json::parse(test::read_fixture(fixture));
    auto a = analyze_provisions(bill["title"].get<std::string>());
    EXPECT_FALSE(a.relevant) << bill["title"];
  }
}

}  // namespace
}  // namespace billwatch::analysis
