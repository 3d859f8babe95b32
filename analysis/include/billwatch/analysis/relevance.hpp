#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/bill.hpp"

namespace billwatch::analysis {

// The relevance screen: does this text concern restraint or seclusion of students?
//
// A paragraph counts when it uses a restraint/seclusion term (restraint, seclusion,
// isolation, prone/supine, aversive, time-out room, ...) that is not one of the false
// friends (restraint of trade, restraining orders, passenger restraint systems, prior or
// fiscal restraint, ...) and its context (the paragraph, the one before it, and the title)
// speaks of schools and students more than of prisons, hospitals, vehicles, police or
// courts. The text is relevant when at least one paragraph counts; `score` is the number of
// paragraphs that do. See docs/provision-taxonomy.md §1, §4 and §6. Pure and deterministic.
Relevance screen_relevance(std::string_view title, std::string_view text);

// The topic profile for bill metadata (titles, subjects, a summary): the screen above, or
// any of `extra_terms` (case-insensitive phrases such as "keeping all students safe", for
// bills whose metadata never says "restraint"). Matched terms are added to the cues.
Relevance screen_topic(std::string_view title, std::string_view metadata,
                       const std::vector<std::string>& extra_terms);

}  // namespace billwatch::analysis
