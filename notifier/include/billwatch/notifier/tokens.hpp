#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// The signed tokens in billwatch's links, each an HMAC-SHA256 under the operator's secret
// (notifier::unsubscribe_secret) over what it names and its purpose, so that without the
// secret a token can be neither forged nor guessed, names only its own subscriber or
// request, and a token for one purpose never works for another.
namespace billwatch::notifier {

// Unsubscribe: "<subscriber id>-<mac>". It never expires (RFC 8058: the header's link must
// keep working).
std::string unsubscribe_token(std::string_view secret, std::int64_t subscriber_id);
// The subscriber a token was made for; nullopt for a forged, altered or malformed token.
std::optional<std::int64_t> verify_unsubscribe_token(std::string_view secret,
                                                     std::string_view token);

// Manage: "<subscriber id>-<generation>-<mac>". Revocable: the store keeps the current
// generation (Subscriber::manage_generation) and only a token of that generation works.
struct ManageToken {
  std::int64_t subscriber_id = 0;
  std::int64_t generation = 0;
};
std::string manage_token(std::string_view secret, std::int64_t subscriber_id,
                         std::int64_t generation);
std::optional<ManageToken> verify_manage_token(std::string_view secret, std::string_view token);

// Confirmation of a subscription request: "<request id>-<expires at>-<mac>". The expiry is
// signed, so it cannot be moved; whether it has passed is the caller's check.
struct ConfirmationToken {
  std::int64_t confirmation_id = 0;
  std::int64_t expires_at = 0;
};
std::string confirmation_token(std::string_view secret, std::int64_t confirmation_id,
                               std::int64_t expires_at);
std::optional<ConfirmationToken> verify_confirmation_token(std::string_view secret,
                                                           std::string_view token);

// A form's token against cross-site requests: "<issued at>-<mac>" over the form's name and
// what it acts on ("subscribe", "manage:12:3"). No cookie, no session: a page from this
// site carries it, a page elsewhere cannot make one.
std::string form_token(std::string_view secret, std::string_view form, std::int64_t issued_at);
// Whether `token` was made for `form` and issued within `max_age` seconds before `now`.
bool verify_form_token(std::string_view secret, std::string_view form, std::string_view token,
                       std::int64_t now, std::int64_t max_age);

}  // namespace billwatch::notifier
