#include "billwatch/notifier/wording.hpp"

#include <gtest/gtest.h>

namespace billwatch::notifier {
namespace {

Bill bill(const std::string& jurisdiction, const std::string& identifier) {
  Bill b;
  b.id = jurisdiction + "-2025-X-1";
  b.jurisdiction = jurisdiction;
  b.identifier = identifier;
  return b;
}

Action action(const std::string& chamber, const std::string& text, Stage stage) {
  Action a;
  a.date = "2025-03-04";
  a.chamber = chamber;
  a.text = text;
  a.stage = stage;
  return a;
}

TEST(WordingTest, ChambersComeFromTheIdentifier) {
  EXPECT_EQ(chambers_of(bill("WA", "HB 1795")).origin, "House");
  EXPECT_EQ(chambers_of(bill("WA", "HB 1795")).other, "Senate");
  EXPECT_EQ(chambers_of(bill("US", "S. 35")).origin, "Senate");
  EXPECT_EQ(chambers_of(bill("US", "S. 35")).other, "House");
  EXPECT_EQ(chambers_of(bill("US", "H.R. 4350")).origin, "House");
  EXPECT_EQ(chambers_of(bill("US", "H.R. 4350")).executive, "the President");
  EXPECT_EQ(chambers_of(bill("CA", "AB 2657")).origin, "Assembly");
  EXPECT_EQ(chambers_of(bill("CA", "SB 483")).other, "Assembly");
  EXPECT_EQ(chambers_of(bill("NE", "LB 3")).origin, "Legislature");
  EXPECT_EQ(chambers_of(bill("NE", "LB 3")).other, "");
  EXPECT_EQ(chambers_of(bill("MO", "SB 16")).executive, "the Governor");
  // Without an identifier the id's type segment says it.
  Bill from_id;
  from_id.id = "AL-2025-HB-18";
  from_id.jurisdiction = "AL";
  EXPECT_EQ(chambers_of(from_id).origin, "House");
  // An identifier that names no chamber gives none, and the words stay general.
  Chambers unknown = chambers_of(bill("DC", "B26-0123"));
  EXPECT_EQ(unknown.origin, "");
  EXPECT_EQ(position(stage::k_passed_one_chamber, unknown), "passed one chamber");
  EXPECT_EQ(position(stage::k_in_committee, unknown), "in committee");
}

TEST(WordingTest, PositionsSayWhichChamber) {
  Chambers house = chambers_of(bill("WA", "HB 1795"));
  EXPECT_EQ(position(stage::k_introduced, house), "introduced in the House");
  EXPECT_EQ(position(stage::k_in_committee, house), "in House committee");
  EXPECT_EQ(position(stage::k_reported, house), "reported out of House committee");
  EXPECT_EQ(position(stage::k_passed_one_chamber, house), "passed the House");
  EXPECT_EQ(position(stage::k_passed_both_chambers, house), "passed the House and the Senate");
  EXPECT_EQ(position(stage::k_to_executive, house), "sent to the Governor");
  EXPECT_EQ(position(stage::k_enacted, house), "became law");
  EXPECT_EQ(position(stage::k_vetoed, house), "vetoed by the Governor");
  EXPECT_EQ(position(stage::k_dead, house), "died when the session ended");
  EXPECT_EQ(position(stage::k_dead, chambers_of(bill("US", "S. 35"))),
            "died when the Congress ended");
  EXPECT_EQ(position(Stage::none, house), "no stage yet");
}

TEST(WordingTest, PassageThenReferralInTheOtherChamber) {
  Chambers house = chambers_of(bill("US", "H.R. 4350"));
  std::vector<Action> actions = {
      action("House", "Passed/agreed to in House: On passage Passed by recorded vote.",
             stage::k_passed_one_chamber),
      action("Senate",
             "Received in the Senate and Read twice and referred to the Committee on Health, "
             "Education, Labor, and Pensions.",
             Stage::none),
  };
  EXPECT_EQ(position(stage::k_passed_one_chamber, house, actions),
            "passed the House, in Senate committee");
  // Without the referral it is only the passage.
  actions.pop_back();
  EXPECT_EQ(position(stage::k_passed_one_chamber, house, actions), "passed the House");
  // A committee stage in the second chamber names that chamber.
  std::vector<Action> senate = {action("Senate", "Referred to Education.", stage::k_in_committee)};
  EXPECT_EQ(position(stage::k_in_committee, house, senate), "in Senate committee");
}

}  // namespace
}  // namespace billwatch::notifier
