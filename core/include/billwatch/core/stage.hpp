#pragma once

#include <array>
#include <optional>
#include <ostream>
#include <string_view>

namespace billwatch {

// Where a bill stands, normalized across legislatures. Sources map their own action texts
// onto these; `none` when unknown (or, on an action, when the action moves nothing). In
// the order a bill goes through them; the last four end its course.
enum class Stage {
  none,
  introduced,
  in_committee,
  reported,  // out of committee
  passed_one_chamber,
  passed_both_chambers,
  to_executive,
  enacted,
  vetoed,
  failed,
  dead,  // the session or Congress ended without it
};

// The name stored and shown to researchers ("passed_one_chamber"); "" for none.
std::string_view to_string(Stage stage);
// The stage of a stored name; "" is none; nullopt for a name that is none of them.
std::optional<Stage> parse_stage(std::string_view name);
std::ostream& operator<<(std::ostream& out, Stage stage);

// The names sources and tests have always used: stage::k_introduced, ...
namespace stage {
inline constexpr Stage k_introduced = Stage::introduced;
inline constexpr Stage k_in_committee = Stage::in_committee;
inline constexpr Stage k_reported = Stage::reported;
inline constexpr Stage k_passed_one_chamber = Stage::passed_one_chamber;
inline constexpr Stage k_passed_both_chambers = Stage::passed_both_chambers;
inline constexpr Stage k_to_executive = Stage::to_executive;
inline constexpr Stage k_enacted = Stage::enacted;
inline constexpr Stage k_vetoed = Stage::vetoed;
inline constexpr Stage k_failed = Stage::failed;
inline constexpr Stage k_dead = Stage::dead;

// Every stage, in the order a bill goes through them.
inline constexpr std::array<Stage, 10> k_all = {k_introduced,
                                                k_in_committee,
                                                k_reported,
                                                k_passed_one_chamber,
                                                k_passed_both_chambers,
                                                k_to_executive,
                                                k_enacted,
                                                k_vetoed,
                                                k_failed,
                                                k_dead};

// Is `name` one of the stages above?
inline bool is_stage(std::string_view name) {
  auto parsed = parse_stage(name);
  return parsed && *parsed != Stage::none;
}
}  // namespace stage

}  // namespace billwatch
