// State bills from LegiScan and Open States, parsed from the real fixtures: one identity
// across services, stages from each service's vocabulary, volatile fields ignored.
#include "billwatch/sources/common/state_bills.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "billwatch/sources/legiscan/legiscan.hpp"
#include "billwatch/sources/openstates/openstates.hpp"
#include "files.hpp"

namespace billwatch::sources {
namespace {

std::string state_fixture(const std::string& name) {
  return test::read_fixture("states/" + name);
}

// One getBill answer out of the fixture's array of 71.
std::string legiscan_get_bill(const std::string& number) {
  auto all = nlohmann::json::parse(state_fixture("legiscan_api_getBill_AL_2025_list.json"));
  for (const auto& answer : all) {
    if (answer["bill"]["bill_number"] == number) return answer.dump();
  }
  ADD_FAILURE() << number << " is not in the fixture";
  return {};
}

TEST(StateBillsTest, OneIdentityWhateverTheServiceWrites) {
  EXPECT_EQ(normalize_identifier("HB0065"), "HB 65");
  EXPECT_EQ(normalize_identifier("SB16"), "SB 16");
  EXPECT_EQ(normalize_identifier("H.B. 1795"), "HB 1795");
  EXPECT_EQ(normalize_identifier("hb 18"), "HB 18");
  EXPECT_EQ(normalize_identifier("HB 65 (substitute)"), "");
  EXPECT_EQ(normalize_identifier("1795"), "");
  EXPECT_EQ(state_bill_id("AL", "2025", "HB18"), "AL-2025-HB-18");
  EXPECT_EQ(session_key_from_openstates("2025rs"), "2025");
  EXPECT_EQ(session_key_from_openstates("2025-2026"), "2025");
  EXPECT_EQ(session_key_from_openstates("2026"), "2026");
  EXPECT_EQ(session_key_from_openstates("2025s1"), "2025s1");
  EXPECT_EQ(session_key_from_legiscan(2025, false, 2148), "2025");
  EXPECT_EQ(session_key_from_legiscan(2025, true, 2201), "2025s2201");
  EXPECT_EQ(usps_from_ocd("ocd-jurisdiction/country:us/state:al/government"), "AL");
  EXPECT_EQ(usps_from_ocd("ocd-jurisdiction/country:us/district:dc/government"), "DC");
  EXPECT_EQ(usps_from_ocd("ocd-jurisdiction/country:ca/province:on/government"), "");
}

TEST(StateBillsTest, LegiscanGetBillWithItsChangeHashTextsAndStage) {
  auto hb18 = parse_legiscan_bill(legiscan_get_bill("HB18"));
  ASSERT_TRUE(hb18) << hb18.error();
  const LegiscanBill& b = hb18.value();
  EXPECT_EQ(b.bill_id, 1885997);
  EXPECT_EQ(b.change_hash, "85e97038f8c93504b58bef9c4bb09762");
  EXPECT_EQ(b.bill().id, "AL-2025-HB-18");
  EXPECT_EQ(b.bill().identifier, "HB 18");
  EXPECT_EQ(b.bill().legiscan_id, "1885997");
  EXPECT_EQ(b.stage, stage::k_in_committee) << "progress 1 then 9 (Refer)";
  ASSERT_EQ(b.actions.size(), 3u);
  EXPECT_EQ(b.actions[0].text, "Prefiled");
  EXPECT_EQ(b.actions[1].chamber, "House");
  ASSERT_EQ(b.texts.size(), 1u);
  EXPECT_TRUE(b.texts[0].is_version());
  EXPECT_EQ(b.texts[0].mime, "application/pdf");
  EXPECT_EQ(b.texts[0].text_hash, "a7d4da2a662f48450a77cc51dee14d6d");
}

TEST(StateBillsTest, LegiscanDatasetProgressMapsToStages) {
  auto law = parse_legiscan_bill(state_fixture("legiscan_dataset_bill_HB1044.json"));
  ASSERT_TRUE(law) << law.error();
  EXPECT_EQ(law.value().stage, stage::k_enacted) << "status 4, completed 1, Chaptered";
  EXPECT_EQ(law.value().bill().id, "AR-2012-HB-1044");
  auto ak = parse_legiscan_bill(state_fixture("legiscan_dataset_bill_HB1.json"));
  ASSERT_TRUE(ak) << ak.error();
  EXPECT_EQ(ak.value().stage, stage::k_passed_one_chamber)
      << "refer, DNP, pass, engrossed, then a referral in the other chamber";
  EXPECT_EQ(ak.value().bill().id, "AK-2011-HB-1");
  // The 2011 dataset gives every sponsor type 0: the first by sponsor_order is primary.
  EXPECT_EQ(ak.value().bill().sponsor, "Rep Carl Gatto (R, HD-013)");
}

TEST(StateBillsTest, LegiscanTextDecodesItsBase64Document) {
  auto text = parse_legiscan_text(state_fixture("legiscan_dataset_text_101038.json"));
  ASSERT_TRUE(text) << text.error();
  EXPECT_EQ(text.value().doc_id, 101038);
  EXPECT_EQ(text.value().mime, "text/html");
  EXPECT_EQ(text.value().body.rfind("<pre>", 0), 0u);
  EXPECT_NE(text.value().body.find("SB 7"), std::string::npos);
  EXPECT_EQ(parse_legiscan_text(R"({"status":"OK","text":{"doc_id":1,"doc":"@@@"}})").error(),
            "LegiScan text 1: doc is not base64");
}

TEST(StateBillsTest, LegiscanListsAndErrors) {
  // getMasterListRaw, in its documented shape (no live answer is in the fixtures):
  // entries keyed "0", "1", ... beside a "session" object.
  auto list = parse_legiscan_list(R"({"status":"OK","masterlist":{"session":{"session_id":2148,
      "session_name":"2025 Regular Session"},"0":{"bill_id":1885997,"number":"HB18",
      "change_hash":"85e97038f8c93504b58bef9c4bb09762"},"1":{"bill_id":1886001,"number":"HB22",
      "change_hash":"0d1e"}}})");
  ASSERT_TRUE(list) << list.error();
  ASSERT_EQ(list.value().entries.size(), 2u);
  EXPECT_EQ(list.value().entries[0].number, "HB18");
  EXPECT_EQ(list.value().entries[1].change_hash, "0d1e");
  EXPECT_EQ(list.value().page_total, 1);
  EXPECT_EQ(
      parse_legiscan_bill(R"({"status":"ERROR","alert":{"message":"Unknown API key"}})").error(),
      "LegiScan answered ERROR: Unknown API key");
  EXPECT_FALSE(parse_legiscan_bill(R"({"status":"OK","bill":{"bill_id":1}})"));
}

