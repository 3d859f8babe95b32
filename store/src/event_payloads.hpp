#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "billwatch/store/records.hpp"

namespace billwatch::store::detail {

// What is known of a bill update once its rows are written, for deciding its events.
struct UpdateFacts {
  bool is_new = false;            // the bill was seen for the first time
  Stage old_stage = Stage::none;  // before the update (none for a new bill)
  Stage stage = Stage::none;      // after it
  std::vector<Action> added;      // actions not stored before
  std::string label;              // the stored version's label ("" without a version)
  int version_number = 0;         // the stored version's number (0 without a version)
};

// One event a bill update makes, before it has an id.
struct PlannedEvent {
  EventKind kind = EventKind::NewBill;
  nlohmann::json payload;
  bool names_version = false;    // the event points at the stored version
  bool carries_actions = false;  // the new actions are linked to this event
  bool provisions = false;       // the provisions_changed event
};

// The events of a bill update, in the order a reader would tell them: a bill seen for the
// first time is one new_bill event, whatever it brought; later, `action` for new actions,
// `status_changed` when the stage moved, `new_version` for a text and `provisions_changed`
// when its provisions differ. Pure: the store writes what this returns.
std::vector<PlannedEvent> plan_events(const Bill& bill, const BillUpdate& update,
                                      const UpdateFacts& facts);

}  // namespace billwatch::store::detail
