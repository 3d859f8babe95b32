#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/bill.hpp"

namespace billwatch::sources {

// Where a bill stands after its actions (oldest first), each carrying the stage it points
// at (or ""): the furthest step reached (data-sources §4 rule 1), in the order introduced,
// in committee, reported, passed one chamber, passed both chambers, to the executive,
// dead, vetoed, enacted. A passage counts as passed_both_chambers once passages in two
// chambers were seen, or at once in a unicameral legislature (Nebraska).
Stage furthest_stage(const std::vector<Action>& actions, bool unicameral = false);

// Rewrites each action's stage to the stage the action moved the bill to, or "" when it
// moved nothing: "Passed Senate" after "Passed House" becomes passed_both_chambers, and a
// referral in the second chamber moves nothing. Then the latest action with a stage is
// the bill's stage, which is how the store reads it.
void keep_stage_moves(std::vector<Action>& actions, bool unicameral = false);

// The stage an action's words give when its source classifies nothing (T11): "Died On
// Calendar", "Failed Introduction", "Indefinitely postponed" -> dead; "Delivered to
// Governor" -> to_executive; "" otherwise.
Stage stage_from_wording(std::string_view action);

}  // namespace billwatch::sources
