#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/event.hpp"

namespace billwatch::notifier::detail {

// One change of a bill's restraint and seclusion provisions, said for a parent: the
// direction and the category's human name, where it stands, and for a reworded provision
// the words that changed. Categories never appear as ids.
struct ChangeSentence {
  std::string text;     // "Removed: Ban on seclusion (was Sec. 3(4)(b))"
  std::string excerpt;  // the provision's words (old ones when removed), shortened
  // The same in parts, for details grouped by topic:
  std::string topic;   // "Ban on seclusion" (several names when one paragraph has several)
  std::string kind;    // "removed from", "added in", "changed in"
  std::string detail;  // "Sec. 3(b)", "Sec. 2(2)(i)", "Sec. 2(1) (was Sec. 3(1)), reworded"
};

// The changes of a provisions_changed event, most important first: bans and permissions
// before limits, limits before duties, duties before definitions; within each, a removed
// protection or an added permission first. A provision whose paragraph carries several
// categories is one sentence naming them all.
std::vector<ChangeSentence> change_sentences(const std::vector<ProvisionChange>& changes);

// Sentences [from, to) as details, one line per topic and direction in the order of their
// first sentence: "Limits on when restraint or seclusion may be used: removed from Sec.
// 3(b), Sec. 3(c)". Four removals of one kind of provision are one line, not four.
std::vector<std::string> grouped_details(const std::vector<ChangeSentence>& sentences,
                                         std::size_t from, std::size_t to);

// How much a category matters to a student: bans, no punishment and permissions (0),
// limits on use (1), duties (2), coverage (3), definitions (4).
int category_weight(const std::string& category);

// What a reworded provision changed, in words: the words between the two texts' common
// start and end ("within 24 → 48 hours"); "" when the change is too long to say so.
std::string word_change(std::string_view before, std::string_view after);

}  // namespace billwatch::notifier::detail
