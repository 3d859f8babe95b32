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
std::string csv_field(std::string_view value);

}  // namespace billwatch
