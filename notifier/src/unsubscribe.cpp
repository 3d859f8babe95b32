#include "billwatch/notifier/unsubscribe.hpp"

#include <charconv>

#include "billwatch/core/hash.hpp"

namespace billwatch::notifier {

namespace {

std::string mac_of(std::string_view secret, std::int64_t subscriber_id) {
  return hmac_sha256_hex(secret, "billwatch-unsubscribe:" + std::to_string(subscriber_id));
}

}  // namespace

std::string unsubscribe_token(std::string_view secret, std::int64_t subscriber_id) {
  return std::to_string(subscriber_id) + "-" + mac_of(secret, subscriber_id);
}

std::optional<std::int64_t> verify_unsubscribe_token(std::string_view secret,
                                                     std::string_view token) {
  auto dash = token.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 18) return std::nullopt;
  std::int64_t id = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + dash, id);
  if (error != std::errc() || end != token.data() + dash || id <= 0) return std::nullopt;
  if (!constant_time_equal(token.substr(dash + 1), mac_of(secret, id))) return std::nullopt;
  return id;
}

}  // namespace billwatch::notifier
