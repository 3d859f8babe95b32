#pragma once

#include <string>
#include <string_view>

#include "billwatch/core/result.hpp"

namespace billwatch::crawler {

enum class PageFormat { Html, Markdown, PlainText, Pdf, Xml };

struct PageText {
  PageFormat format = PageFormat::PlainText;
  std::string title;
  std::string text;  // normalized: see normalize_text()
  // Set when some bytes were not valid in the page's charset and were replaced by U+FFFD:
  // how many and where, for the operator's log. The page is still stored.
  std::string warning;
};

// Turns a fetched body into normalized UTF-8 text. Pure.
//  - The media type comes from `content_type`, else from the URL's extension, else from the
//    body's first bytes. HTML goes through html_to_text; Markdown and plain text pass through.
//  - The charset comes from `content_type`, else (HTML) from <meta charset>; an undeclared
//    body that is not valid UTF-8 is read as windows-1252, as browsers do. Bytes invalid in
//    the charset become U+FFFD (see PageText::warning); when more than
//    k_max_invalid_share of the body is invalid the charset is wrong or the body is not
//    text, and that is a Failure naming the charset and the first bad offset.
//  - PDFs give their text layer (pdf_to_text).
//  - Printed layout (line numbers, running headers, hyphenation) is removed from every
//    format by remove_print_layout: the text is what billwatch stores and compares.
//  - XML (by type, .xml, or an <?xml declaration) is read as govinfo bill XML
//    (bill_xml_to_text).
//  - Binary bodies (images, archives, octet streams, anything with NUL bytes) are Failures:
//    they are not a page's text.
inline constexpr double k_max_invalid_share = 0.05;

// Recorded with every version (versions.parser_version): bump it when a change to the text
// extraction would turn the same page into different text, so researchers can tell a
// re-extraction from a real amendment.
inline constexpr const char* k_page_text_version = "page_text/2";

Result<PageText> page_to_text(std::string_view body, std::string_view content_type,
                              std::string_view url);

// An HTML page decoded to UTF-8 as page_to_text decodes it (charset from the header or
// <meta>, invalid bytes replaced with a warning), for reading with selectors. A body that
// is not HTML (PDF, XML, text, binary) is a Failure.
struct PageHtml {
  std::string html;
  std::string warning;
};
Result<PageHtml> page_html(std::string_view body, std::string_view content_type,
                           std::string_view url);

// Line endings to \n, trailing blanks removed, runs of blank lines collapsed to one, no
// leading or trailing blank lines. Versions are compared by the hash of this form, so that
// whitespace-only differences do not count as changes.
std::string normalize_text(std::string_view text);

}  // namespace billwatch::crawler
