#include "billwatch/notifier/message.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "billwatch/core/categories.hpp"
#include "billwatch/core/escape.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/notifier/address.hpp"
#include "billwatch/notifier/wording.hpp"
#include "change_sentences.hpp"
#include "mail_parts.hpp"
#include "new_bill.hpp"

namespace billwatch::notifier {

using detail::domain_of;
using detail::manage_page;
using detail::site_base;
using detail::unsubscribe_page;
using detail::with_crlf;

namespace {

// A link when the URL is a web link, else the URL as text.
std::string html_link(const std::string& url) {
  if (!is_web_link(url)) return html_escape(url);
  return "<a href=\"" + html_escape(url) + "\">" + html_escape(url) + "</a>";
}

bool is_plain_ascii(std::string_view text) {
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || u < 0x20) return false;
  }
  return true;
}

std::string thousands(std::size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return thousands(n) + " " + (n == 1 ? one : many);
}

std::string display_title(const Bill& bill) {
  return bill.title.empty() ? bill.id : bill.title;
}

// LegiScan's data is CC BY 4.0: every alert built on it says so (data-sources §1.6).
constexpr const char* k_legiscan_attribution =
    "Bill data from LegiScan (https://legiscan.com), licensed CC BY 4.0.";

std::string headline(const ChangeEvent& event) {
  switch (event.kind) {
    case EventKind::NewBill:
      return "billwatch is now watching this bill. This is the first text it has stored.";
    case EventKind::NewVersion:
      if (event.version_number > 0) {
        return "The text of this bill changed: billwatch stored version " +
               std::to_string(event.version_number) +
               (event.version_label.empty() ? "" : " (" + event.version_label + ")") + ".";
      }
      return event.version_label.empty()
                 ? "The text of this bill changed: billwatch stored a new version."
                 : "A new version of this bill was published: " + event.version_label + ".";
    case EventKind::StatusChanged: {
      Chambers chambers = chambers_of(event.bill);
      // The old stage has no actions here: its chamber is the one the bill started in.
      // When it moved (its latest action's date) and what usually comes next.
      std::string when;
      for (const auto& a : event.new_actions) {
        if (!a.date.empty() && (when.empty() || a.stage == event.stage)) when = a.date;
      }
      std::string next = next_step(event.stage, chambers);
      return "This bill moved: " + position(event.old_stage, chambers) + " \u2192 " +
             position(event.stage, chambers, event.new_actions) +
             (when.empty() ? "" : " (" + when + ")") + "." +
             (next.empty() ? "" : " Next: " + next + ".");
    }
    case EventKind::Action:
      return event.stage == Stage::none
                 ? "The legislature recorded new actions on this bill."
                 : "The legislature recorded new actions on this bill. Where it stands: " +
                       position(event.stage, chambers_of(event.bill), event.new_actions) + ".";
    case EventKind::ProvisionsChanged:
      return "The new version changes what this bill says about restraint and seclusion.";
    case EventKind::SourceUnhealthy:
      return "billwatch can no longer read this bill's page: " + event.message +
             " Until it is fixed, changes to this bill may be missed.";
  }
  return {};
}

std::string size_sentence(const ChangeSummary& change) {
  return "The text went from " + thousands(change.old_chars) + " to " +
         thousands(change.new_chars) +
         " characters: " + plural(change.paragraphs_added, "paragraph", "paragraphs") + " added, " +
         plural(change.paragraphs_removed, "paragraph", "paragraphs") + " removed.";
}

std::string relevance_sentence(const ChangeEvent& event) {
  return event.relevant
             ? "The text concerns restraint or seclusion of students."
             : "The relevance screen found no restraint or seclusion of students in this text.";
}

// "2025-03-04 House: Passed third reading (passed_one_chamber)"
std::vector<std::string> action_lines(const ChangeEvent& event) {
  std::vector<std::string> lines;
  for (const auto& a : event.new_actions) {
    std::string line = a.date + (a.chamber.empty() ? "" : " " + a.chamber) + ": " + a.text;
    if (a.stage != Stage::none) line += " (" + std::string(to_string(a.stage)) + ")";
    lines.push_back(std::move(line));
  }
  return lines;
}

