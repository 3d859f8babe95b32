#pragma once
// The mails a subscriber causes themselves on the web (or the operator with `subscribe`
// without --confirmed): the confirmation of a request, the welcome after it, and a new
// manage link. Short, plain, and each says what to do if it was not asked for.
#include <string>
#include <vector>

#include "billwatch/core/subscription.hpp"
#include "billwatch/notifier/message.hpp"

namespace billwatch::notifier {

// A subscription in a parent's words: "Everything about restraint and seclusion in
// Washington", "New bills and new texts anywhere in the US, only bills that include: Ban
// on seclusion".
std::string describe_subscription(const SubscriptionFilter& filter);
// What a bill does to reach a stage, for any legislature: "passes one chamber", "goes to
// the Governor or the President", "becomes law" (a subscription's target stages).
std::string stage_words(Stage stage);

// The kinds of change a subscriber can choose on the web, with the words for each: the
// form's label and the phrase a description uses ("new bills"). source_unhealthy is the
// operator's, not offered.
struct KindWords {
  const char* id;      // "new_bill"
  const char* label;   // "New bills"
  const char* phrase;  // "new bills"
};
const std::vector<KindWords>& subscribable_kinds();

// "as soon as something changes", "once a day", "once a week".
std::string describe_frequency(Frequency frequency);


struct AccountMailOptions {
  std::string from;          // the [smtp] from
  std::string to;            // the address asked for
  std::string web_base_url;  // where the links point
  Timestamp now = 0;
};

// "Please confirm": what was asked for and the link to /confirm/{token} (valid until
// `expires_at`); no unsubscribe header, since nothing was subscribed.
Message confirmation_mail(const AccountMailOptions& options, std::int64_t confirmation_id,
                          const std::string& confirmation_token, const SubscriptionFilter& filter,
                          Frequency frequency, Timestamp expires_at);
// "You are subscribed": everything the subscriber now receives, the manage link and the
// one-click unsubscribe (with its List-Unsubscribe headers).
Message welcome_mail(const AccountMailOptions& options, const Subscriber& subscriber,
                     const std::string& manage_token, const std::string& unsubscribe_token);
// A fresh manage link, after "send me a new link" (the old ones stop working).
Message manage_link_mail(const AccountMailOptions& options, std::int64_t subscriber_id,
                         const std::string& manage_token);

}  // namespace billwatch::notifier
