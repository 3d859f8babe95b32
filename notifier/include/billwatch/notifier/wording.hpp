#pragma once

#include <string>
#include <vector>

#include "billwatch/core/bill.hpp"

// Where a bill stands, in the words a parent would use ("passed the House, in Senate
// committee") rather than billwatch's stage names. Pure functions of the bill and its
// actions.
namespace billwatch::notifier {

// The bodies a bill passes through, read from its identifier: "HB 1795" starts in the
// House, "S. 35" in the Senate, "AB 12" in the Assembly, Nebraska's "LB 3" in the
// (unicameral) Legislature. Empty names when the identifier does not say.
struct Chambers {
  std::string origin;     // "House"
  std::string other;      // "Senate"; "" for a unicameral legislature
  std::string executive;  // "the President" or "the Governor"
};

Chambers chambers_of(const Bill& bill);

// The bill's position for `stage`. `actions` are the actions that brought it there (an
// event's new actions), oldest first: they say which chamber passed it and whether it has
// since been referred to a committee of the other chamber.
std::string position(Stage stage, const Chambers& chambers,
                     const std::vector<Action>& actions = {});
// What usually comes next for a bill at `stage` ("a vote in the Senate", "the Governor's
// signature or veto"); "" when nothing does (enacted, vetoed, failed, dead).
std::string next_step(Stage stage, const Chambers& chambers);

}  // namespace billwatch::notifier
