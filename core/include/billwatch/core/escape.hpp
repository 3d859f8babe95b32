#pragma once

#include <string>
#include <string_view>

// Escaping text for the formats billwatch writes: HTML (alert mails, HTML diffs) and CSV
// (exports, --csv output).
namespace billwatch {

// &, <, >, " and ' as entities: safe in element text and quoted attribute values.
std::string html_escape(std::string_view text);

// One RFC 4180 field: quoted (quotes doubled) when it holds a comma, quote or line break.
std::string csv_field(std::string_view value);

}  // namespace billwatch
