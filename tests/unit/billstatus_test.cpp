// govinfo BILLSTATUS parsing on the real files of every format generation.
#include "billwatch/sources/congress/billstatus.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "files.hpp"

namespace billwatch::sources {
namespace {

BillStatus parsed(const std::string& name) {
  auto status = parse_billstatus(test::read_fixture("federal/billstatus/" + name));
  EXPECT_TRUE(status) << name << ": " << status.error();
  return status ? status.value() : BillStatus{};
}

TEST(BillStatusTest, TheSameBillInFormats1And3ReadsTheSame) {
  BillStatus v1 = parsed("BILLSTATUS-117s35.v1-2022-02-18.xml");
  BillStatus v3 = parsed("BILLSTATUS-117s35.v3-2022-09-07.xml");
  for (const BillStatus* s : {&v1, &v3}) {
    EXPECT_EQ(s->bill.id, "US-117-S-35");
    EXPECT_EQ(s->bill.identifier, "S. 35");
    EXPECT_EQ(s->bill.title, "Officer Eugene Goodman Congressional Gold Medal Act");
    EXPECT_EQ(s->congress, 117);
    EXPECT_EQ(s->introduced_date, "2021-01-22");
    ASSERT_EQ(s->actions.size(), 10u);
    // The bill's own latest action, not a related bill's or an amendment's.
    EXPECT_EQ(s->latest_action.date, "2021-02-18");
    EXPECT_EQ(s->latest_action.text, "Held at the desk.");
    EXPECT_EQ(s->actions.back().text, "Held at the desk.");
    EXPECT_EQ(s->stage, stage::k_passed_one_chamber) << "passed the Senate, held at the House desk";
  }
  for (std::size_t i = 0; i < v1.actions.size(); ++i) {
    EXPECT_EQ(v1.actions[i].date, v3.actions[i].date) << i;
    EXPECT_EQ(v1.actions[i].text, v3.actions[i].text) << i;
  }
  EXPECT_NE(v1.update_date, v3.update_date) << "only the format and updateDate changed";
  for (const auto& version : v3.text_versions) EXPECT_FALSE(version.type.empty());
}

TEST(BillStatusTest, ANewActionIsSeenAcrossFormatsOfAFourMegabyteFile) {
  BillStatus before = parsed("BILLSTATUS-117hr4350.v1-2021-12-16.xml");
  BillStatus draft = parsed("BILLSTATUS-117hr4350.draft-2022-07-21.xml");
  BillStatus after = parsed("BILLSTATUS-117hr4350.v3-2022-10-21.xml");
  EXPECT_EQ(before.bill.id, "US-117-HR-4350");
  EXPECT_EQ(before.bill.sponsor, "Rep. Smith, Adam [D-WA-9]") << "sponsors/item/fullName";
  EXPECT_EQ(before.actions.size(), 122u);
  EXPECT_EQ(draft.actions.size(), 123u);
  EXPECT_EQ(after.actions.size(), 123u);
  EXPECT_EQ(after.latest_action.date, "2022-03-01");
  EXPECT_EQ(after.actions.back().text, "Returned to the Calendar. Calendar No. 144.");
  EXPECT_EQ(after.actions.back().chamber, "Senate");
  EXPECT_EQ(after.actions.back().type, "Floor");
  EXPECT_EQ(after.actions.back().code, "") << "Senate actions may have no code (T3)";
  EXPECT_EQ(after.actions.front().date, "2021-07-02");
  EXPECT_TRUE(std::any_of(after.actions.begin(), after.actions.end(), [](const Action& a) {
    return a.code == "1000" && a.type == "IntroReferral";
  })) << "code and type kept beside the stage";
  EXPECT_EQ(after.stage, stage::k_passed_one_chamber);
}

TEST(BillStatusTest, TitlesSubjectsAndTheLatestSummaryInEveryFormat) {
  for (const char* name :
       {"BILLSTATUS-117s35.v1-2022-02-18.xml", "BILLSTATUS-117s35.v3-2022-09-07.xml"}) {
    BillStatus s = parsed(name);
    ASSERT_FALSE(s.titles.empty()) << name;
    EXPECT_EQ(s.titles[0], "Officer Eugene Goodman Congressional Gold Medal Act") << name;
    EXPECT_EQ(std::count(s.titles.begin(), s.titles.end(), s.titles[0]), 1) << "each once";
    // The latest of the two summaries (Passed Senate), without its HTML tags.
    EXPECT_NE(s.summary.find("Eugene Goodman"), std::string::npos) << name;
    EXPECT_EQ(s.summary.find("<p>"), std::string::npos) << name;
  }
  BillStatus legacy = parsed("BILLSTATUS-114s1300.legacy.xml");
  EXPECT_NE(legacy.summary.find("immigrant visa"), std::string::npos);
  EXPECT_FALSE(legacy.titles.empty());
}

TEST(BillStatusTest, EachActionCarriesTheStageItMovedTheBillTo) {
  BillStatus law = parsed("BILLSTATUS-114s1300.legacy.xml");
  std::vector<Stage> moves;
  for (const auto& a : law.actions) {
    if (a.stage != Stage::none) moves.push_back(a.stage);
  }
  // Each stage once, in order: the latest action with a stage is the bill's stage.
  ASSERT_FALSE(moves.empty());
  EXPECT_EQ(moves.front(), stage::k_introduced);
  EXPECT_EQ(moves.back(), stage::k_enacted);
  EXPECT_NE(std::find(moves.begin(), moves.end(), stage::k_passed_both_chambers), moves.end());
  EXPECT_EQ(std::set<Stage>(moves.begin(), moves.end()).size(), moves.size());

  std::vector<Action> actions = {
      {"2025-01-03", "House", "Introduced in House", stage::k_introduced},
      {"2025-02-01", "House", "Passed House", stage::k_passed_one_chamber},
      {"2025-02-02", "Senate", "Read twice and referred to the Committee", stage::k_in_committee},
      {"2025-03-01", "Senate", "Passed Senate without amendment", stage::k_passed_one_chamber}};
  keep_stage_moves(actions);
  EXPECT_EQ(actions[1].stage, stage::k_passed_one_chamber);
  EXPECT_EQ(actions[2].stage, Stage::none) << "a referral in the second chamber moves nothing";
  EXPECT_EQ(actions[3].stage, stage::k_passed_both_chambers);
}

TEST(BillStatusTest, LegacyFormatAndALaw) {
  BillStatus law = parsed("BILLSTATUS-114s1300.legacy.xml");
  EXPECT_EQ(law.bill.id, "US-114-S-1300");
  EXPECT_EQ(law.actions.size(), 25u);
  EXPECT_EQ(law.stage, stage::k_enacted);
  ASSERT_EQ(law.laws.size(), 1u);
  EXPECT_EQ(law.laws[0], "Public Law 114-70");
  EXPECT_EQ(law.latest_action.text, "Became Public Law No: 114-70.");
}

TEST(BillStatusTest, TextVersionsStagesAndTypes) {
  BillStatus presented = parsed("DEV-BILLSTATUS-115s3509.xml");
  EXPECT_EQ(presented.stage, stage::k_to_executive);
  ASSERT_EQ(presented.text_versions.size(), 3u);
  EXPECT_EQ(presented.text_versions[0].type, "Enrolled Bill");
  EXPECT_EQ(presented.text_versions[0].date, "");
  EXPECT_EQ(presented.text_versions[0].url,
            "https://www.govinfo.gov/content/pkg/BILLS-115s3509enr/xml/BILLS-115s3509enr.xml");
  EXPECT_EQ(presented.text_versions[1].date, "2018-09-26");

  BillStatus referred = parsed("BILLSTATUS-117hr6658.v3-2022-11-17.xml");
  EXPECT_EQ(referred.bill.identifier, "H.R. 6658");
  EXPECT_EQ(referred.stage, stage::k_in_committee);
  BillStatus help = parsed("BILLSTATUS-116s2902.v1-2019-12-03.xml");
  EXPECT_EQ(help.stage, stage::k_in_committee);
  ASSERT_FALSE(help.committees.empty());
  EXPECT_NE(help.committees[0].find("Health, Education, Labor, and Pensions"), std::string::npos);
  BillStatus resolution = parsed("BILLSTATUS-117sconres7.v3-2022-09-07.xml");
  EXPECT_EQ(resolution.bill.id, "US-117-SCONRES-7");
  EXPECT_EQ(resolution.bill.identifier, "S.Con.Res. 7");
}

TEST(BillStatusTest, BrokenFilesAreClearErrors) {
  auto html = parse_billstatus("<html><body><h1>503 Service Unavailable</h1></body></html>");
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error(), "not a BILLSTATUS document (its root element is <html>)");
  std::string file = test::read_fixture("federal/billstatus/BILLSTATUS-117s35.v3-2022-09-07.xml");
  auto truncated = parse_billstatus(std::string_view(file).substr(0, file.size() / 2));
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().rfind("not well-formed XML: ", 0), 0u) << truncated.error();
  auto garbage = parse_billstatus("{\"not\": \"xml\"}");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().rfind("not well-formed XML", 0), 0u) << garbage.error();
}