TEST(StateBillsTest, OpenStatesVolatileFieldsAndOrderDoNotChangeABill) {
  auto v1 = parse_openstates_scrape(state_fixture("al_2025_SB16_openstates_scrape_v1.json"));
  auto v2 = parse_openstates_scrape(state_fixture("al_2025_SB16_openstates_scrape_v2.json"));
  ASSERT_TRUE(v1) << v1.error();
  ASSERT_TRUE(v2) << v2.error();
  EXPECT_EQ(v1.value().content_hash(), v2.value().content_hash())
      << "only _id and scraped_at differ";
  EXPECT_EQ(v1.value().bill().id, "AL-2025-SB-16");
  auto hb18 = parse_openstates_scrape(state_fixture("al_2025_HB18_openstates_scrape.json"));
  ASSERT_TRUE(hb18) << hb18.error();
  EXPECT_EQ(hb18.value().bill().sponsor, "Bolton") << "the primary sponsorship's name";
  auto wy1 = parse_openstates_scrape(state_fixture("wy_2026_HB0065_metadata_v1.json"));
  auto wy2 = parse_openstates_scrape(state_fixture("wy_2026_HB0065_metadata_v2.json"));
  ASSERT_TRUE(wy1) << wy1.error();
  EXPECT_EQ(wy1.value().content_hash(), wy2.value().content_hash()) << "only _processing differs";
  EXPECT_EQ(wy1.value().bill().id, "WY-2026-HB-65");
  EXPECT_EQ(wy1.value().stage, stage::k_dead) << "\"H Failed Introduction\", unclassified (T11)";
  ASSERT_FALSE(wy1.value().abstracts.empty());
  EXPECT_NE(wy1.value().abstracts[0].find("K-12 public school discipline"), std::string::npos);
}

