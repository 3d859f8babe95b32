// The subscriber commands: subscribe, unsubscribe, subscribers.
#include <cctype>
#include <nlohmann/json.hpp>
#include <sstream>

#include "billwatch/core/categories.hpp"
#include "billwatch/core/escape.hpp"
#include "billwatch/notifier/account_mail.hpp"
#include "billwatch/notifier/address.hpp"
#include "billwatch/notifier/secret.hpp"
#include "billwatch/notifier/tokens.hpp"
#include "billwatch/store/run_lock.hpp"
#include "billwatch/store/store.hpp"
#include "commands.hpp"

namespace billwatch::app::detail {

using nlohmann::ordered_json;

namespace {

// "wa" -> "WA"; a code that is not two letters is a usage error.
std::string jurisdiction_code(std::string j, const char* flag) {
  for (auto& c : j) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (j.size() != 2 || !std::isalpha(static_cast<unsigned char>(j[0])) ||
      !std::isalpha(static_cast<unsigned char>(j[1]))) {
    throw UsageError(std::string(flag) + " '" + j +
                     "': expected a two-letter code such as WA or US");
  }
  return j;
}

// One line for a subscription: "WA; events status_changed (enacted); keywords restraint".
std::string describe(const SubscriptionFilter& f) {
  std::string out;
  for (const auto& [what, list] : filter_lists(f)) {
    if (list->empty()) continue;
    out += (out.empty() ? "" : "; ") + std::string(what) + " ";
    for (std::size_t i = 0; i < list->size(); ++i) out += (i ? "," : "") + (*list)[i];
  }
  if (f.all_pages) out += (out.empty() ? "" : "; ") + std::string("every page, on topic or not");
  return out.empty() ? "everything" : out;
}

// A subscription as `subscriptions --json` prints it: every list, empty ones too.
ordered_json filter_json(const SubscriptionFilter& f) {
  ordered_json out = ordered_json::object();
  for (const auto& [key, list] : filter_lists(f)) out[key] = *list;
  return out;
}

// A category as the person wrote it (an id or its name, any case), or a usage error that
// suggests the nearest one.
std::string category_id(const std::string& text, const char* flag) {
  if (auto id = category_id_of(text)) return *id;
  const CategoryInfo& near = nearest_category(text);
  throw UsageError(std::string(flag) + " '" + text +
                   "' is not a provision category; did you mean " + near.id + " (" + near.name +
                   ")? `billwatch subscribe --help` lists them");
}

// Without --confirmed: the same confirmation mail the web's form sends, and nothing else
// until its link is opened.
int request_confirmation(const config::Config& config, store::Store& store, const Options& options,
                         const SubscriptionFilter& filter, std::optional<Frequency> frequency,
                         std::ostream& out) {
  if (!config.smtp) {
    throw UsageError(config.origin +
                     " has no [smtp] section, so no confirmation mail can be sent; add "
                     "--confirmed if " +
                     options.email + " already agreed to receive alerts");
  }
  if (!is_site_base_url(config.web.base_url)) {
    throw UsageError(config.origin +
                     ": [web] base_url must be an https address for a confirmation link (the "
                     "page is served by `billwatch serve`); add --confirmed if " +
                     options.email + " already agreed to receive alerts");
  }
  std::string secret =
      notifier::unsubscribe_secret(config.notifier.secret_env, detail::database_path(config));
  Timestamp now = SystemClock().now();
  Timestamp expires = now + 48 * 3600;
  Frequency how_often = frequency.value_or(Frequency::Immediate);
  Confirmation request = store.request_confirmation(options.email, filter, how_often, now, expires);
  notifier::Message mail = notifier::confirmation_mail(
      {config.smtp->from, options.email, config.web.base_url, now}, request.id,
      notifier::confirmation_token(secret, request.id, expires), filter, how_often, expires);
  std::ostringstream warnings;
  auto sender = smtp_sender(config, warnings);
  auto sent = sender->send(mail);
  if (!sent) {
    throw std::runtime_error("the confirmation mail to " + options.email +
                             " was not sent: " + sent.error());
  }
  out << "sent a confirmation mail to " << options.email << ": " << describe(filter)
      << "; alerts start when its link is opened (within 48 hours)\n";
  return 0;
}

}  // namespace

int cmd_subscribe(const Options& options, std::ostream& out) {
  if (!notifier::is_valid_address(options.email)) {
    throw UsageError("'" + options.email + "' is not a valid mail address");
  }
  if (options.name.find_first_of("\r\n") != std::string::npos) {
    throw UsageError("--name must not contain a line break");
  }
  SubscriptionFilter filter;
  for (const auto& j : options.jurisdictions) {
    filter.jurisdictions.push_back(jurisdiction_code(j, "--jurisdiction"));
  }
  filter.bills = options.sub_bills;
  for (const auto& event : options.sub_events) {
    try {
      (void)parse_event_kind(event);
    } catch (const std::invalid_argument&) {
      throw UsageError("--event '" + event +
                       "': expected new_bill, status_changed, action, new_version, "
                       "provisions_changed or source_unhealthy");
    }
    filter.events.push_back(event);
  }
  for (const auto& s : options.sub_stages) {
    if (!stage::is_stage(s)) {
      throw UsageError("--stage '" + s +
                       "': not a stage (introduced, in_committee, reported, "
                       "passed_one_chamber, passed_both_chambers, to_executive, enacted, "
                       "vetoed, failed, dead)");
    }
    filter.stages.push_back(s);
  }
  add_implied_events(filter);
  for (const auto& category : options.sub_categories) {
    filter.categories.push_back(category_id(category, "--category"));
  }
  for (const auto& keyword : options.sub_keywords) {
    if (!is_valid_utf8(keyword)) throw UsageError("--keyword: the word is not UTF-8 text");
  }
  filter.keywords = options.sub_keywords;
  filter.all_pages = options.all_pages;
  std::optional<Frequency> frequency;
  if (!options.digest.empty()) frequency = parse_frequency(options.digest);
  if (!options.digest.empty() && !frequency) {
    throw UsageError("--digest '" + options.digest + "': expected immediate, daily or weekly");
  }
  config::Config config = load(options);
  store::Store store = open_store(config);
  if (!options.confirmed)
    return request_confirmation(config, store, options, filter, frequency, out);
  bool is_new =
      store.add_subscription(options.email, options.name, filter, frequency, SystemClock().now());
  // The frequency is the subscriber's, for all their subscriptions: say which it is.
  Frequency now_sent = frequency.value_or(Frequency::Immediate);
  if (!frequency && !is_new) {
    for (const auto& s : store.subscribers()) {
      if (s.email == options.email) now_sent = s.frequency;
    }
  }
  out << (is_new ? "subscribed " : "added a subscription for ") << options.email << ": "
      << describe(filter) << "; alerts " << to_string(now_sent)
      << (frequency && !is_new ? " (for all of this address's subscriptions)" : "") << "\n";
  return 0;
}

int cmd_unsubscribe(const Options& options, std::ostream& out, std::ostream& err) {
  if (options.email.empty() == options.token.empty()) {
    throw UsageError("give either an address or --token TOKEN");
  }
  config::Config config = load(options);
  store::Store store = open_store(config);
  if (!options.token.empty()) {
    // The token as the mail gave it: alone, as the mailto: subject "unsubscribe TOKEN", or
    // at the end of the one-click link.
    std::string token = options.token;
    if (auto space = token.find_last_of(" /="); space != std::string::npos) {
      token = token.substr(space + 1);
    }
    // The token names a subscriber only if it was signed with this installation's secret.
    auto id = notifier::verify_unsubscribe_token(
        notifier::unsubscribe_secret(config.notifier.secret_env, detail::database_path(config)),
        token);
    if (!id) {
      err << "billwatch: this unsubscribe token is not valid (it was not made by this "
             "installation)\n";
      return 1;
    }
    std::optional<std::string> email = store.unsubscribe_id(*id);
    // A token used again (a second click) is success: the address gets no more alerts.
    out << (email ? "unsubscribed " + *email : std::string("already unsubscribed")) << "\n";
    return 0;
  }
  if (!store.unsubscribe(options.email)) {
    err << "billwatch: " << options.email << " is not subscribed\n";
    return 1;
  }
  out << "unsubscribed " << options.email << "\n";
  return 0;
}

int cmd_forget(const Options& options, std::ostream& out, std::ostream& err) {
  config::Config config = load(options);
  store::Store store = open_store(config);
  // The subscriber with its subscriptions and ledger rows, its requests waiting for
  // confirmation and the per-address mail counts: nothing else holds an address.
  if (!store.forget(options.email)) {
    err << "billwatch: " << options.email << " is not in the database\n";
    return 1;
  }
  out << "forgot " << options.email
      << ": its subscriber record, subscriptions, delivery ledger rows and subscription "
         "requests are deleted\n";
  return 0;
}

int cmd_subscribers(const Options& options, std::ostream& out) {
  config::Config config = load(options);
  store::Store store = open_store(config);
  auto subscribers = store.subscribers();
  auto pending = store.pending_confirmations(SystemClock().now());
  if (!options.email.empty()) {
    std::erase_if(subscribers,
                  [&](const store::Subscriber& s) { return s.email != options.email; });
    std::erase_if(pending, [&](const Confirmation& c) { return c.email != options.email; });
    if (subscribers.empty() && pending.empty())
      throw UsageError(options.email + " is not subscribed");
  }
  if (options.json) {
    ordered_json list = ordered_json::array();
    for (const auto& s : subscribers) {
      ordered_json subscriptions = ordered_json::array();
      for (const auto& f : s.subscriptions) {
        subscriptions.push_back(filter_json(f));
      }
      list.push_back({{"email", s.email},
                      {"name", s.name},
                      {"status", s.paused ? "paused" : "confirmed"},
                      {"frequency", to_string(s.frequency)},
                      {"subscriptions", subscriptions},
                      {"since", format_iso8601(s.created_at)}});
    }
    for (const auto& c : pending) {
      list.push_back({{"email", c.email},
                      {"name", ""},
                      {"status", "pending"},
                      {"frequency", to_string(c.frequency)},
                      {"subscriptions", ordered_json::array({filter_json(c.filter)})},
                      {"since", format_iso8601(c.requested_at)},
                      {"expires", format_iso8601(c.expires_at)}});
    }
    out << list.dump(2) << "\n";
    return 0;
  }
  if (subscribers.empty() && pending.empty())
    out << "no subscribers; add one with `billwatch subscribe EMAIL`\n";
  for (const auto& s : subscribers) {
    out << s.email << (s.name.empty() ? "" : " (" + s.name + ")") << "  " << to_string(s.frequency)
        << (s.paused ? "  paused" : "") << "  since " << format_iso8601(s.created_at) << "\n";
    for (const auto& f : s.subscriptions) out << "  - " << describe(f) << "\n";
  }
  if (!pending.empty()) out << "waiting for confirmation:\n";
  for (const auto& c : pending) {
    out << c.email << "  " << to_string(c.frequency) << "  asked " << format_iso8601(c.requested_at)
        << ", link expires " << format_iso8601(c.expires_at) << "\n  - " << describe(c.filter)
        << "\n";
  }
  return 0;
}

}  // namespace billwatch::app::detail
