// The HTML pages: recent changes, bills, one bill, one version, a diff, search, about.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "billwatch/analysis/provisions.hpp"
#include "billwatch/analysis/text_diff.hpp"
#include "billwatch/core/categories.hpp"
#include "billwatch/core/clock.hpp"
#include "billwatch/core/escape.hpp"
#include "billwatch/notifier/message.hpp"
#include "billwatch/notifier/wording.hpp"
#include "billwatch/store/records.hpp"
#include "site_detail.hpp"
#include "templates.hpp"

namespace billwatch::web::detail {

namespace {

constexpr std::size_t k_excerpt_bytes = 300;
constexpr std::size_t k_last_lines = 8;

std::string shortened(const std::string& text) {
  std::string out = utf8_truncate(text, k_excerpt_bytes);
  return out.size() < text.size() ? out + "…" : out;
}

// Where each paragraph of a stored text starts: paragraphs are separated by a blank line.
std::vector<std::size_t> paragraph_starts(const std::string& text) {
  std::vector<std::size_t> starts{0};
  for (std::size_t at = text.find("\n\n"); at != std::string::npos; at = text.find("\n\n", at)) {
    at += 2;
    while (at < text.size() && text[at] == '\n') ++at;
    if (at < text.size()) starts.push_back(at);
  }
  return starts;
}

std::size_t paragraph_of(const std::vector<std::size_t>& starts, std::size_t offset) {
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  return static_cast<std::size_t>(it - starts.begin()) - 1;
}

std::string version_path(const std::string& bill_id, int number) {
  return bill_path(bill_id) + "/versions/" + std::to_string(number);
}

std::string diff_path(const std::string& bill_id, int from, int to) {
  return bill_path(bill_id) + "/diff?from=" + std::to_string(from) + "&to=" + std::to_string(to);
}

// The lines of an event's account a page shows: its own link and ids are the page's.
list event_lines(const std::string& text) {
  list lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    std::size_t first = line.find_first_not_of(' ');
    if (first == std::string::npos) continue;
    line.erase(0, first);
    if (line.rfind("Bill page: ", 0) == 0 || line.rfind("Bill id: ", 0) == 0) continue;
    lines.push_back(line);
  }
  return lines;
}

// The first `count` lines of an event's account, each shortened, without a heading
// ("Added:", "New actions:") left with nothing under it.
list first_lines(const std::string& text, std::size_t count) {
  list all = event_lines(text);
  list out;
  for (std::size_t i = 0; i < all.size() && out.size() < count; ++i) {
    out.push_back(shortened(all[i].string_value()));
  }
  while (!out.empty() && !out.back().string_value().empty() &&
         out.back().string_value().back() == ':') {
    out.pop_back();
  }
  return out;
}

// "3" for a paragraph that opens a section ("Sec. 3.", "Section 3", "NEW SECTION. Sec. 3",
// "SEC. 3."); "" otherwise. Only letters, digits and '-' are kept: it becomes an id.
std::string section_number(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n')) text.remove_prefix(1);
  if (text.rfind("NEW SECTION.", 0) == 0) {
    text.remove_prefix(12);
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  }
  for (std::string_view lead : {"Sec.", "SEC.", "Section", "SECTION", "Sec", "§"}) {
    if (text.rfind(lead, 0) != 0) continue;
    text.remove_prefix(lead.size());
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    std::string number;
    for (char c : text) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
        number += c;
      } else {
        break;
      }
    }
    if (!number.empty() && std::isdigit(static_cast<unsigned char>(number[0]))) return number;
    return {};
  }
  return {};
}

list category_options(const std::string& selected) {
  list options;
  for (const auto& c : category_catalogue()) {
    object o{{"id", c.id}, {"name", c.name}};
    o["selected"] = data(c.id == selected);
    options.push_back(o);
  }
  return options;
}

std::string kind_name(EventKind kind) {
  switch (kind) {
    case EventKind::NewBill:
      return "New bills";
    case EventKind::NewVersion:
      return "New texts";
    case EventKind::ProvisionsChanged:
      return "Provisions changed";
    case EventKind::StatusChanged:
      return "Status changed";
    case EventKind::Action:
      return "New actions";
    case EventKind::SourceUnhealthy:
      return "Pages unreadable";
  }
  return "Changes";
}

}  // namespace