TEST(StateBillsTest, OpenStatesActionsSortedAndClassified) {
  auto hb166 = parse_openstates_scrape(state_fixture("al_2025_HB166_openstates_scrape.json"));
  ASSERT_TRUE(hb166) << hb166.error();
  const auto& actions = hb166.value().actions;
  ASSERT_EQ(actions.size(), 25u);
  for (std::size_t i = 1; i < actions.size(); ++i) {
    EXPECT_LE(actions[i - 1].date, actions[i].date) << "newest first in the file (T8)";
  }
  EXPECT_EQ(hb166.value().stage, stage::k_enacted) << "became-law";
  EXPECT_EQ(hb166.value().versions.size(), 6u);
  EXPECT_EQ(hb166.value().versions[0].media_type, "application/pdf");

  // The same bill as LegiScan's HB18: one id.
  auto os = parse_openstates_scrape(state_fixture("al_2025_HB18_openstates_scrape.json"));
  auto ls = parse_legiscan_bill(legiscan_get_bill("HB18"));
  ASSERT_TRUE(os && ls);
  EXPECT_EQ(os.value().bill().id, ls.value().bill().id);
  EXPECT_EQ(os.value().stage, stage::k_dead) << "Open States saw it postponed; LegiScan did not";
}

TEST(StateBillsTest, OpenStatesApiPage) {
  // GET /bills in the documented v3 shape (no live answer is in the fixtures).
  auto page = parse_openstates_page(R"({"results":[{"id":"ocd-bill/6c2c8c7e",
      "session":"2025-2026","jurisdiction":{"id":"ocd-jurisdiction/country:us/state:wa/government",
      "name":"Washington","classification":"state"},"identifier":"HB 1795",
      "title":"Student restraint, isolation","updated_at":"2026-01-20T10:00:00",
      "actions":[{"description":"First reading, referred to Education.","date":"2025-01-20",
      "classification":["reading-1","referral-committee"],"order":1,
      "organization":{"classification":"lower"}}],
      "versions":[{"note":"Original Bill","date":"2025-01-17","links":[{"url":
      "https://lawfilesext.leg.wa.gov/biennium/2025-26/Pdf/Bills/House%20Bills/1795.pdf",
      "media_type":"application/pdf"},{"url":"https://lawfilesext.leg.wa.gov/biennium/2025-26/Htm/Bills/House%20Bills/1795.htm",
      "media_type":"text/html"}]}],"sources":[{"url":"https://app.leg.wa.gov/billsummary?BillNumber=1795&Year=2025"}]},
      {"id":"ocd-bill/broken","identifier":null}],
      "pagination":{"per_page":20,"page":1,"max_page":3,"total_items":41}})");
  ASSERT_TRUE(page) << page.error();
  ASSERT_EQ(page.value().bills.size(), 1u) << "a result without identity is skipped";
  const OpenStatesBill& b = page.value().bills[0];
  EXPECT_EQ(b.bill().id, "WA-2025-HB-1795");
  EXPECT_EQ(b.bill().openstates_id, "ocd-bill/6c2c8c7e");
  EXPECT_EQ(b.stage, stage::k_in_committee);
  EXPECT_EQ(b.actions[0].chamber, "House");
  EXPECT_EQ(b.versions[0].media_type, "text/html") << "HTML preferred";
  EXPECT_EQ(page.value().max_page, 3);
  EXPECT_EQ(page.value().total_items, 41);
  EXPECT_EQ(page.value().skipped, 1) << "counted, so the source says so";
  EXPECT_NE(page.value().first_skip.find("without jurisdiction, session or a bill identifier"),
            std::string::npos)
      << page.value().first_skip;
  EXPECT_EQ(parse_openstates_page(R"({"detail":"Invalid API key."})").error(),
            "Open States answered: Invalid API key.");
}

}  // namespace
}  // namespace billwatch::sources

