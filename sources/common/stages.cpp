#include "billwatch/sources/common/stages.hpp"

#include <algorithm>
#include <array>
#include <set>

#include "billwatch/core/ascii.hpp"

namespace billwatch::sources {

namespace {

// The furthest stage reached so far, fed one action at a time in date order.
class StageTracker {
 public:
  explicit StageTracker(bool unicameral) : m_unicameral(unicameral) {}

  // The bill's stage after `action`.
  Stage add(const Action& action) {
    if (action.stage == Stage::none) return m_best;
    Stage s = action.stage;
    if (s == Stage::passed_one_chamber) {
      if (!action.chamber.empty()) m_passed.insert(action.chamber);
      if (m_unicameral || m_passed.size() >= 2) s = Stage::passed_both_chambers;
    }
    if (m_best == Stage::none || rank(s) > rank(m_best)) m_best = s;
    return m_best;
  }

 private:
  // How far along: a bill that ended (failed, dead, vetoed, enacted) is further than any
  // step on the way, and enacted is furthest.
  static int rank(Stage s) {
    static constexpr std::array<Stage, 10> k_order = {Stage::introduced,
                                                      Stage::in_committee,
                                                      Stage::reported,
                                                      Stage::passed_one_chamber,
                                                      Stage::passed_both_chambers,
                                                      Stage::to_executive,
                                                      Stage::failed,
                                                      Stage::dead,
                                                      Stage::vetoed,
                                                      Stage::enacted};
    return static_cast<int>(std::find(k_order.begin(), k_order.end(), s) - k_order.begin());
  }
  bool m_unicameral;
  Stage m_best = Stage::none;
  std::set<std::string> m_passed;  // chambers
};

}  // namespace

Stage furthest_stage(const std::vector<Action>& actions, bool unicameral) {
  StageTracker tracker(unicameral);
  Stage stage = Stage::none;
  for (const auto& a : actions) stage = tracker.add(a);
  return stage;
}

void keep_stage_moves(std::vector<Action>& actions, bool unicameral) {
  StageTracker tracker(unicameral);
  Stage reached = Stage::none;
  for (Action& action : actions) {
    Stage now = tracker.add(action);
    action.stage = now != reached ? now : Stage::none;
    reached = now;
  }
}

Stage stage_from_wording(std::string_view action) {
  std::string text = ascii_lower(action);
  auto has = [&](std::string_view words) { return text.find(words) != std::string::npos; };
  // Not every "failed" (an amendment, a motion to reconsider): only the bill's own end.
  if (has("died") || has("indefinitely postponed") || has("failed introduction") ||
      has("failed passage") || has("failed to pass") || has("withdrawn by sponsor")) {
    return stage::k_dead;
  }
  if (has("to governor") || has("to the governor")) return stage::k_to_executive;
  return Stage::none;
}

}  // namespace billwatch::sources