Response home_page(const Context& context, const Query& q) {
  store::EventQuery query = event_filter(q);
  query.limit = context.options.page_size;
  query.before = q.number("before", 0);
  std::vector<ChangeEvent> events = context.research.events(query);

  data values;
  values.set("jurisdiction", query.jurisdiction);
  values.set("categories", category_options(query.category));
  list kinds;
  for (EventKind k : {EventKind::NewBill, EventKind::NewVersion, EventKind::ProvisionsChanged,
                      EventKind::StatusChanged, EventKind::Action}) {
    object o{{"id", to_string(k)}, {"name", kind_name(k)}};
    o["selected"] = data(query.kind == k);
    kinds.push_back(o);
  }
  values.set("kinds", kinds);
  values.set("filtered", data(!query.jurisdiction.empty() || !query.category.empty() ||
                              query.kind.has_value()));
  list items;
  for (const auto& event : events) {
    notifier::EventWords words = notifier::describe_event(event, context.options.base_url);
    object item{{"date", date_of(event.created_at)},
                {"datetime", format_iso8601(event.created_at)},
                {"href", bill_path(event.bill.id)},
                {"title", words.title}};
    item["lines"] = first_lines(words.text, 3);
    items.push_back(item);
  }
  values.set("events", items);
  if (events.size() == query.limit) {
    values.set("older", "/?before=" + std::to_string(events.back().id) + filter_params(query));
  }
  return html_page(context, "Recent changes", render(Template::home, values));
}

Response bills_page(const Context& context, const Query& q) {
  store::BillFilter filter = bill_filter(q);
  std::vector<store::BillRow> rows = context.bills.bills(filter);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const auto& a, const auto& b) { return a.last_changed > b.last_changed; });
  const std::size_t size = context.options.page_size;
  const std::size_t pages = std::max<std::size_t>(1, (rows.size() + size - 1) / size);
  long long page = q.number("page", 1);
  if (page < 1 || static_cast<std::size_t>(page) > pages)
    throw PageError(404, "There is no such page.");

  data values;
  values.set("jurisdiction", filter.jurisdiction);
  values.set("categories", category_options(filter.category));
  list stages;
  for (Stage s : {Stage::introduced, Stage::in_committee, Stage::reported,
                  Stage::passed_one_chamber, Stage::passed_both_chambers, Stage::to_executive,
                  Stage::enacted, Stage::vetoed, Stage::failed, Stage::dead}) {
    object o{{"id", std::string(to_string(s))}};
    o["selected"] = data(filter.stage == s);
    stages.push_back(o);
  }
  values.set("stages", stages);
  values.set("count", std::to_string(rows.size()));
  values.set("count_words", rows.size() == 1 ? "bill" : "bills");
  if (pages > 1) {
    values.set("page", std::to_string(page));
    values.set("pages", std::to_string(pages));
  }
  list bills;
  std::size_t first = static_cast<std::size_t>(page - 1) * size;
  for (std::size_t i = first; i < rows.size() && i < first + size; ++i) {
    const store::BillRow& row = rows[i];
    bills.push_back(
        object{{"href", bill_path(row.bill.id)},
               {"id", row.bill.id},
               {"title", row.bill.title},
               {"stage", notifier::position(row.stage, notifier::chambers_of(row.bill))},
               {"changed", date_of(row.last_changed)}});
  }
  values.set("bills", bills);
  auto page_link = [&](long long n) {
    return "/bills?page=" + std::to_string(n) + filter_params(filter);
  };
  if (page > 1) values.set("previous", page_link(page - 1));
  if (static_cast<std::size_t>(page) < pages) values.set("next", page_link(page + 1));
  return html_page(context, "Bills", render(Template::bills, values));
}

