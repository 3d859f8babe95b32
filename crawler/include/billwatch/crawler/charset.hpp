#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "billwatch/core/result.hpp"

namespace billwatch::crawler {

// The charset parameter of a Content-Type value ("text/html; charset=UTF-8" -> "utf-8"),
// lower-cased and unquoted; empty when there is none.
std::string charset_from_content_type(std::string_view content_type);

// The charset a page declares in <meta charset> or <meta http-equiv="Content-Type"> within
// its first 1024 bytes, lower-cased; empty when there is none.
std::string sniff_meta_charset(std::string_view html);

// Byte offset of the first invalid UTF-8 sequence (overlong forms, surrogates and code
// points above U+10FFFF are invalid), or std::string_view::npos when the text is valid.
std::size_t find_invalid_utf8(std::string_view text);

// Converts bytes in `charset` (an iconv name such as "windows-1252") to UTF-8. A byte
// sequence invalid in that charset or an unknown charset is a Failure naming the offset.
Result<std::string> convert_to_utf8(std::string_view bytes, const std::string& charset);

}  // namespace billwatch::crawler
