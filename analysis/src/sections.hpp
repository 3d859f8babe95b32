#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "billwatch/analysis/provisions.hpp"

namespace billwatch::analysis::detail {

// The sections of `text` (see split_sections), with `lowered` its lower-cased copy.
std::vector<TextSection> split_sections(std::string_view text, const std::string& lowered);

}  // namespace billwatch::analysis::detail