// At most this many changes in a mail; the rest are one line pointing to the full diff.
constexpr std::size_t k_changes_shown = 12;
// The first this many, with their words; the rest grouped by topic and direction.
constexpr std::size_t k_changes_first = 5;

// "and 7 more: billwatch diff WA-2025-HB-1795 --from 1 --to 2" (or the bill's page).
std::string more_changes_line(const ChangeEvent& event, std::size_t more, const std::string& page) {
  std::string where = !page.empty() ? page
                      : event.version_number > 1
                          ? "billwatch diff " + event.bill.id + " --from " +
                                std::to_string(event.version_number - 1) + " --to " +
                                std::to_string(event.version_number)
                          : "billwatch history " + event.bill.id;
  return "and " + std::to_string(more) + " more: " + where;
}

// The bill's page on the operator's site, "" without [web] base_url.
std::string bill_page(const Bill& bill, const std::string& web_base_url) {
  if (web_base_url.empty()) return {};
  return site_base(web_base_url) + "/bills/" + url_encode(bill.id);
}

// What one event says, below its bill's title: what happened, the details, the source.
// Said once per bill, after its last event: whether one of its events is about a text
// (only those can say what the text is about) and the events' ids ("2" or "events 2, 3").
std::pair<bool, std::string> bill_ids(const ChangeEvent& event,
                                      const std::vector<const ChangeEvent*>& bill_events) {
  bool about_a_text = event.version_id != 0;
  std::string ids = std::to_string(event.id);
  if (bill_events.size() > 1) {
    ids.clear();
    for (const ChangeEvent* e : bill_events) {
      ids += (ids.empty() ? "" : ", ") + std::to_string(e->id);
      about_a_text = about_a_text || e->version_id != 0;
    }
  }
  return {about_a_text, ids};
}

// `last`: the bill's last event in this message, which ends with what the text is about,
// where it came from and its ids (said once per bill, not once per event).
std::string event_text(const ChangeEvent& event, const std::string& web_base_url,
                       bool with_samples = true, bool last = true,
                       const std::vector<const ChangeEvent*>& bill_events = {},
                       const std::vector<std::string>& followed = {}) {
  std::string out = headline(event) + "\n";
  if (event.kind == EventKind::NewBill &&
      (!event.categories.empty() || !event.bill_provisions.empty())) {
    out += "What it says for students: " + detail::what_it_says(event, followed) + ".\n";
  }
  if (event.kind == EventKind::NewBill) {
    if (std::string facts = detail::new_bill_facts(event); !facts.empty()) out += facts + "\n";
  }
  if (event.change) {
    const ChangeSummary& change = *event.change;
    out += size_sentence(change) + "\n";
    if (with_samples && !change.added_samples.empty()) {
      out += "\nAdded:\n";
      for (const auto& s : change.added_samples) out += "  + " + without_heading_marks(s) + "\n";
    }
    if (with_samples && !change.removed_samples.empty()) {
      out += "\nRemoved:\n";
      for (const auto& s : change.removed_samples) {
        out += "  - " + without_heading_marks(s) + "\n";
      }
    }
  }
  if (!event.provision_changes.empty()) {
    std::vector<detail::ChangeSentence> changes = detail::change_sentences(event.provision_changes);
    out += "\nWhat changed for students:\n";
    for (std::size_t i = 0; i < changes.size() && i < k_changes_first; ++i) {
      out += "  * " + changes[i].text + "\n";
      if (!changes[i].excerpt.empty()) {
        out += "    \"" + without_heading_marks(changes[i].excerpt) + "\"\n";
      }
    }
    for (const auto& line : detail::grouped_details(changes, k_changes_first, k_changes_shown)) {
      out += "  * " + line + "\n";
    }
    if (changes.size() > k_changes_shown) {
      out += "  " +
             more_changes_line(event, changes.size() - k_changes_shown,
                               bill_page(event.bill, web_base_url)) +
             "\n";
    }
  }
  if (!event.new_actions.empty()) {
    out += "\nNew actions:\n";
    for (const auto& line : action_lines(event)) out += "  * " + line + "\n";
  }
  if (!last) return out;
  auto [about_a_text, ids] = bill_ids(event, bill_events);
  if (about_a_text) out += "\n" + relevance_sentence(event) + "\n";
  out += "\n";
  out += "Source: " + event.bill.url + "\n";
  if (std::string page = bill_page(event.bill, web_base_url); !page.empty()) {
    out += "Bill page: " + page + "\n";
  }
  if (!event.bill.legiscan_id.empty()) out += std::string(k_legiscan_attribution) + "\n";
  out += "Bill id: " + event.bill.id + (bill_events.size() > 1 ? " | events " : " | event ") + ids +
         " | " + format_iso8601(event.created_at) + "\n";
  return out;
}

