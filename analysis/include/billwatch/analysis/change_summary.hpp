#pragma once

#include <string_view>

#include "billwatch/core/event.hpp"

namespace billwatch::analysis {

// Compares two normalized texts paragraph by paragraph (a paragraph is a block separated by
// a blank line): how many paragraphs the new text adds and drops, with short samples of
// each, in document order. Moved paragraphs count as neither. Pure.
ChangeSummary summarize_change(std::string_view old_text, std::string_view new_text,
                               std::size_t max_samples = 3, std::size_t sample_chars = 240);

}  // namespace billwatch::analysis
