#include "billwatch/sources/common/stages.hpp"

#include <algorithm>
#include <set>

#include "billwatch/core/ascii.hpp"

namespace billwatch::sources {

namespace {

// The furthest stage reached so far, fed one action at a time in date order.
class StageTracker {
 public:
  explicit StageTracker(bool unicameral) : m_unicameral(unicameral) {}

  // The bill's stage after `action`.
  const std::string& add(const Action& action) {
    if (action.stage.empty()) return m_best;
    std::string s = action.stage;
    if (s == stage::k_passed_one_chamber) {
      if (!action.chamber.empty()) m_passed.insert(action.chamber);
      if (m_unicameral || m_passed.size() >= 2) s = stage::k_passed_both_chambers;
    }
    if (m_best.empty() || rank(s) > rank(m_best)) m_best = s;
    return m_best;
  }

 private:
  static int rank(const std::string& s) {
    static const std::vector<std::string> k_order = {stage::k_introduced,
                                                     stage::k_in_committee,
                                                     stage::k_reported,
                                                     stage::k_passed_one_chamber,
                                                     stage::k_passed_both_chambers,
                                                     stage::k_to_executive,
                                                     stage::k_failed,
                                                     stage::k_dead,
                                                     stage::k_vetoed,
                                                     stage::k_enacted};
    return static_cast<int>(std::find(k_order.begin(), k_order.end(), s) - k_order.begin());
  }
  bool m_unicameral;
  std::string m_best;
  std::set<std::string> m_passed;  // chambers
};

}  // namespace

std::string furthest_stage(const std::vector<Action>& actions, bool unicameral) {
  StageTracker tracker(unicameral);
  std::string stage;
  for (const auto& a : actions) stage = tracker.add(a);
  return stage;
}

void keep_stage_moves(std::vector<Action>& actions, bool unicameral) {
  StageTracker tracker(unicameral);
  std::string reached;
  for (Action& action : actions) {
    std::string now = tracker.add(action);
    action.stage = now != reached ? now : std::string();
    reached = std::move(now);
  }
}

std::string stage_from_wording(std::string_view action) {
  std::string text = ascii_lower(action);
  auto has = [&](std::string_view words) { return text.find(words) != std::string::npos; };
  // Not every "failed" (an amendment, a motion to reconsider): only the bill's own end.
  if (has("died") || has("indefinitely postponed") || has("failed introduction") ||
      has("failed passage") || has("failed to pass") || has("withdrawn by sponsor")) {
    return stage::k_dead;
  }
  if (has("to governor") || has("to the governor")) return stage::k_to_executive;
  return {};
}

}  // namespace billwatch::sources