std::string footer_text(const std::string& to, const MessageOptions& options) {
  const std::string& token = options.unsubscribe_token;
  const std::string& web_base_url = options.web_base_url;
  std::string out = "--\nYou receive this because " + to + " subscribed to billwatch alerts.";
  std::string manage = manage_page(web_base_url, options.manage_token);
  // With a manage link each way out has its own line; without, the old one-line footer.
  if (!manage.empty()) out += "\nTo change what you receive or how often, or to pause: " + manage;
  out += manage.empty() ? " " : "\n";
  if (token.empty()) {
    out += "To stop them, ask the operator to run `billwatch unsubscribe " + to + "`.\n";
  } else if (std::string page = unsubscribe_page(web_base_url, token); !page.empty()) {
    out += "To stop them, open " + page + " or use your mail program's unsubscribe button.\n";
  } else {
    out +=
        "To stop them, use your mail program's unsubscribe button, or ask the operator to "
        "run `billwatch unsubscribe --token " +
        token + "`.\n";
  }
  return out;
}

std::string html_list(const std::vector<std::string>& raw_items) {
  std::vector<std::string> items;
  for (const auto& item : raw_items) items.push_back(without_heading_marks(item));
  std::string out = "<ul>\n";
  for (const auto& item : items) out += "<li>" + html_escape(item) + "</li>\n";
  return out + "</ul>\n";
}

std::string event_html(const ChangeEvent& event, const std::string& web_base_url,
                       bool with_samples = true, const std::vector<std::string>& followed = {},
                       bool last = true, const std::vector<const ChangeEvent*>& bill_events = {}) {
  const Bill& bill = event.bill;
  std::string out = "<p>" + html_escape(headline(event)) + "</p>\n";
  if (event.kind == EventKind::NewBill &&
      (!event.categories.empty() || !event.bill_provisions.empty())) {
    out += "<p>What it says for students: " + html_escape(detail::what_it_says(event, followed)) +
           ".</p>\n";
  }
  if (event.kind == EventKind::NewBill) {
    if (std::string facts = detail::new_bill_facts(event); !facts.empty()) {
      out += "<p>" + html_escape(facts) + "</p>\n";
    }
  }
  if (event.change) {
    const ChangeSummary& change = *event.change;
    out += "<p>" + html_escape(size_sentence(change)) + "</p>\n";
    if (with_samples && !change.added_samples.empty()) {
      out += "<h3>Added</h3>\n" + html_list(change.added_samples);
    }
    if (with_samples && !change.removed_samples.empty()) {
      out += "<h3>Removed</h3>\n" + html_list(change.removed_samples);
    }
  }
  if (!event.provision_changes.empty()) {
    std::vector<detail::ChangeSentence> changes = detail::change_sentences(event.provision_changes);
    out += "<h3>What changed for students</h3>\n<ul>\n";
    for (std::size_t i = 0; i < changes.size() && i < k_changes_first; ++i) {
      out += "<li>" + html_escape(changes[i].text);
      if (!changes[i].excerpt.empty()) {
        out += "<br><small>\u201c" + html_escape(without_heading_marks(changes[i].excerpt)) +
               "\u201d</small>";
      }
      out += "</li>\n";
    }
    for (const auto& line : detail::grouped_details(changes, k_changes_first, k_changes_shown)) {
      out += "<li>" + html_escape(line) + "</li>\n";
    }
    if (changes.size() > k_changes_shown) {
      out += "<li>" +
             html_escape(more_changes_line(event, changes.size() - k_changes_shown,
                                           bill_page(bill, web_base_url))) +
             "</li>\n";
    }
    out += "</ul>\n";
  }
  if (!event.new_actions.empty()) out += "<h3>New actions</h3>\n" + html_list(action_lines(event));
  if (!last) return out;
  auto [about_a_text, ids] = bill_ids(event, bill_events);
  if (about_a_text) out += "<p>" + html_escape(relevance_sentence(event)) + "</p>\n";
  // Only http(s) URLs become links: a source URL comes from an API or a page, and a
  // javascript: or data: link in a mail is an attack on its reader.
  out += "<p>Source: " + html_link(bill.url) + "<br>\n";
  if (std::string page = bill_page(bill, web_base_url); !page.empty()) {
    out += "Bill page: " + html_link(page) + "<br>\n";
  }
  out += "Bill id: " + html_escape(bill.id) +
         (bill_events.size() > 1 ? " | events " : " | event ") + ids + " | " +
         format_iso8601(event.created_at) + "</p>\n";
  if (!bill.legiscan_id.empty()) {
    out += "<p><small>" + html_escape(k_legiscan_attribution) + "</small></p>\n";
  }
  return out;
}

