#pragma once

// A text as the rules read it: clauses (sentences of each section piece), each with the
// lead-in of the list it belongs to and what that lead-in makes of it.
#include <string>
#include <string_view>
#include <vector>

namespace billwatch::analysis::detail {

// What a list's lead-in makes of its items (§9), decided once per lead-in: what a policy or
// rules must cover establishes those provisions (`policy`, any enclosing lead-in); what a
// definition, a report or a training covers is contents, not duties (`definition`,
// `contents`); "The board shall:" hands its duty to the items (`duty`).
struct LeadIn {
  bool policy = false;
  bool definition = false;
  bool contents = false;
  bool duty = false;
};

// What a lead-in sentence makes of its items.
LeadIn read_lead_in(std::string_view sentence);

struct Clause {
  std::size_t start = 0;
  std::size_t end = 0;
  std::string section;
  std::string lowered;            // the clause
  std::string context;            // lead-in + clause, lower-cased; empty without a lead-in
  std::size_t lead_size = 0;      // the lead-in's length at the start of `context`
  LeadIn lead;                    // what the lead-ins say of their items
  bool section_rs = false;        // the enclosing section (or the whole text) names R/S
  bool section_findings = false;  // ... is a findings or purpose section (§3)
  bool force_law = false;         // the whole text lets school staff use force (§9)
};

bool is_abbreviation(std::string_view s, std::size_t dot);
std::size_t depth_of(const std::string& path);
std::vector<Clause> clauses_of(std::string_view text, const std::string& lowered);

}  // namespace billwatch::analysis::detail