TEST(BillStatusTest, DeepAndHugeXmlStopWithAClearError) {
  // 100,000 nested elements: parsed without recursion, then refused by depth.
  std::string deep = "<billStatus>";
  for (int i = 0; i < 100000; ++i) deep += "<a>";
  for (int i = 0; i < 100000; ++i) deep += "</a>";
  deep += "</billStatus>";
  auto nested = parse_billstatus(deep);
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error(), "XML nesting is deeper than 256 elements; not read");
  auto sitemap = parse_sitemap(deep);
  ASSERT_FALSE(sitemap);
  EXPECT_EQ(sitemap.error(), "XML nesting is deeper than 256 elements; not read");
  // A real file nests far less: it still reads.
  EXPECT_TRUE(parse_billstatus(
      test::read_fixture("federal/billstatus/BILLSTATUS-117s35.v3-2022-09-07.xml")));
  // Over 64 MiB is not even parsed.
  std::string huge = "<billStatus>" + std::string(65u << 20, ' ') + "</billStatus>";
  auto big = parse_billstatus(huge);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error(), "XML document of 68157465 bytes is larger than 64 MiB; not read");
}

TEST(BillStatusTest, ActionsAreInDateAndTimeOrder) {
  BillStatus s = parsed("BILLSTATUS-117s35.v3-2022-09-07.xml");
  for (std::size_t i = 1; i < s.actions.size(); ++i) {
    EXPECT_LE(s.actions[i - 1].date, s.actions[i].date) << i;
  }
  // Same day, 12:33:13 before 12:34:00.
  EXPECT_EQ(s.actions[s.actions.size() - 2].text, "Received in the House.");
}