std::string footer_html(const std::string& to, const MessageOptions& options) {
  const std::string& token = options.unsubscribe_token;
  const std::string& web_base_url = options.web_base_url;
  std::string out = "<hr><p><small>You receive this because " + html_escape(to) +
                    " subscribed to billwatch alerts. ";
  if (std::string page = manage_page(web_base_url, options.manage_token); !page.empty()) {
    out +=
        "<a href=\"" + html_escape(page) + "\">Change what you receive, how often, or pause</a>. ";
  }
  if (token.empty()) {
    out += "To stop them, ask the operator to run <code>billwatch unsubscribe " + html_escape(to) +
           "</code>.";
  } else if (std::string page = unsubscribe_page(web_base_url, token); !page.empty()) {
    out += "To stop them, <a href=\"" + html_escape(page) +
           "\">unsubscribe here</a> or use your mail program's unsubscribe button.";
  } else {
    out +=
        "To stop them, use your mail program's unsubscribe button, or ask the operator to "
        "run <code>billwatch unsubscribe --token " +
        html_escape(token) + "</code>.";
  }
  return out + "</small></p>\n";
}

// The events grouped for reading: by jurisdiction, then by bill (in the order their first
// event came), each bill's events oldest first.
std::vector<std::vector<const ChangeEvent*>> by_bill(const std::vector<ChangeEvent>& events) {
  std::vector<std::vector<const ChangeEvent*>> bills;
  for (const auto& e : events) {
    auto it = std::find_if(bills.begin(), bills.end(),
                           [&](const auto& group) { return group[0]->bill.id == e.bill.id; });
    if (it == bills.end()) {
      bills.push_back({&e});
    } else {
      it->push_back(&e);
    }
  }
  std::stable_sort(bills.begin(), bills.end(), [](const auto& a, const auto& b) {
    return a[0]->bill.jurisdiction < b[0]->bill.jurisdiction;
  });
  return bills;
}

// Whether one of a bill's events in this message says how its provisions changed.
bool says_provisions(const std::vector<const ChangeEvent*>& bill) {
  return std::any_of(bill.begin(), bill.end(), [](const ChangeEvent* e) {
    return e->kind == EventKind::ProvisionsChanged && !e->provision_changes.empty();
  });
}

std::string text_body(const std::vector<ChangeEvent>& events, const std::string& to,
                      const MessageOptions& options) {
  std::string out;
  // Headings only for a message about several bills: one bill's updates need none.
  auto bills = by_bill(events);
  if (bills.size() > 1) {
    out += std::to_string(events.size()) + " updates on bills you follow.\n\n";
  }
  std::string jurisdiction;
  for (const auto& bill : bills) {
    const Bill& b = bill[0]->bill;
    if (bills.size() > 1 && b.jurisdiction != jurisdiction) {
      jurisdiction = b.jurisdiction;
      out += "=== " + jurisdiction + " ===\n\n";
    }
    out += display_title(b) + " (" + b.jurisdiction + ")\n\n";
    // When the provisions say what changed, the text's paragraph samples would only repeat
    // it at length.
    bool provisions = says_provisions(bill);
    for (const ChangeEvent* e : bill) {
      out += event_text(*e, options.web_base_url, !provisions, e == bill.back(), bill,
                        options.followed_categories) +
             "\n";
    }
  }
  return out + footer_text(to, options);
}

