// The events a bill update makes, decided by a pure function before the store writes them.
#include "event_payloads.hpp"

#include <gtest/gtest.h>

namespace billwatch::store::detail {
namespace {

std::vector<EventKind> kinds(const std::vector<PlannedEvent>& events) {
  std::vector<EventKind> out;
  for (const auto& e : events) out.push_back(e.kind);
  return out;
}

TEST(EventPayloadsTest, ANewBillIsOneEventWhateverItBrought) {
  Bill bill;
  bill.title = "Restraint and isolation";
  BillUpdate update{bill, {}, NewVersion{}};
  UpdateFacts facts{true, Stage::none, Stage::introduced, {Action{}}, "Original", 1};
  auto events = plan_events(bill, update, facts);
  ASSERT_EQ(kinds(events), std::vector<EventKind>{EventKind::NewBill});
  EXPECT_TRUE(events[0].names_version);
  EXPECT_TRUE(events[0].carries_actions);
  EXPECT_EQ(events[0].payload["label"], "Original");
  EXPECT_EQ(events[0].payload["version"], 1);
  EXPECT_EQ(events[0].payload["new_actions"].size(), 1u);
  // What its first text says, by category and section, for the new-bill alert.
  NewVersion with_provisions;
  Provision p;
  p.category = "seclusion_ban";
  p.section = "Sec. 3(b)";
  with_provisions.provisions = {p};
  auto told = plan_events(bill, BillUpdate{bill, {}, with_provisions}, facts);
  ASSERT_EQ(told[0].payload["provisions"].size(), 1u);
  EXPECT_EQ(told[0].payload["provisions"][0]["category"], "seclusion_ban");
  EXPECT_EQ(told[0].payload["provisions"][0]["section"], "Sec. 3(b)");
}

TEST(EventPayloadsTest, AKnownBillTellsActionsStageTextAndProvisionsInThatOrder) {
  Bill bill;
  NewVersion version;
  version.provision_changes.push_back({});
  BillUpdate update{bill, {}, version};
  UpdateFacts facts{false,      Stage::introduced, Stage::passed_one_chamber,
                    {Action{}}, "Substitute",      2};
  auto events = plan_events(bill, update, facts);
  EXPECT_EQ(kinds(events),
            (std::vector<EventKind>{EventKind::Action, EventKind::StatusChanged,
                                    EventKind::NewVersion, EventKind::ProvisionsChanged}));
  EXPECT_EQ(events[1].payload["old_stage"], "introduced");
  EXPECT_TRUE(events[3].provisions);
  EXPECT_EQ(events[3].payload["from_version"], 1);
  // Metadata alone (no new action, same stage, no text) tells nobody anything.
  UpdateFacts quiet{false, Stage::introduced, Stage::introduced, {}, "", 0};
  EXPECT_TRUE(plan_events(bill, BillUpdate{bill, {}, std::nullopt}, quiet).empty());
}

}  // namespace
}  // namespace billwatch::store::detail
