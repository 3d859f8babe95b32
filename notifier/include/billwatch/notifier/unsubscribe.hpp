#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace billwatch::notifier {

// Unsubscribe tokens: "<subscriber id>-<HMAC-SHA256 of it under the operator's secret>".
// Without the secret a token can be neither forged nor guessed, and one subscriber's token
// names only that subscriber.
std::string unsubscribe_token(std::string_view secret, std::int64_t subscriber_id);

// The subscriber a token was made for; nullopt for a forged, altered or malformed token.
std::optional<std::int64_t> verify_unsubscribe_token(std::string_view secret,
                                                     std::string_view token);

}  // namespace billwatch::notifier
