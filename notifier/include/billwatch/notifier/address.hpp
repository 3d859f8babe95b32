#pragma once

#include <string>
#include <string_view>

namespace billwatch::notifier {

// A plausible mail address: local@domain, no spaces, angle brackets, quotes or control
// characters (CR/LF in an address would let it inject mail headers).
bool is_valid_address(std::string_view address);

// "Bill alerts <alerts@example.org>" -> "alerts@example.org"; a bare address is returned
// unchanged.
std::string address_of(std::string_view mailbox);

// True when the text contains CR or LF (header injection).
bool has_line_break(std::string_view text);

}  // namespace billwatch::notifier
