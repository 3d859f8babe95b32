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
Result<std::string> pdf_to_text(std::string_view bytes, std::size_t max_pages = 2000);

}  // namespace billwatch::crawler
