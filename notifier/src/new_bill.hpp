#pragma once

#include <string>
#include <vector>

#include "billwatch/core/event.hpp"

// What a new_bill alert says of the bill beyond its title.
namespace billwatch::notifier::detail {

// The bill's provisions by category, in the categories' words, the ones the subscriber
// follows first, then by importance, each with up to three sections: "Ban on seclusion
// (Sec. 3(b)); Telling parents (Sec. 4(1)(a))".
std::string what_it_says(const ChangeEvent& event, const std::vector<std::string>& followed);

// Where the bill stands and who sponsors it, when the source says: "Where it stands:
// introduced in the House (2025-07-10). Sponsor: Rep. Smith, Adam [D-WA-9]." "" when
// neither is known.
std::string new_bill_facts(const ChangeEvent& event);

}  // namespace billwatch::notifier::detail
