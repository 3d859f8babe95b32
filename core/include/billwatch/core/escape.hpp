#pragma once

#include <string>
#include <string_view>

// Escaping text for the formats billwatch writes: HTML (alert mails, HTML diffs), CSV
// (exports, --csv output) and URLs (API queries, links in alerts).
namespace billwatch {

// &, <, >, " and ' as entities: safe in element text and quoted attribute values.
std::string html_escape(std::string_view text);

// Percent-encodes a URL query value or path segment (RFC 3986: letters, digits and -._~
// stay).
std::string url_encode(std::string_view value);

// One RFC 4180 field: quoted (quotes doubled) when it holds a comma, quote or line break.
// A value a spreadsheet would run as a formula (it begins with =, +, -, @, a tab or a
// carriage return) gets a leading ' as OWASP recommends, so a bill title such as
// =HYPERLINK(...) opens as text. Exported CSV is for reading, not for formulas.
std::string csv_field(std::string_view value);

// Is this an http:// or https:// URL without spaces or control characters? Only such URLs
// become links (javascript:, data: never do); html_escape still escapes it in the href.
bool is_web_link(std::string_view url);

// May links in mails point at this site ([web] base_url)? An https URL, or plain http on
// loopback (127.0.0.1, localhost, [::1]: one machine, the tests). RFC 8058 asks for https,
// and a link in a mail that crosses a network in clear text would give its token away.
bool is_site_base_url(std::string_view url);

// Markdown heading marks ("## Section 2") removed where they open a line: they are how a
// page said "heading", not words of the bill, and must not show in diffs or mails.
// `line_start` says whether `text` itself begins a line.
std::string without_heading_marks(std::string_view text, bool line_start = true);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points past
// U+10FFFF): what a form field or a flag must be before it is kept as words.
bool is_valid_utf8(std::string_view text);

// At most `max_bytes` of UTF-8 text, cut at a character boundary, with "..." when cut.
std::string utf8_truncate(std::string_view text, std::size_t max_bytes);

}  // namespace billwatch
