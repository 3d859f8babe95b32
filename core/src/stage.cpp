#include "billwatch/core/stage.hpp"

namespace billwatch {

std::string_view to_string(Stage stage) {
  switch (stage) {
    case Stage::none:
      return "";
    case Stage::introduced:
      return "introduced";
    case Stage::in_committee:
      return "in_committee";
    case Stage::reported:
      return "reported";
    case Stage::passed_one_chamber:
      return "passed_one_chamber";
    case Stage::passed_both_chambers:
      return "passed_both_chambers";
    case Stage::to_executive:
      return "to_executive";
    case Stage::enacted:
      return "enacted";
    case Stage::vetoed:
      return "vetoed";
    case Stage::failed:
      return "failed";
    case Stage::dead:
      return "dead";
  }
  return "";
}

std::optional<Stage> parse_stage(std::string_view name) {
  if (name.empty()) return Stage::none;
  for (Stage stage : stage::k_all) {
    if (to_string(stage) == name) return stage;
  }
  return std::nullopt;
}

std::ostream& operator<<(std::ostream& out, Stage stage) {
  return out << (stage == Stage::none ? std::string_view("(none)") : to_string(stage));
}

}  // namespace billwatch
