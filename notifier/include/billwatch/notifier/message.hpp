#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/clock.hpp"
#include "billwatch/core/escape.hpp"
#include "billwatch/core/event.hpp"

namespace billwatch::notifier {

// A mail ready for delivery. Header values are final (encoded, no CR/LF); bodies use CRLF.
struct Message {
  std::string envelope_from;  // bare address for MAIL FROM
  std::string envelope_to;    // bare address for RCPT TO
  std::string from;           // From: header value
  std::string to;             // To: header value
  std::string subject;        // Subject: header value, RFC 2047-encoded when not ASCII
  std::string date;           // Date: header value (RFC 5322)
  std::string message_id;     // Message-ID: header value, with angle brackets
  std::string text;           // text/plain part
  std::string html;           // text/html part
  // RFC 2369 / RFC 8058 headers, "" when there is no unsubscribe token.
  std::string list_unsubscribe;
  std::string list_unsubscribe_post;
};

// What an alert offers besides its content.
struct MessageOptions {
  std::string unsubscribe_token;  // notifier::unsubscribe_token; "" for none
  std::string manage_token;       // notifier::manage_token; "" for none
  // "https://alerts.example.org" (or http on loopback): adds one-click unsubscribe and the
  // manage link.
  std::string web_base_url;
  std::string digest;  // "daily" or "weekly" for a digest: its subject says so
  // Categories the subscriber follows: a new bill's provisions of these are named first.
  std::vector<std::string> followed_categories;
};

// Builds the alert for one event and one recipient. Pure: the time comes from `now`.
// Throws std::invalid_argument when `from` or `to` contains CR/LF or is not an address.
Message build_message(const ChangeEvent& event, const std::string& from, const std::string& to,
                      std::int64_t subscriber_id, Timestamp now);
// The same with an unsubscribe token: List-Unsubscribe with a mailto: (the sender's
// address, subject "unsubscribe TOKEN") and, with a web base URL, an https link and
// List-Unsubscribe-Post for one-click unsubscribing (RFC 8058).
Message build_message(const ChangeEvent& event, const std::string& from, const std::string& to,
                      std::int64_t subscriber_id, Timestamp now, const MessageOptions& options);

// One message for several events (a run's alerts for one subscriber, or a digest),
// grouped by jurisdiction, then by bill, each bill's events oldest first. With one event it
// is build_message's message.
Message build_digest(const std::vector<ChangeEvent>& events, const std::string& from,
                     const std::string& to, std::int64_t subscriber_id, Timestamp now,
                     const MessageOptions& options);

// What an alert says of one event, for the web's pages and feeds: the subject's words
// without the "[billwatch] " tag, and the text part's account of the event (headline,
// what changed for students, new actions, source), in the same words as the mail.
struct EventWords {
  std::string title;
  std::string text;
};
EventWords describe_event(const ChangeEvent& event, const std::string& web_base_url);

// Provision changes as the alerts say them, most important first ("Removed: Ban on
// seclusion (was Sec. 3(4)(b))"), each with its words when it has them.
struct ChangeLine {
  std::string text;
  std::string excerpt;
};
std::vector<ChangeLine> change_lines(const std::vector<ProvisionChange>& changes);

// RFC 2047: ASCII text without line breaks is returned as is; anything else becomes
// =?UTF-8?B?...?= words of at most 75 characters, folded onto continuation lines.
std::string encode_header_value(std::string_view text);

// HTML escaping for the mail bodies (billwatch::html_escape).
using billwatch::html_escape;

}  // namespace billwatch::notifier