namespace billwatch {
namespace {

// Stages are stored and exported by name: every stage reads back as itself, none is "",
// and a name that is no stage is refused rather than guessed.
TEST(StageTest, EveryStageReadsBackByItsName) {
  for (Stage s : stage::k_all) {
    ASSERT_FALSE(to_string(s).empty());
    EXPECT_EQ(parse_stage(to_string(s)), s);
    EXPECT_TRUE(stage::is_stage(to_string(s)));
  }
  EXPECT_EQ(parse_stage(""), Stage::none);
  EXPECT_EQ(to_string(Stage::none), "");
  EXPECT_FALSE(parse_stage("passed_chamber"));
  EXPECT_FALSE(parse_stage("Introduced")) << "names are exact";
  EXPECT_FALSE(stage::is_stage(""));
}

}  // namespace
}  // namespace billwatch

namespace billwatch::sources {
namespace {

// LegiScan's current API marks the primary sponsor with sponsor_type_id 1, wherever it
// stands in the list; without one, the lowest sponsor_order.
TEST(StateBillsTest, LegiscanPrimarySponsorByTypeThenOrder) {
  auto bill_with = [](const std::string& sponsors) {
    return R"({"status":"OK","bill":{"bill_id":5,"state":"AL","bill_number":"HB18",)"
           R"("session":{"session_id":2100,"year_start":2025,"year_end":2025,"special":0},)"
           R"("sponsors":)" +
           sponsors + "}}";
  };
  auto typed = parse_legiscan_bill(bill_with(
      R"([{"name":"A Cosponsor","role":"Rep","party":"D","district":"HD-1","sponsor_type_id":2,"sponsor_order":1},)"
      R"({"name":"Ann Primary","role":"Sen","party":"R","district":"SD-2","sponsor_type_id":1,"sponsor_order":2}])"));
  ASSERT_TRUE(typed) << typed.error();
  EXPECT_EQ(typed.value().sponsor, "Sen Ann Primary (R, SD-2)");
  auto ordered =
      parse_legiscan_bill(bill_with(R"([{"name":"Second","sponsor_type_id":0,"sponsor_order":2},)"
                                    R"({"name":"First","sponsor_type_id":0,"sponsor_order":1}])"));
  ASSERT_TRUE(ordered) << ordered.error();
  EXPECT_EQ(ordered.value().sponsor, "First");
  auto none = parse_legiscan_bill(bill_with("[]"));
  ASSERT_TRUE(none) << none.error();
  EXPECT_EQ(none.value().sponsor, "");
}

}  // namespace
}  // namespace billwatch::sources

