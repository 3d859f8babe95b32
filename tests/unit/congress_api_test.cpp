// The keyed federal APIs' answers, parsed from the real fixtures.
#include "billwatch/sources/congress/congress_api.hpp"

#include <gtest/gtest.h>

#include "billwatch/sources/common/json.hpp"
#include "files.hpp"

namespace billwatch::sources {
namespace {

std::string fixture(const std::string& name) {
  return test::read_fixture("federal/" + name);
}

TEST(CongressApiTest, BillListWithItsNextPage) {
  auto page = parse_congress_bill_list(fixture("api-congress-gov/bill_117_hr.json"));
  ASSERT_TRUE(page) << page.error();
  ASSERT_EQ(page.value().items.size(), 20u);
  EXPECT_EQ(page.value().items[0].bill_id(), "US-117-HR-3617");
  EXPECT_EQ(page.value().items[0].title, "MORE Act");
  EXPECT_EQ(page.value().items[0].update_date, "2022-04-03") << "date-only updateDate";
  EXPECT_EQ(page.value().next,
            "https://api.congress.gov/v3/bill/117/hr?offset=20&limit=20&format=json");
}

TEST(CongressApiTest, ActionsOldestFirstWithChambers) {
  auto page = parse_congress_actions(fixture("api-congress-gov/bill_117_hr_21_actions.json"));
  ASSERT_TRUE(page) << page.error();
  std::vector<Action> actions = page.value().items;
  ASSERT_EQ(actions.size(), 10u);
  EXPECT_EQ(actions.front().date, "2021-01-04");
  EXPECT_EQ(actions.back().date, "2021-01-06");
  EXPECT_EQ(actions.back().chamber, "Senate") << "source code 0";
  EXPECT_TRUE(page.value().next.empty());
  EXPECT_EQ(federal_stage(actions), stage::k_passed_one_chamber);
  keep_stage_moves(actions);
  EXPECT_EQ(actions.back().stage, Stage::none) << "the Senate referral moves nothing";
}

TEST(CongressApiTest, TextVersionsPreferTheXml) {
  auto page = parse_congress_text_versions(fixture("api-congress-gov/bill_117_hr_21_text.json"));
  ASSERT_TRUE(page) << page.error();
  ASSERT_EQ(page.value().items.size(), 3u);
  EXPECT_EQ(page.value().items[0].type, "Referred in Senate");
  EXPECT_EQ(page.value().items[0].date, "2021-01-06");
  EXPECT_EQ(page.value().items[0].url,
            "https://www.congress.gov/117/bills/hr21/BILLS-117hr21rfs.xml");
}

TEST(CongressApiTest, GovinfoCollectionPages) {
  auto page = parse_govinfo_collection(fixture("govinfo-api/collections-BILLS-sample.json"));
  ASSERT_TRUE(page) << page.error();
  ASSERT_FALSE(page.value().items.empty());
  EXPECT_EQ(page.value().items[0].package_id.rfind("BILLS-115", 0), 0u);
  EXPECT_FALSE(page.value().items[0].last_modified.empty());
  EXPECT_NE(page.value().next.find("offset=100"), std::string::npos);
}

TEST(CongressApiTest, BrokenAnswersAreClearFailures) {
  EXPECT_EQ(
      parse_congress_bill_list("<html><body>Just a moment...</body></html>").error(),
      "not JSON: the answer is markup (starts with '<html><body>Just a moment...</body></htm'), "
      "probably an error or challenge page");
  EXPECT_EQ(parse_congress_bill_list("").error(), "empty answer where JSON was expected");
  EXPECT_EQ(
      parse_congress_bill_list(R"({"bills": [)").error().rfind("not well-formed JSON at byte", 0),
      0u);
  EXPECT_EQ(parse_congress_bill_list(R"({"error": "API_KEY_MISSING"})").error(),
            "expected a \"bills\" array");
  // A 10,000-deep array stops at the depth limit, without building it.
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  EXPECT_EQ(parse_json(deep).error(), "JSON nested deeper than 64 levels");
  EXPECT_EQ(parse_json(deep).code(), FailureCode::Malformed) << "not worth retrying as is";
  EXPECT_EQ(parse_json(std::string(40, ' '), JsonLimits{16, 64}).error(),
            "JSON answer of 40 bytes is over the limit of 16");
  // Found by fuzzing: a number beyond a double was an uncaught exception.
  EXPECT_EQ(
      parse_json("2222222222222222222222222222e2222222222222222").error(),
      "unusable JSON: number overflow parsing '2222222222222222222222222222e2222222222222222'");
  EXPECT_FALSE(parse_congress_actions(R"({"actions": [{"actionDate": 1e999999}]})"));
  // Missing, null and wrongly typed fields are skipped, not fatal.
  auto odd = parse_congress_bill_list(
      R"({"bills": [{"congress": "117", "type": "HR", "number": "1"}, {"congress": 117,
          "type": null, "number": "2"}, {"congress": 117, "type": "S", "number": "3",
          "extra": {"x": 1}}], "pagination": null})");
  ASSERT_TRUE(odd) << odd.error();
  ASSERT_EQ(odd.value().items.size(), 1u);
  EXPECT_EQ(odd.value().items[0].bill_id(), "US-117-S-3");
}

}  // namespace
}  // namespace billwatch::sources
