#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "billwatch/core/clock.hpp"
#include "billwatch/core/event.hpp"

namespace billwatch {

// What one subscription of a subscriber asks to hear about. Every list that is not empty
// must match; a list matches when any of its entries does. All empty: every event.
struct SubscriptionFilter {
  std::vector<std::string> jurisdictions;  // "WA", "US"
  std::vector<std::string> bills;          // bill ids: "US-119-HR-6617"
  std::vector<std::string> categories;     // provision categories: "seclusion_ban"
  std::vector<std::string> events;         // event kinds: "status_changed", "new_version"
  std::vector<std::string> stages;         // target stages of status_changed events
  std::vector<std::string> keywords;       // words of the bill's title, any case
  // Also texts the relevance screen judged not about restraint or seclusion (an html
  // source's other pages): only for those who ask for everything a source sees.
  bool all_pages = false;
};

// Target stages are about stage moves: a filter with stages also asks for status_changed
// events (the CLI's --stage and the web's stage choices both mean this).
void add_implied_events(SubscriptionFilter& filter);

// The web's preset "any new ban or permission, anywhere": new bills, new texts and changed
// provisions of bills with a ban (prone, mechanical, chemical restraint, seclusion,
// aversives) or a permission to restrain or seclude: what changes what may be done to a
// child.
SubscriptionFilter bans_and_permissions();
bool is_bans_and_permissions(const SubscriptionFilter& filter);  // any jurisdictions

// A filter's lists under the names they are stored, printed and given as JSON keys
// ("jurisdictions", "bills", "categories", "events", "stages", "keywords"), in that order:
// one place that knows them all, for every writer and reader of filters.
using FilterList = std::pair<const char*, std::vector<std::string>*>;
using ConstFilterList = std::pair<const char*, const std::vector<std::string>*>;
std::array<FilterList, 6> filter_lists(SubscriptionFilter& filter);
std::array<ConstFilterList, 6> filter_lists(const SubscriptionFilter& filter);

// How often a subscriber is mailed: each run's events at once, or a digest.
enum class Frequency { Immediate, Daily, Weekly };
// "immediate", "daily", "weekly": as stored, printed and given to `subscribe --digest`.
std::string_view to_string(Frequency frequency);
std::optional<Frequency> parse_frequency(std::string_view text);

// Someone who receives alerts, with what they asked for.
struct Subscriber {
  std::int64_t id = 0;
  std::string email;
  std::string name;
  Frequency frequency = Frequency::Immediate;
  std::vector<SubscriptionFilter> subscriptions;  // an event matching any is theirs
  std::vector<std::int64_t> subscription_ids;     // the stored rows, in the same order
  Timestamp created_at = 0;
  Timestamp last_digest_at = 0;  // daily/weekly: when the last digest went out
  bool paused = false;           // paused from the manage page: nothing is matched meanwhile
  // The manage link's generation: asking for a new link moves it, and links of older
  // generations stop working.
  std::int64_t manage_generation = 1;
};

// A subscription someone asked for on the web (or the operator with `subscribe` without
// --confirmed), waiting for its address to confirm it. Nothing is ever sent to the
// address but the confirmation mail until it is confirmed.
struct Confirmation {
  std::int64_t id = 0;
  std::string email;
  SubscriptionFilter filter;
  Frequency frequency = Frequency::Immediate;
  Timestamp requested_at = 0;
  Timestamp expires_at = 0;
  Timestamp confirmed_at = 0;  // 0: not confirmed yet
};

// One (subscriber, event) pair still to be mailed, with the attempts it has had.
struct PendingDelivery {
  Subscriber subscriber;
  ChangeEvent event;
  int attempts = 0;
};

}  // namespace billwatch