std::string html_body(const std::vector<ChangeEvent>& events, const std::string& to,
                      const MessageOptions& options) {
  std::string title = events.size() == 1 ? display_title(events[0].bill)
                                         : std::to_string(events.size()) + " updates";
  std::string out = detail::html_head(title);
  auto bills = by_bill(events);
  if (bills.size() > 1) {
    out += "<p>" + std::to_string(events.size()) + " updates on bills you follow.</p>\n";
  }
  std::string jurisdiction;
  for (const auto& bill : bills) {
    const Bill& b = bill[0]->bill;
    if (bills.size() > 1 && b.jurisdiction != jurisdiction) {
      jurisdiction = b.jurisdiction;
      out += "<h1>" + html_escape(jurisdiction) + "</h1>\n";
    }
    out += "<h2>" + html_escape(display_title(b)) + " (" + html_escape(b.jurisdiction) + ")</h2>\n";
    bool provisions = says_provisions(bill);
    for (const ChangeEvent* e : bill) {
      out += event_html(*e, options.web_base_url, !provisions, options.followed_categories,
                        e == bill.back(), bill);
    }
  }
  return out + footer_html(to, options) + "</body></html>\n";
}

std::string subject_of(const ChangeEvent& event) {
  // A change of provisions is said in the subject itself: the most important one, and how
  // many more.
  if (event.kind == EventKind::ProvisionsChanged && !event.provision_changes.empty()) {
    std::vector<detail::ChangeSentence> changes = detail::change_sentences(event.provision_changes);
    std::string title = utf8_truncate(display_title(event.bill), 80);
    std::string more =
        changes.size() > 1 ? " (+" + std::to_string(changes.size() - 1) + " more)" : std::string();
    return "[billwatch] " + event.bill.jurisdiction + " " + title + ": " + changes[0].text + more;
  }
  std::string title = utf8_truncate(display_title(event.bill), 150);
  // A move is said in the subject: "[billwatch] US H.R. 6617: passed the House".
  if (event.kind == EventKind::StatusChanged) {
    return "[billwatch] " + event.bill.jurisdiction + " " + title + ": " +
           position(event.stage, chambers_of(event.bill), event.new_actions);
  }
  std::string what = event.kind == EventKind::NewBill             ? "now watching"
                     : event.kind == EventKind::NewVersion        ? "new version"
                     : event.kind == EventKind::ProvisionsChanged ? "provisions changed"
                     : event.kind == EventKind::Action            ? "new action"
                     : event.kind == EventKind::SourceUnhealthy   ? "page unreadable"
                                                                  : "status changed";
  return "[billwatch] " + event.bill.jurisdiction + " " + title + ": " + what;
}

}  // namespace

std::string encode_header_value(std::string_view text) {
  if (is_plain_ascii(text)) return std::string(text);
  // 75 characters per word minus "=?UTF-8?B?" and "?=" leaves 63 for base64: 45 bytes.
  constexpr std::size_t k_max_bytes = 45;
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = std::min(pos + k_max_bytes, text.size());
    // Never split a UTF-8 sequence across two encoded words.
    while (end < text.size() && end > pos &&
           (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
      --end;
    }
    if (end == pos) end = std::min(pos + k_max_bytes, text.size());
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(text.substr(pos, end - pos)) + "?=";
    pos = end;
  }
  return out;
}

std::vector<ChangeLine> change_lines(const std::vector<ProvisionChange>& changes) {
  std::vector<ChangeLine> out;
  for (auto& sentence : detail::change_sentences(changes)) {
    out.push_back({std::move(sentence.text), without_heading_marks(sentence.excerpt)});
  }
  return out;
}

EventWords describe_event(const ChangeEvent& event, const std::string& web_base_url) {
  std::string title = subject_of(event);
  constexpr std::string_view k_tag = "[billwatch] ";
  if (title.rfind(k_tag, 0) == 0) title.erase(0, k_tag.size());
  return {title, event_text(event, web_base_url)};
}

Message build_message(const ChangeEvent& event, const std::string& from, const std::string& to,
                      std::int64_t subscriber_id, Timestamp now) {
  return build_message(event, from, to, subscriber_id, now, MessageOptions{});
}