namespace billwatch::sources {
namespace {

std::string real_legiscan(const std::string& name) {
  return test::read_fixture("real-api/legiscan/" + name);
}

// AR HB 1045 (2012), recorded: House passage (progress 2 on 2012-02-15) belongs to "House
// Read the third time and passed", not to the day's last entry, a Senate first reading.
TEST(StateBillsTest, AProgressEventLandsOnTheActionItsWordsDescribe) {
  auto bill = parse_legiscan_bill(real_legiscan("getBill_dataset_HB1045.json"));
  ASSERT_TRUE(bill) << bill.error();
  auto with = [&](Stage s) {
    std::vector<std::string> texts;
    for (const auto& a : bill.value().actions) {
      if (a.stage == s) texts.push_back(a.text);
    }
    return texts;
  };
  EXPECT_EQ(with(Stage::passed_one_chamber),
            std::vector<std::string>{
                "House Read the third time and passed and ordered transmitted to the Senate."});
  EXPECT_EQ(with(Stage::passed_both_chambers),
            std::vector<std::string>{"Senate Read the third time and passed."});
  EXPECT_EQ(with(Stage::in_committee).size(), 1u);
  EXPECT_NE(with(Stage::in_committee)[0].find("referred to the Committee"), std::string::npos);
  EXPECT_EQ(with(Stage::enacted),
            std::vector<std::string>{"House Notification that HB1045 is now Act 37"});
  EXPECT_EQ(bill.value().stage, Stage::enacted);
  // chamber "" in every entry: the chamber comes from the words.
  for (const auto& a : bill.value().actions) {
    std::string said = a.text.rfind("Senate ", 0) == 0  ? "Senate"
                       : a.text.rfind("House ", 0) == 0 ? "House"
                                                        : "";
    EXPECT_EQ(a.chamber, said) << a.text;
  }
  // Texts without text_hash are versions all the same.
  ASSERT_EQ(bill.value().texts.size(), 2u);
  EXPECT_TRUE(bill.value().texts[0].text_hash.empty());
  EXPECT_TRUE(bill.value().texts[0].is_version());

  // AK HB 2 (2011): introduction and referral on one day, a report and a referral on another.
  auto ak = parse_legiscan_bill(real_legiscan("getBill_dataset_HB2.json"));
  ASSERT_TRUE(ak) << ak.error();
  std::vector<std::pair<std::string, Stage>> moves;
  for (const auto& a : ak.value().actions) {
    if (a.stage != Stage::none) moves.emplace_back(a.text, a.stage);
  }
  EXPECT_EQ(moves, (std::vector<std::pair<std::string, Stage>>{
                       {"PREFILE RELEASED 1/7/11", Stage::introduced},
                       {"READ THE FIRST TIME - REFERRALS", Stage::in_committee}}))
      << "a report that did not pass and a second referral move nothing further";
}

}  // namespace
}  // namespace billwatch::sources

namespace billwatch::sources {
namespace {

// getSearchRaw in the two forms seen: the manual's numeric keys, and the "results" array a
// client tested against the live service reads (no recording of either exists; see
// tests/fixtures/real-api/legiscan/SOURCES.md). Both give the same entries.
TEST(StateBillsTest, LegiscanSearchInTheManualsFormAndAsAnArray) {
  auto keyed = parse_legiscan_list(R"({"status":"OK","searchresult":{"summary":{"page":"1 of 1",
      "range":"1 - 2","relevancy":"100% - 99%","count":2,"page_current":1,"page_total":1},
      "0":{"relevance":100,"bill_id":1885997,"change_hash":"85e9"},
      "1":{"relevance":99,"bill_id":1886001,"change_hash":"0d1e"}}})");
  auto array = parse_legiscan_list(R"({"status":"OK","searchresult":{"summary":{"page":"1 of 1",
      "range":"1 - 2","relevancy":"100% - 99%","count":2,"page_current":1,"page_total":1},
      "results":[{"relevance":100,"bill_id":1885997,"change_hash":"85e9"},
                 {"relevance":99,"bill_id":1886001,"change_hash":"0d1e"}]}})");
  ASSERT_TRUE(keyed) << keyed.error();
  ASSERT_TRUE(array) << array.error();
  for (const auto* list : {&keyed.value(), &array.value()}) {
    ASSERT_EQ(list->entries.size(), 2u);
    EXPECT_EQ(list->entries[0].bill_id, 1885997);
    EXPECT_EQ(list->entries[1].change_hash, "0d1e");
    EXPECT_EQ(list->stated, 2);
  }
  // A form neither reads: the count says there were results, so the source can say so.
  auto other = parse_legiscan_list(R"({"status":"OK","searchresult":{"summary":{"count":3},
      "bills":{"a":{"bill_id":1}}}})");
  ASSERT_TRUE(other);
  EXPECT_TRUE(other.value().entries.empty());
  EXPECT_EQ(other.value().stated, 3);
}

}  // namespace
}  // namespace billwatch::sources
