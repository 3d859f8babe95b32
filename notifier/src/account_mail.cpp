#include "billwatch/core/escape.hpp"
#include "billwatch/notifier/account_mail.hpp"

#include <stdexcept>

#include "billwatch/core/categories.hpp"
#include "billwatch/core/event.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/core/jurisdictions.hpp"
#include "billwatch/notifier/address.hpp"
#include "mail_parts.hpp"

namespace billwatch::notifier {

namespace {

std::string joined(const std::vector<std::string>& items, const std::string& last = " and ") {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? last : ", ";
    out += items[i];
  }
  return out;
}

std::string kind_words(const std::string& kind) {
  for (const auto& k : subscribable_kinds()) {
    if (kind == k.id) return k.phrase;
  }
  if (kind == "source_unhealthy") return "a source that stops working";
  return kind;
}

std::string capitalized(std::string text) {
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 32);
  return text;
}

// A mail of text, with its HTML part the same text in paragraphs and links.
Message account_message(const AccountMailOptions& options, const std::string& subject,
                        const std::string& message_id, const std::string& text) {
  if (has_line_break(options.from) || has_line_break(options.to) ||
      has_line_break(options.web_base_url)) {
    throw std::invalid_argument("mail header value contains a line break");
  }
  Message m;
  m.envelope_from = address_of(options.from);
  m.envelope_to = address_of(options.to);
  if (!is_valid_address(m.envelope_from)) {
    throw std::invalid_argument("sender '" + options.from + "' is not a valid mail address");
  }
  if (!is_valid_address(m.envelope_to)) {
    throw std::invalid_argument("recipient '" + options.to + "' is not a valid mail address");
  }
  m.from = options.from;
  m.to = m.envelope_to;
  m.subject = encode_header_value(subject);
  m.date = format_rfc5322(options.now);
  m.message_id = "<billwatch." + message_id + "." + random_hex(6) + "@" +
                 detail::domain_of(m.envelope_from) + ">";
  m.text = detail::with_crlf(text);
  // The HTML part: the same words, paragraphs as paragraphs, "  - " lines as a list, links
  // as links.
  auto line_html = [](const std::string& line) {
    return is_web_link(line) ? "<a href=\"" + html_escape(line) + "\">" + html_escape(line) + "</a>"
                             : html_escape(line);
  };
  std::string html = detail::html_head(subject);
  bool in_list = false;
  bool in_paragraph = false;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line =
        text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    bool item = line.rfind("  - ", 0) == 0;
    if ((line.empty() || item) && in_paragraph) {
      html += "</p>\n";
      in_paragraph = false;
    }
    if (!item && in_list) {
      html += "</ul>\n";
      in_list = false;
    }
    if (line.empty()) continue;
    if (item) {
      if (!in_list) html += "<ul>\n";
      in_list = true;
      html += "<li>" + html_escape(line.substr(4)) + "</li>\n";
    } else {
      html += in_paragraph ? "<br>\n" : "<p>";
      in_paragraph = true;
      html += line_html(line);
    }
  }
  if (in_paragraph) html += "</p>\n";
  if (in_list) html += "</ul>\n";
  m.html = detail::with_crlf(html + "</body></html>\n");
  return m;
}

std::string subscription_lines(const std::vector<SubscriptionFilter>& filters) {
  std::string out;
  for (const auto& f : filters) out += "  - " + describe_subscription(f) + "\n";
  return out;
}

}  // namespace

const std::vector<KindWords>& subscribable_kinds() {
  static const std::vector<KindWords> k_kinds = {
      {"new_bill", "New bills", "new bills"},
      {"new_version", "New texts of a bill", "new texts of a bill"},
      {"status_changed", "A bill moving on (committee, vote, signature)",
       "a bill moving to a new stage"},
      {"action", "Every action on a bill (hearings, readings)", "every action on a bill"},
      {"provisions_changed", "Changes to what a bill does", "changes to what a bill does"},
  };
  return k_kinds;
}

