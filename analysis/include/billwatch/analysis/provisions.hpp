#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/bill.hpp"
#include "billwatch/core/event.hpp"

namespace billwatch::analysis {

// The 17 coarse categories of the provision taxonomy, in its order.
const std::vector<std::string>& provision_categories();

// A section or subdivision of a bill, with its citation path ("Sec. 3(2)(a)(v)",
// "§ 101(b)(1)") and where its own text lies in the analysed text.
struct TextSection {
  std::string path;
  std::size_t start = 0;
  std::size_t end = 0;
};

// Splits a normalized text at section headings (Sec. N, Section N, § N, NEW SECTION) and at
// enumerators ((1), (a), (i), (A), a., i.) that open a line or follow a sentence; each piece
// carries the citation path of the subdivision it belongs to.
std::vector<TextSection> split_sections(std::string_view text);

// A provision the analyzer found (the core value type: category, section, excerpt, byte
// range, exceptions flag, deadline, confidence).
using FoundProvision = Provision;
using billwatch::ProvisionChange;

struct ProvisionAnalysis {
  bool relevant = false;
  double score = 0;
  std::vector<FoundProvision> provisions;       // in text order
  std::vector<std::string> categories() const;  // distinct, in taxonomy order
};

// Finds the restraint/seclusion provisions of a normalized text. Deterministic rules:
// a clause must name restraint, seclusion or a kindred practice (or sit under a lead-in
// that does), be about students (the section, its lead-in or the whole text supplies the
// education context) and not about prisons, hospitals, courts, vehicles, trade or animals;
// each category then needs an operative wording (a prohibition governing the practice, a
// "means" for definitions, a duty with a deadline for notices), not a mere mention.
// Findings and purpose sections are relevant but establish nothing. Pure.
ProvisionAnalysis analyze_provisions(std::string_view text);

// Within each category, provisions are paired by the words they share (bills renumber
// their sections); a pair with different words is Changed, the rest Added or Removed.
std::vector<ProvisionChange> diff_provisions(const std::vector<FoundProvision>& before,
                                             const std::vector<FoundProvision>& after);

}  // namespace billwatch::analysis
