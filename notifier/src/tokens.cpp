#include "billwatch/notifier/tokens.hpp"

#include <charconv>
#include <vector>

#include "billwatch/core/hash.hpp"

namespace billwatch::notifier {

namespace {

std::string mac_of(std::string_view secret, std::string_view purpose, std::string_view what) {
  return hmac_sha256_hex(secret, "billwatch-" + std::string(purpose) + ":" + std::string(what));
}

// "12-34-mac" into its numbers ("12", "34") and the mac; nullopt unless it has exactly
// `count` numbers, each positive (or zero when `zero_ok`) and at most 18 digits.
struct Parts {
  std::vector<std::int64_t> numbers;
  std::string_view mac;
};
std::optional<Parts> split(std::string_view token, std::size_t count) {
  Parts parts;
  for (std::size_t i = 0; i < count; ++i) {
    auto dash = token.find('-');
    if (dash == std::string_view::npos || dash == 0 || dash > 18) return std::nullopt;
    std::int64_t n = 0;
    auto [end, error] = std::from_chars(token.data(), token.data() + dash, n);
    if (error != std::errc() || end != token.data() + dash || n <= 0) return std::nullopt;
    parts.numbers.push_back(n);
    token.remove_prefix(dash + 1);
  }
  if (token.size() != 64) return std::nullopt;
  parts.mac = token;
  return parts;
}

}  // namespace

std::string unsubscribe_token(std::string_view secret, std::int64_t subscriber_id) {
  std::string id = std::to_string(subscriber_id);
  return id + "-" + mac_of(secret, "unsubscribe", id);
}

std::optional<std::int64_t> verify_unsubscribe_token(std::string_view secret,
                                                     std::string_view token) {
  auto parts = split(token, 1);
  if (!parts) return std::nullopt;
  std::int64_t id = parts->numbers[0];
  if (!constant_time_equal(parts->mac, mac_of(secret, "unsubscribe", std::to_string(id))))
    return std::nullopt;
  return id;
}

std::string manage_token(std::string_view secret, std::int64_t subscriber_id,
                         std::int64_t generation) {
  std::string what = std::to_string(subscriber_id) + "-" + std::to_string(generation);
  return what + "-" + mac_of(secret, "manage", what);
}

std::optional<ManageToken> verify_manage_token(std::string_view secret, std::string_view token) {
  auto parts = split(token, 2);
  if (!parts) return std::nullopt;
  ManageToken out{parts->numbers[0], parts->numbers[1]};
  std::string what = std::to_string(out.subscriber_id) + "-" + std::to_string(out.generation);
  if (!constant_time_equal(parts->mac, mac_of(secret, "manage", what))) return std::nullopt;
  return out;
}

std::string confirmation_token(std::string_view secret, std::int64_t confirmation_id,
                               std::int64_t expires_at) {
  std::string what = std::to_string(confirmation_id) + "-" + std::to_string(expires_at);
  return what + "-" + mac_of(secret, "confirm", what);
}

std::optional<ConfirmationToken> verify_confirmation_token(std::string_view secret,
                                                           std::string_view token) {
  auto parts = split(token, 2);
  if (!parts) return std::nullopt;
  ConfirmationToken out{parts->numbers[0], parts->numbers[1]};
  std::string what = std::to_string(out.confirmation_id) + "-" + std::to_string(out.expires_at);
  if (!constant_time_equal(parts->mac, mac_of(secret, "confirm", what))) return std::nullopt;
  return out;
}

std::string form_token(std::string_view secret, std::string_view form, std::int64_t issued_at) {
  std::string when = std::to_string(issued_at);
  return when + "-" + mac_of(secret, "form", std::string(form) + ":" + when);
}

bool verify_form_token(std::string_view secret, std::string_view form, std::string_view token,
                       std::int64_t now, std::int64_t max_age) {
  auto parts = split(token, 1);
  if (!parts) return false;
  std::int64_t issued = parts->numbers[0];
  if (issued > now + 60 || now - issued > max_age) return false;
  return constant_time_equal(
      parts->mac, mac_of(secret, "form", std::string(form) + ":" + std::to_string(issued)));
}

}  // namespace billwatch::notifier