Response bill_page(const Context& context, const std::string& bill_id) {
  auto history = context.research.history(bill_id);
  if (!history) throw PageError(404, "billwatch does not track a bill " + bill_id + ".");
  const store::BillRow& row = history->bill;
  const Bill& bill = row.bill;
  notifier::Chambers chambers = notifier::chambers_of(bill);

  data values;
  values.set("jurisdiction", bill.jurisdiction);
  values.set("heading",
             bill.identifier.empty() ? bill.id : bill.jurisdiction + " " + bill.identifier);
  values.set("title", bill.title);
  values.set("position", notifier::position(row.stage, chambers));
  set_text(values, "stage_date", row.stage_date);
  set_text(values, "next_step", notifier::next_step(row.stage, chambers));
  set_text(values, "sponsor", bill.sponsor);
  values.set("source", bill.source.empty() ? bill.url : bill.source);
  set_text(values, "source_href", safe_link(bill.url));
  values.set("feed", "/feeds/bills/" + url_encode(bill.id) + ".atom");
  values.set("api", "/api/v1/bills/" + url_encode(bill.id));
  values.set("legiscan", data(!bill.legiscan_id.empty()));

  store::EventQuery last_query;
  last_query.bill_id = bill.id;
  last_query.limit = 1;
  std::vector<ChangeEvent> last = context.research.events(last_query);
  if (!last.empty()) {
    notifier::EventWords words = notifier::describe_event(last[0], context.options.base_url);
    object o{{"date", date_of(last[0].created_at)}, {"title", words.title}};
    // The page shows the first changes; the diff and the feed have the rest.
    o["lines"] = first_lines(words.text, k_last_lines);
    values.set("last", o);
  }

  list groups;
  if (!history->versions.empty()) {
    const store::VersionRow& latest = history->versions.back();
    std::optional<Version> text = context.research.version(bill.id, latest.id);
    std::vector<std::size_t> starts = paragraph_starts(text ? text->text : std::string());
    for (const auto& category : category_catalogue()) {
      list items;
      for (const auto& p : latest.provisions) {
        if (p.category != category.id) continue;
        object item{{"section", p.section.empty() ? "the text" : p.section},
                    {"href", version_path(bill.id, latest.number) + "#p-" +
                                 std::to_string(paragraph_of(starts, p.start))}};
        set_text(item, "excerpt", shortened(without_heading_marks(p.excerpt)));
        items.push_back(item);
      }
      if (items.empty()) continue;
      object group{{"name", category.name}};
      group["items"] = items;
      groups.push_back(group);
    }
  }
  values.set("groups", groups);

  struct Entry {
    std::string date;
    object item;
  };
  std::vector<Entry> entries;
  for (const auto& a : history->actions) {
    entries.push_back(
        {a.action.date,
         object{{"date", a.action.date},
                {"text", (a.action.chamber.empty() ? std::string() : a.action.chamber + ": ") +
                             a.action.text}}});
  }
  for (const auto& v : history->versions) {
    std::string date = v.version_date.empty() ? date_of(v.provenance.fetched_at) : v.version_date;
    object item{{"date", date},
                {"text", "Version " + std::to_string(v.number) +
                             (v.label.empty() ? std::string() : " (" + v.label + ")")},
                {"href", version_path(bill.id, v.number)}};
    if (v.number > 1) item["diff"] = diff_path(bill.id, v.number - 1, v.number);
    entries.push_back({date, item});
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const Entry& a, const Entry& b) { return a.date < b.date; });
  list timeline;
  for (auto& e : entries) timeline.push_back(e.item);
  values.set("timeline", timeline);
  return html_page(context,
                   bill.jurisdiction + " " + (bill.identifier.empty() ? bill.id : bill.identifier),
                   render(Template::bill, values));
}

Response version_page(const Context& context, const std::string& bill_id, int number) {
  std::optional<Version> version = context.research.version_numbered(bill_id, number);
  if (!version) throw PageError(404, bill_id + " has no version " + std::to_string(number) + ".");
  std::vector<std::size_t> starts = paragraph_starts(version->text);
  std::map<std::size_t, std::set<std::string>> marks;
  list provisions;
  for (const auto& p : version->provisions) {
    std::size_t paragraph = paragraph_of(starts, p.start);
    marks[paragraph].insert(category_name(p.category));
    provisions.push_back(object{{"paragraph", std::to_string(paragraph)},
                                {"name", category_name(p.category)},
                                {"section", p.section.empty() ? "the text" : p.section}});
  }
  list paragraphs;
  std::set<std::string> anchored;
  for (std::size_t i = 0; i < starts.size(); ++i) {
    std::size_t end = i + 1 < starts.size() ? starts[i + 1] : version->text.size();
    std::string text = version->text.substr(starts[i], end - starts[i]);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    object o{{"index", std::to_string(i)}, {"text", without_heading_marks(text)}};
    // A section's first paragraph also answers to #sec-3, so a citation can link to it.
    if (std::string section = section_number(without_heading_marks(text));
        !section.empty() && anchored.insert(section).second) {
      o["section"] = section;
    }
    if (auto m = marks.find(i); m != marks.end()) {
      std::string names;
      for (const auto& n : m->second) names += (names.empty() ? "" : " · ") + n;
      o["marked"] = names;
    }
    paragraphs.push_back(o);
  }
  data values;
  values.set("bill", bill_id);
  values.set("number", std::to_string(number));
  set_text(values, "label", version->label);
  values.set("bill_href", bill_path(bill_id));
  if (number > 1) {
    values.set("diff", diff_path(bill_id, number - 1, number));
    values.set("previous", std::to_string(number - 1));
  }
  values.set("fetched", date_of(version->provenance.fetched_at));
  set_text(values, "source_href", safe_link(version->provenance.url));
  values.set("has_provisions", data(!version->provisions.empty()));
  values.set("provisions", provisions);
  values.set("paragraphs", paragraphs);
  return html_page(context, bill_id + " version " + std::to_string(number),
                   render(Template::version, values));
}

