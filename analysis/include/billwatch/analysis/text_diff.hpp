#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace billwatch::analysis {

// A run of words that the two versions share, or that only one of them has.
struct DiffPiece {
  enum class Kind { Same, Added, Removed };
  Kind kind = Kind::Same;
  std::string text;  // words with their original spacing
};

// One section of a bill ("Sec. 2", "## Section 3", or the text before the first heading)
// that differs between two versions.
struct SectionDiff {
  enum class Status { Changed, Added, Removed };
  std::string heading;  // the section's first line
  Status status = Status::Changed;
  std::vector<DiffPiece> pieces;
};

// Section-aware word diff of two texts. Sections are found by their headings (Sec. N,
// Section N, § N, NEW SECTION. Sec. N, Markdown headings) and aligned by number, so a
// reader sees which sections an amendment touched, added or struck; inside a matched
// section the words are diffed (dtl's shortest edit script). Sections that did not change
// are left out. Pure.
std::vector<SectionDiff> diff_sections(std::string_view old_text, std::string_view new_text);

// Word-diff text in git's style: [-removed-] {+added+}, long unchanged runs elided, a
// "@@ heading @@" line per section; with `color`, removals red and additions green.
std::string render_diff_text(const std::vector<SectionDiff>& sections, bool color);
// The same as an HTML fragment with <del> and <ins>. Each section's words are a
// <p class="diff-text">, which the page styles `white-space: pre-wrap` (a class, not an
// inline style: the web pages' Content-Security-Policy allows no inline style).
std::string render_diff_html(const std::vector<SectionDiff>& sections);

}  // namespace billwatch::analysis
