#pragma once

#include <string>
#include <string_view>

namespace billwatch::crawler {

// Removes what is layout, not law, from text extracted from printed bills (PDF): printed
// line numbers, running headers and footers repeated on many pages, page numbers, and
// hyphenation at line ends; the lines of a paragraph are joined. Text without printed line
// numbers on at least 40% of its lines is returned unchanged. page_to_text applies it, so
// every text billwatch stores, hashes, compares and analyses is already without layout.
std::string remove_print_layout(std::string_view text);

}  // namespace billwatch::crawler