// The sitemap below is constructed (no copy of a real govinfo sitemap was found); it
// follows the sitemaps.org schema govinfo uses: <url><loc>/<lastmod> per BILLSTATUS file.
TEST(SitemapTest, EntriesOfASitemapAndAnIndex) {
  auto sitemap = parse_sitemap(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
      "<url><loc>https://www.govinfo.gov/bulkdata/BILLSTATUS/117/s/BILLSTATUS-117s35.xml</loc>"
      "<lastmod>2022-09-07T13:36:03.000Z</lastmod></url>"
      "<url><loc>https://www.govinfo.gov/bulkdata/BILLSTATUS/117/s/BILLSTATUS-117s36.xml</loc>"
      "</url><url><lastmod>2022-01-01</lastmod></url></urlset>");
  ASSERT_TRUE(sitemap) << sitemap.error();
  ASSERT_EQ(sitemap.value().size(), 2u) << "an entry without <loc> is no entry";
  EXPECT_EQ(sitemap.value()[0].lastmod, "2022-09-07T13:36:03.000Z");
  EXPECT_EQ(sitemap.value()[1].lastmod, "");
  auto index = parse_sitemap(
      "<sitemapindex><sitemap><loc>https://www.govinfo.gov/sitemap/bulkdata/BILLSTATUS/117s/"
      "sitemap.xml</loc><lastmod>2022-09-07</lastmod></sitemap></sitemapindex>");
  ASSERT_TRUE(index);
  EXPECT_EQ(index.value().size(), 1u);
  auto html = parse_sitemap("<html><body>Service Unavailable</body></html>");
  ASSERT_FALSE(html);
  EXPECT_EQ(html.error(), "not a sitemap (its root element is <html>)");
}

TEST(BillStatusTest, FederalStageNeedsBothChambersForPassedBoth) {
  std::vector<Action> actions = {
      {"2025-01-03", "House", "Introduced in House", stage::k_introduced},
      {"2025-02-01", "House", "Passed/agreed to in House: On passage Passed",
       stage::k_passed_one_chamber},
      {"2025-03-01", "Senate", "Passed Senate without amendment", stage::k_passed_one_chamber}};
  EXPECT_EQ(federal_stage(actions), stage::k_passed_both_chambers);
  actions.pop_back();
  EXPECT_EQ(federal_stage(actions), stage::k_passed_one_chamber);
}

}  // namespace
}  // namespace billwatch::sources
