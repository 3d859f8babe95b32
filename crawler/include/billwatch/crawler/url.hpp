#pragma once

#include <string>
#include <string_view>

namespace billwatch::crawler {

// Percent-encodes a query parameter value (RFC 3986: letters, digits and -._~ stay).
std::string url_encode(std::string_view value);

}  // namespace billwatch::crawler
