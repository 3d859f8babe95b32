#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace billwatch::analysis {

// Lower-cased ASCII words of a text; letters, digits and the characters "-./" inside a
// word ("time-out", "28a.600", "u.s.c") are kept together, other characters split words.
std::vector<std::string> words_of(std::string_view text);

// Paragraphs of a normalized text: blocks separated by blank lines.
std::vector<std::string_view> paragraphs_of(std::string_view text);

}  // namespace billwatch::analysis
