#pragma once

// The cues of legal text the rules are made of, each a slot of the structure a provision
// has (operator, actor, act, object, qualifiers), written from docs/provision-taxonomy.md.
// Each definition in cues.cpp says which taxonomy rule it follows and where it was matched.
#include <string>
#include <string_view>

#include "phrase_index.hpp"

namespace billwatch::analysis::detail {

bool has_rs_term(std::string_view s);
int count_of(std::string_view s, Phrases phrases);
bool has_education_cue(std::string_view s);
int negative_cues(std::string_view s);
bool prohibits(std::string_view s);
std::string undefined_sentences(std::string_view s);
bool has_exception(std::string_view s);
bool is_definition(std::string_view s);
bool defines_prohibited_practices(std::string_view s);
std::string find_deadline(std::string_view s);
bool authorizes_force(std::string_view c);
bool mandates_policy(std::string_view c, bool duty_lead = false);
bool is_duty_lead(std::string_view last_lead);
bool lists_contents(std::string_view last_lead);
bool lists_what_a_policy_covers(std::string_view context, std::string_view lead);
bool states_coverage(std::string_view own);
bool carves_out_coverage(std::string_view own);
bool tells_an_administrator(std::string_view own);
bool reports_aggregate_data(std::string_view own);
std::string_view after_enumerator(std::string_view own);
bool describes_the_law(std::string_view own);

}  // namespace billwatch::analysis::detail