std::string describe_subscription(const SubscriptionFilter& f) {
  std::vector<std::string> kinds;
  for (const auto& kind : f.events) kinds.push_back(kind_words(kind));
  std::string out = kinds.empty() ? "Everything about restraint and seclusion"
                                  : capitalized(joined(kinds, " and "));
  bool preset = is_bans_and_permissions(f);
  if (preset) out = "Any new ban or permission of restraint or seclusion";
  if (f.jurisdictions.empty()) {
    out += " anywhere in the US";
  } else {
    std::vector<std::string> names;
    for (const auto& code : f.jurisdictions) names.push_back(jurisdiction_name(code));
    out += " in " + joined(names);
  }
  if (!f.bills.empty()) out += ", only the bills " + joined(f.bills);
  if (!f.categories.empty() && !preset) {
    std::vector<std::string> names;
    for (const auto& id : f.categories) names.push_back(category_name(id));
    out += ", only bills that include: " + joined(names, " or ");
  }
  if (!f.stages.empty()) {
    std::vector<std::string> names;
    for (const auto& name : f.stages) {
      auto stage = parse_stage(name);
      names.push_back(stage ? stage_words(*stage) : name);
    }
    out += ", only when a bill " + joined(names, " or ");
  }
  if (!f.keywords.empty()) {
    std::vector<std::string> words;
    for (const auto& k : f.keywords) words.push_back("\"" + k + "\"");
    out += ", only bills whose title mentions " + joined(words, " or ");
  }
  if (f.all_pages) out += ", including pages not about restraint or seclusion";
  return out;
}

std::string stage_words(Stage stage) {
  switch (stage) {
    case Stage::introduced:
      return "is introduced";
    case Stage::in_committee:
      return "goes to a committee";
    case Stage::reported:
      return "comes out of committee";
    case Stage::passed_one_chamber:
      return "passes one chamber";
    case Stage::passed_both_chambers:
      return "passes both chambers";
    case Stage::to_executive:
      return "goes to the Governor or the President";
    case Stage::enacted:
      return "becomes law";
    case Stage::vetoed:
      return "is vetoed";
    case Stage::failed:
      return "fails";
    case Stage::dead:
      return "dies when the session ends";
    case Stage::none:
      break;
  }
  return "moves";
}

std::string describe_frequency(Frequency frequency) {
  switch (frequency) {
    case Frequency::Daily:
      return "once a day";
    case Frequency::Weekly:
      return "once a week";
    case Frequency::Immediate:
      break;
  }
  return "as soon as something changes";
}

Message confirmation_mail(const AccountMailOptions& options, std::int64_t confirmation_id,
                          const std::string& confirmation_token, const SubscriptionFilter& filter,
                          Frequency frequency, Timestamp expires_at) {
  if (!is_site_base_url(options.web_base_url)) {
    throw std::invalid_argument("a confirmation mail needs an https [web] base_url");
  }
  std::string confirm_url =
      detail::site_base(options.web_base_url) + "/confirm/" + confirmation_token;
  std::string text =
      "Someone, we hope you, asked billwatch to send alerts to this address about:\n" +
      subscription_lines({filter}) + "How often: " + describe_frequency(frequency) +
      ".\n\nTo start them, open this link and press Confirm (it works until " +
      format_iso8601(expires_at).substr(0, 10) + "):\n" + confirm_url +
      "\n\nIf you did not ask for this, ignore this mail: nothing more will be sent to you.\n";
  return account_message(options, "[billwatch] Please confirm your alerts",
                         "confirm" + std::to_string(confirmation_id), text);
}

Message welcome_mail(const AccountMailOptions& options, const Subscriber& subscriber,
                     const std::string& manage_token, const std::string& unsubscribe_token) {
  std::string manage = detail::manage_page(options.web_base_url, manage_token);
  std::string unsubscribe = detail::unsubscribe_page(options.web_base_url, unsubscribe_token);
  std::string text = "You are subscribed. billwatch will tell you about:\n" +
                     subscription_lines(subscriber.subscriptions) +
                     "How often: " + describe_frequency(subscriber.frequency) + ".\n";
  if (!manage.empty()) {
    text += "\nTo change what you receive or how often, or to pause:\n" + manage + "\n";
  }
  if (!unsubscribe.empty()) text += "\nTo stop all alerts:\n" + unsubscribe + "\n";
  Message m = account_message(options, "[billwatch] You are subscribed",
                              "welcome" + std::to_string(subscriber.id), text);
  if (!unsubscribe.empty()) {
    m.list_unsubscribe = "<mailto:" + m.envelope_from + "?subject=unsubscribe%20" +
                         unsubscribe_token + ">, <" + unsubscribe + ">";
    m.list_unsubscribe_post = "List-Unsubscribe=One-Click";
  }
  return m;
}

Message manage_link_mail(const AccountMailOptions& options, std::int64_t subscriber_id,
                         const std::string& manage_token) {
  std::string manage = detail::manage_page(options.web_base_url, manage_token);
  std::string text =
      "Here is a new link to change your billwatch alerts, pause them or stop them:\n" + manage +
      "\n\nLinks in earlier mails no longer open this page. If you did not ask for a new "
      "link, you can ignore this mail: your alerts are unchanged.\n";
  return account_message(options, "[billwatch] Your link to manage your alerts",
                         "manage" + std::to_string(subscriber_id), text);
}

}  // namespace billwatch::notifier