Message build_message(const ChangeEvent& event, const std::string& from, const std::string& to,
                      std::int64_t subscriber_id, Timestamp now, const MessageOptions& options) {
  return build_digest({event}, from, to, subscriber_id, now, options);
}

Message build_digest(const std::vector<ChangeEvent>& events, const std::string& from,
                     const std::string& to, std::int64_t subscriber_id, Timestamp now,
                     const MessageOptions& options) {
  if (events.empty()) throw std::invalid_argument("a message needs at least one event");
  if (has_line_break(options.unsubscribe_token) || has_line_break(options.manage_token) ||
      has_line_break(options.web_base_url)) {
    throw std::invalid_argument("mail header value contains a line break");
  }
  if (has_line_break(from) || has_line_break(to)) {
    throw std::invalid_argument("mail header value contains a line break");
  }
  Message message;
  message.envelope_from = address_of(from);
  message.envelope_to = address_of(to);
  if (!is_valid_address(message.envelope_from)) {
    throw std::invalid_argument("sender '" + from + "' is not a valid mail address");
  }
  if (!is_valid_address(message.envelope_to)) {
    throw std::invalid_argument("recipient '" + to + "' is not a valid mail address");
  }
  message.from = from;
  message.to = message.envelope_to;
  std::int64_t first = events.front().id;
  std::int64_t last = events.front().id;
  for (const auto& e : events) {
    first = std::min(first, e.id);
    last = std::max(last, e.id);
  }
  if (events.size() == 1) {
    if (options.digest.empty()) message.subject = encode_header_value(subject_of(events[0]));
    // Stable per (event, subscriber): a retried send after a crash carries the same id, so
    // mail clients can recognise the duplicate.
    message.message_id = "<billwatch.event" + std::to_string(first) + ".sub" +
                         std::to_string(subscriber_id) + "@" + domain_of(message.envelope_from) +
                         ">";
  }
  auto bills = by_bill(events);
  if (!options.digest.empty()) {
    // "[billwatch] Daily digest: 3 bills changed"
    std::string kind = options.digest;
    kind[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(kind[0])));
    message.subject =
        encode_header_value("[billwatch] " + kind + " digest: " + std::to_string(bills.size()) +
                            (bills.size() == 1 ? " bill changed" : " bills changed"));
  }
  if (events.size() > 1) {
    // One bill whose provisions changed: the subject says the most important change.
    const ChangeEvent* provisions = nullptr;
    if (bills.size() == 1) {
      for (const ChangeEvent* e : bills[0]) {
        if (e->kind == EventKind::ProvisionsChanged && !e->provision_changes.empty())
          provisions = e;
      }
    }
    // Cut at a character boundary: half a UTF-8 character makes the subject undecodable.
    std::string title = utf8_truncate(display_title(bills[0][0]->bill), 100);
    std::string more = bills.size() > 1 ? " and " + std::to_string(bills.size() - 1) +
                                              (bills.size() == 2 ? " more bill" : " more bills")
                                        : "";
    if (options.digest.empty()) {
      message.subject =
          encode_header_value(provisions ? subject_of(*provisions)
                                         : "[billwatch] " + std::to_string(events.size()) +
                                               " updates: " + title + more);
    }
    message.message_id = "<billwatch.events" + std::to_string(first) + "-" + std::to_string(last) +
                         ".sub" + std::to_string(subscriber_id) + "@" +
                         domain_of(message.envelope_from) + ">";
  }
  message.date = format_rfc5322(now);
  const std::string& token = options.unsubscribe_token;
  message.text = with_crlf(text_body(events, message.envelope_to, options));
  message.html = with_crlf(html_body(events, message.envelope_to, options));
  if (!token.empty()) {
    message.list_unsubscribe =
        "<mailto:" + message.envelope_from + "?subject=unsubscribe%20" + token + ">";
    // RFC 8058: the page answers a POST of "List-Unsubscribe=One-Click" at once.
    if (std::string page = unsubscribe_page(options.web_base_url, token); !page.empty()) {
      message.list_unsubscribe += ", <" + page + ">";
      message.list_unsubscribe_post = "List-Unsubscribe=One-Click";
    }
  }
  return message;
}

}  // namespace billwatch::notifier
