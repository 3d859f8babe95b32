#include "billwatch/analysis/relevance.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "billwatch/analysis/categories.hpp"
#include "billwatch/analysis/provisions.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "files.hpp"

namespace billwatch::analysis {
namespace {

Relevance screen_fixture(const std::string& relative) {
  std::string text = crawler::normalize_text(test::read_fixture(relative));
  return screen_relevance("", text);
}

TEST(RelevanceTest, WashingtonRestraintBillIsRelevantInBothVersions) {
  for (const char* file : {"states/wa_2025-26_HB1795_text_1_original.md",
                           "states/wa_2025-26_HB1795_text_S_substitute.md"}) {
    Relevance r = screen_fixture(file);
    EXPECT_TRUE(r.relevant) << file;
    EXPECT_GE(r.score, 3) << file;
    EXPECT_NE(std::find(r.cues.begin(), r.cues.end(), "restraint"), r.cues.end()) << file;
  }
}

TEST(RelevanceTest, WyomingDisciplineBillMentioningSeclusionIsRelevant) {
  EXPECT_TRUE(screen_fixture("states/wy_2026_HB0065_Introduced_extracted.txt").relevant);
}

TEST(RelevanceTest, RestraintOfTradeIsNotRelevant) {
  Relevance r = screen_fixture("states/az_2016_HB2215_text_restraint_of_trade_negative.txt");
  EXPECT_FALSE(r.relevant);
  EXPECT_EQ(r.score, 0);
}

TEST(RelevanceTest, FalseFriendsInSchoolishWording) {
  EXPECT_FALSE(screen_relevance("",
                                "A pupil riding a schoolbus shall be properly restrained by "
                                "a passenger restraint system, including a seat belt.")
                   .relevant);
  EXPECT_FALSE(screen_relevance("",
                                "The court may issue a restraining order to protect the "
                                "student and the student's family.")
                   .relevant);
  EXPECT_FALSE(screen_relevance("",
                                "Student journalists are protected from prior restraint "
                                "of school publications.")
                   .relevant);
  EXPECT_TRUE(screen_relevance("",
                               "No student shall be subjected to seclusion or prone "
                               "restraint by school personnel.")
                  .relevant);
}

TEST(RelevanceTest, TitleGivesContextToDefinitions) {
  std::string text = "\"Seclusion\" means the involuntary confinement of a person alone.";
  EXPECT_FALSE(screen_relevance("", text).relevant);
  EXPECT_TRUE(screen_relevance("Restraint and seclusion in public schools", text).relevant);
}

// A sanity floor on the labeled passages of the provision taxonomy (tests/fixtures/
// provisions). The screen is a first cut; the provision analyzer raises the bar.
TEST(RelevanceTest, LabeledPassagesSanityFloor) {
  std::istringstream lines(test::read_fixture("provisions/dev.jsonl"));
  std::string line;
  int tp = 0, fp = 0, fn = 0, tn = 0;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    auto row = nlohmann::json::parse(line);
    bool predicted = screen_relevance("", row.at("text").get<std::string>()).relevant;
    bool gold = row.at("relevant").get<bool>();
    (gold ? (predicted ? tp : fn) : (predicted ? fp : tn)) += 1;
  }
  double precision = tp / double(tp + fp);
  double recall = tp / double(tp + fn);
  RecordProperty("precision", std::to_string(precision));
  RecordProperty("recall", std::to_string(recall));
  EXPECT_EQ(tp + fp + fn + tn, 62);
  EXPECT_GE(precision, 0.95) << "tp=" << tp << " fp=" << fp << " fn=" << fn;
  EXPECT_GE(recall, 0.90) << "tp=" << tp << " fp=" << fp << " fn=" << fn;
}

}  // namespace
}  // namespace billwatch::analysis

namespace billwatch::analysis {
namespace {

TEST(TopicTest, MetadataOnTopicByTheScreenOrByAnExtraPhrase) {
  // A KASSA-like summary speaks of seclusion and restraint in schools.
  Relevance kassa = screen_topic(
      "Keeping All Students Safe Act",
      "This bill prohibits any school that receives federal education funds from using "
      "seclusion, mechanical restraint, chemical restraint, or prone restraint on students.",
      {});
  EXPECT_TRUE(kassa.relevant);
  // Its title alone says nothing of restraint: the phrase list catches it.
  EXPECT_FALSE(screen_topic("Keeping All Students Safe Act", "Education", {}).relevant);
  Relevance by_phrase =
      screen_topic("Keeping All Students Safe Act", "Education", {"keeping all students SAFE"});
  EXPECT_TRUE(by_phrase.relevant);
  EXPECT_EQ(by_phrase.cues.back(), "keeping all students SAFE");
  // False friends stay out.
  EXPECT_FALSE(screen_topic("Child Passenger Safety Act",
                            "Requires child passenger restraint systems in vehicles.", {})
                   .relevant);
}

}  // namespace
}  // namespace billwatch::analysis

namespace billwatch::analysis {
namespace {

// The plain words for each category are written once and cover exactly the taxonomy.
TEST(CategoryCatalogueTest, NamesEveryCategoryOnceInTaxonomyOrder) {
  const auto& catalogue = category_catalogue();
  ASSERT_EQ(catalogue.size(), provision_categories().size());
  for (std::size_t i = 0; i < catalogue.size(); ++i) {
    EXPECT_EQ(catalogue[i].id, provision_categories()[i]);
    EXPECT_FALSE(catalogue[i].name.empty());
    EXPECT_EQ(catalogue[i].description.back(), '.') << catalogue[i].id;
    EXPECT_EQ(category_info(catalogue[i].id), &catalogue[i]);
    EXPECT_EQ(catalogue[i].permits, catalogue[i].id == "permissive_use");
  }
  EXPECT_EQ(category_info("prone_ban"), nullptr);
}

}  // namespace
}  // namespace billwatch::analysis
