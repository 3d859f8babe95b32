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

// Text decoded to UTF-8, with a count of the input bytes that were not valid in the source
// charset. Each invalid byte became U+FFFD, as browsers do, so one stray byte in a long bill
// page does not cost the whole page; the caller decides how many are too many.
struct DecodedText {
  std::string text;
  std::size_t invalid_bytes = 0;
  std::size_t first_invalid = std::string_view::npos;  // byte offset in the input
};

// Decodes bytes in `charset` (an iconv name such as "windows-1252"; "utf-8" is validated
// here, not by iconv) to UTF-8. Only an unknown charset is a Failure.
Result<DecodedText> decode_to_utf8(std::string_view bytes, const std::string& charset);

}  // namespace billwatch::crawler
