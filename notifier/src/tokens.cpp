#include "billwatch/notifier/tokens.hpp"

#include <charconv>
#include <vector>

#include "billwatch/core/hash.hpp"

namespace billwatch::notifier {

namespace {

// Every token is "<n1>[-<n2>]-<mac>": its numbers, then the HMAC of
// "billwatch-<purpose>:<prefix><n1>[-<n2>]" under the secret. The purpose keeps one kind of
// token from working as another; the prefix binds a form token to its form.
template <class Numbers>
std::string numbers_text(const Numbers& numbers) {
  std::string out;
  for (std::int64_t n : numbers) out += (out.empty() ? "" : "-") + std::to_string(n);
  return out;
}

std::string mac_of(std::string_view secret, std::string_view purpose, std::string_view what) {
  return hmac_sha256_hex(secret, "billwatch-" + std::string(purpose) + ":" + std::string(what));
}

std::string signed_token(std::string_view secret, std::string_view purpose,
                         std::initializer_list<std::int64_t> numbers,
                         const std::string& prefix = "") {
  std::string what = numbers_text(numbers);
  return what + "-" + mac_of(secret, purpose, prefix + what);
}

// The token's `count` numbers when it is well formed (each positive, at most 18 digits, then
// a 64-digit mac) and its mac is the one this secret makes; nullopt otherwise.
std::optional<std::vector<std::int64_t>> verified(std::string_view secret, std::string_view purpose,
                                                  std::string_view token, std::size_t count,
                                                  const std::string& prefix = "") {
  std::vector<std::int64_t> numbers;
  std::string_view rest = token;  // what is left after the numbers read so far
  for (std::size_t i = 0; i < count; ++i) {
    auto dash = rest.find('-');
    if (dash == std::string_view::npos || dash == 0 || dash > 18) return std::nullopt;
    std::int64_t n = 0;
    auto [end, error] = std::from_chars(rest.data(), rest.data() + dash, n);
    if (error != std::errc() || end != rest.data() + dash || n <= 0) return std::nullopt;
    numbers.push_back(n);
    rest.remove_prefix(dash + 1);
  }
  if (rest.size() != 64) return std::nullopt;
  if (!constant_time_equal(rest, mac_of(secret, purpose, prefix + numbers_text(numbers))))
    return std::nullopt;
  return numbers;
}

}  // namespace

std::string unsubscribe_token(std::string_view secret, std::int64_t subscriber_id) {
  return signed_token(secret, "unsubscribe", {subscriber_id});
}

std::optional<std::int64_t> verify_unsubscribe_token(std::string_view secret,
                                                     std::string_view token) {
  auto numbers = verified(secret, "unsubscribe", token, 1);
  if (!numbers) return std::nullopt;
  return (*numbers)[0];
}

std::string manage_token(std::string_view secret, std::int64_t subscriber_id,
                         std::int64_t generation) {
  return signed_token(secret, "manage", {subscriber_id, generation});
}

std::optional<ManageToken> verify_manage_token(std::string_view secret, std::string_view token) {
  auto numbers = verified(secret, "manage", token, 2);
  if (!numbers) return std::nullopt;
  return ManageToken{(*numbers)[0], (*numbers)[1]};
}

std::string confirmation_token(std::string_view secret, std::int64_t confirmation_id,
                               std::int64_t expires_at) {
  return signed_token(secret, "confirm", {confirmation_id, expires_at});
}

std::optional<ConfirmationToken> verify_confirmation_token(std::string_view secret,
                                                           std::string_view token) {
  auto numbers = verified(secret, "confirm", token, 2);
  if (!numbers) return std::nullopt;
  return ConfirmationToken{(*numbers)[0], (*numbers)[1]};
}

std::string form_token(std::string_view secret, std::string_view form, std::int64_t issued_at) {
  return signed_token(secret, "form", {issued_at}, std::string(form) + ":");
}

bool verify_form_token(std::string_view secret, std::string_view form, std::string_view token,
                       std::int64_t now, std::int64_t max_age) {
  auto numbers = verified(secret, "form", token, 1, std::string(form) + ":");
  if (!numbers) return false;
  std::int64_t issued = (*numbers)[0];
  return issued <= now + 60 && now - issued <= max_age;
}

}  // namespace billwatch::notifier
