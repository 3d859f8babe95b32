#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "billwatch/core/result.hpp"

namespace billwatch::crawler {

// The text layer of a PDF document (poppler's C++ API), page by page in physical layout,
// pages separated by a blank line. Printed line numbers and running headers stay: they
// are layout, removed by analysis::normalize_bill_text. A document that is not a PDF, is
// encrypted, has no text layer or has more than `max_pages` pages is a Failure saying so.
//
// poppler is not hardened against hostile files, so this runs it in a child process
// (run_isolated): a PDF that crashes it, loops or eats memory costs that one document.
Result<std::string> pdf_to_text(std::string_view bytes, std::size_t max_pages = 2000);

// The same in this process: for the child above and for the fuzzer, which needs to see
// poppler's behaviour (and its crashes) in the process it instruments.
Result<std::string> pdf_to_text_in_process(std::string_view bytes, std::size_t max_pages = 2000);

}  // namespace billwatch::crawler
