#pragma once

#include <string>
#include <utility>
#include <vector>

#include "clauses.hpp"

namespace billwatch::analysis::detail {

// The categories a clause establishes, each with a confidence (docs/provision-taxonomy.md
// §2, with the §9 decisions on hard cases). `in_findings`: the clause is in a findings or
// purpose section, which establishes nothing (§3).
std::vector<std::pair<std::string, double>> classify(const Clause& clause, bool in_findings);

}  // namespace billwatch::analysis::detail
