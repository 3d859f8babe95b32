#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "billwatch/core/result.hpp"

namespace billwatch::crawler {

struct HtmlText {
  std::string title;  // <title>, else the first <h1>; may be empty
  std::string text;   // readable text: one paragraph per block, blank line between blocks
};

// Hostile pages must not exhaust the stack or memory: gumbo 0.10.1 frees its tree
// recursively, so nesting is bounded before gumbo sees the page.
struct HtmlLimits {
  std::size_t max_depth = 1000;
  std::size_t max_elements = 500000;
};

// Turns UTF-8 HTML into clean text. Drops script, style, nav, header, footer, forms'
// controls and the like; keeps headings and paragraph breaks. Pure: no I/O. Fails (as a
// value) only when the page exceeds the limits.
Result<HtmlText> html_to_text(std::string_view utf8_html, const HtmlLimits& limits = {});

// The same for bill XML as govinfo publishes it (the bill DTD and USLM): metadata and
// struck text (<deleted-text>, <del>) are left out, sections, subsections and their kin
// become paragraphs, and the title is the official title.
Result<HtmlText> bill_xml_to_text(std::string_view utf8_xml, const HtmlLimits& limits = {});

}  // namespace billwatch::crawler
