#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace billwatch {

// Lower-case hex SHA-256 of the bytes. Versions are content-addressed by it.
std::string sha256_hex(std::string_view data);
// The 32 raw bytes of the SHA-256 of the data.
std::string sha256_bytes(std::string_view data);
// Lower-case hex HMAC-SHA256 of the data under the key.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Equality that takes the same time wherever the strings differ (for secrets).
bool constant_time_equal(std::string_view a, std::string_view b);
// Lower-case hex of `bytes` bytes from the operating system's random source.
std::string random_hex(std::size_t bytes);

}  // namespace billwatch

namespace billwatch {

// Standard base64 (RFC 4648) of the bytes, without line breaks.
std::string base64_encode(std::string_view data);
// The bytes of standard base64 text (line breaks allowed, as LegiScan's `doc` has them);
// nullopt when it is not base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace billwatch