Response diff_page(const Context& context, const std::string& bill_id, const Query& q) {
  store::BillFilter one;
  one.bill_id = bill_id;
  std::vector<store::BillRow> rows = context.bills.bills(one);
  if (rows.empty()) throw PageError(404, "billwatch does not track a bill " + bill_id + ".");
  long long to = q.number("to", rows.front().latest_version);
  long long from = q.number("from", to - 1);
  if (from < 1 || to < 1 || from == to || from > 999999 || to > 999999) {
    throw PageError(404, "A diff needs two different versions of the bill.");
  }
  auto old_version = context.research.version_numbered(bill_id, static_cast<int>(from));
  auto new_version = context.research.version_numbered(bill_id, static_cast<int>(to));
  if (!old_version || !new_version) throw PageError(404, bill_id + " has no such version.");

  data values;
  values.set("bill", bill_id);
  values.set("bill_href", bill_path(bill_id));
  values.set("from", std::to_string(from));
  values.set("to", std::to_string(to));
  set_text(values, "from_label", old_version->label);
  set_text(values, "to_label", new_version->label);
  values.set("from_href", version_path(bill_id, static_cast<int>(from)));
  values.set("to_href", version_path(bill_id, static_cast<int>(to)));
  list changes;
  for (const auto& line : notifier::change_lines(
           analysis::diff_provisions(old_version->provisions, new_version->provisions))) {
    object change{{"text", line.text}};
    set_text(change, "excerpt", line.excerpt);
    changes.push_back(change);
  }
  values.set("changes", changes);
  auto sections = analysis::diff_sections(old_version->text, new_version->text);
  const std::string words =
      sections.empty() ? "<p>The texts are identical.</p>" : analysis::render_diff_html(sections);
  values.set("word_diff", words);
  return html_page(context,
                   bill_id + ": version " + std::to_string(from) + " to " + std::to_string(to),
                   render(Template::diff, values));
}

Response search_page(const Context& context, const Query& q) {
  data values;
  std::string query = q.param("q");
  values.set("query", query);
  if (!query.empty()) {
    values.set("searched", data(true));
    try {
      list hits;
      for (const auto& h : context.research.search(query, 50)) {
        std::string versions;
        for (int v : h.versions) versions += (versions.empty() ? "" : ", ") + std::to_string(v);
        hits.push_back(
            object{{"href", bill_path(h.bill_id)},
                   {"bill_id", h.bill_id},
                   {"title", h.title},
                   {"versions", (h.versions.size() == 1 ? "version " : "versions ") + versions},
                   {"snippet", h.snippet}});
      }
      values.set("hits", hits);
    } catch (const store::QueryError& e) {
      set_text(values, "error", e.what());
      values.set("searched", data(false));
    }
  }
  return html_page(context, "Search", render(Template::search, values));
}

Response about_page(const Context& context) {
  std::vector<store::BillRow> rows = context.bills.bills(store::BillFilter{});
  std::set<std::string> jurisdictions;
  for (const auto& r : rows) jurisdictions.insert(r.bill.jurisdiction);
  store::EventQuery last;
  last.limit = 1;
  std::vector<ChangeEvent> events = context.research.events(last);
  data values;
  values.set("site", context.options.site_name);
  values.set("bills", std::to_string(rows.size()));
  values.set("jurisdictions", std::to_string(jurisdictions.size()));
  if (!events.empty()) set_text(values, "last_change", format_iso8601(events[0].created_at));
  store::RunHealth health = context.research.health();
  if (health.last_run_finished != 0) {
    values.set("last_run", format_iso8601(health.last_run_finished));
  }
  // Whether each source is working, in counts: its errors are the operator's (they name
  // hosts and URLs, an API's among them) and stay in the log.
  list sources;
  bool unhealthy = false;
  for (const auto& h : health.sources) {
    std::string state;
    if (h.consecutive_failures > 0) {
      unhealthy = true;
      state = "not working: every page failed in the last " +
              (h.consecutive_failures == 1 ? std::string("run")
                                           : std::to_string(h.consecutive_failures) + " runs") +
              (h.last_success != 0 ? "; last worked " + date_of(h.last_success) : "");
    } else if (h.failures > 0) {
      state = std::to_string(h.failures) + " of " + std::to_string(h.pages) +
              " pages failed in the last run";
    } else {
      state = "working";
    }
    sources.push_back(object{{"name", h.source}, {"state", state}});
  }
  values.set("sources", sources);
  values.set("unhealthy", data(unhealthy));
  return html_page(context, "About", render(Template::about, values));
}

}  // namespace billwatch::web::detail
