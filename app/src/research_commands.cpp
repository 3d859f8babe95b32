// Commands for researchers: bill lists (also as of a date), one bill, its timeline, diffs
// between versions, full-text search, exports and backups. Read-only except backup.
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "billwatch/analysis/categories.hpp"
#include "billwatch/analysis/provisions.hpp"
#include "billwatch/analysis/text_diff.hpp"
#include "billwatch/core/categories.hpp"
#include "billwatch/core/escape.hpp"
#include "billwatch/core/terminal.hpp"
#include "billwatch/store/record_json.hpp"
#include "commands.hpp"

namespace billwatch::app::detail {

namespace {

using nlohmann::ordered_json;
using store::bill_json;

void csv_row(std::ostream& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << csv_field(fields[i]);
  out << "\r\n";
}

Timestamp date_option(const std::string& name, const std::string& value, bool end_of_day) {
  auto t = parse_date(value);
  if (!t) throw UsageError(name + " '" + value + "': expected a date such as 2025-03-01");
  return end_of_day ? *t + 86399 : *t;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
  return out;
}

store::BillRow find_bill(const store::Store& store, const std::string& id) {
  store::BillFilter one;
  one.bill_id = id;
  for (const auto& row : store.bills(one)) {
    if (row.bill.id == id) return row;
  }
  throw UsageError("no bill '" + id + "'; `billwatch bills` lists them");
}

Version numbered_version(const store::Store& store, const std::string& bill_id, int number) {
  auto version = store.version_numbered(bill_id, number);
  if (!version) {
    throw UsageError("no version " + std::to_string(number) + " of " + bill_id +
                     "; `billwatch history " + bill_id + "` lists them");
  }
  return *version;
}

// "Sec. 3(4)(b)", "Section 3(4)(b)", "§ 3(4)(b)" and "3(4)(b)" name one section.
std::string section_key(std::string_view path) {
  for (std::string_view prefix :
       {"NEW SECTION. ", "Sec. ", "SEC. ", "Section ", "SECTION ", "§ ", "§"}) {
    if (path.substr(0, prefix.size()) == prefix) {
      path.remove_prefix(prefix.size());
      break;
    }
  }
  std::string key;
  for (char c : path) {
    if (c != ' ' && c != '.') key += c;
  }
  return key;
}

// Where in `text` section `path` lies, with its subdivisions; nullopt when the text has no
// such section.
std::optional<std::pair<std::size_t, std::size_t>> section_range(const std::string& text,
                                                                 const std::string& path) {
  std::string wanted = section_key(path);
  std::size_t start = std::string::npos;
  std::size_t end = 0;
  for (const auto& section : analysis::split_sections(text)) {
    std::string key = section_key(section.path);
    if (key == wanted || key.rfind(wanted + "(", 0) == 0) {
      start = std::min(start, section.start);
      end = std::max(end, section.end);
    }
  }
  if (start == std::string::npos) return std::nullopt;
  return std::pair{start, end};
}

UsageError no_such_section(const std::string& path, const std::string& what) {
  return UsageError("no section '" + path + "' in " + what +
                    " (sections are cited as `billwatch show` lists them, e.g. 3(4)(b))");
}

}  // namespace

int cmd_bills(const Options& options, std::ostream& out) {
  store::BillFilter filter;
  filter.jurisdiction = options.jurisdiction;
  for (auto& c : filter.jurisdiction)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (auto stage = parse_stage(options.stage)) {
    filter.stage = *stage;
  } else {
    std::vector<std::string> names;
    for (Stage s : stage::k_all) names.emplace_back(to_string(s));
    throw UsageError("--stage '" + options.stage + "': expected one of " + join(names, ", "));
  }
  filter.category = options.category;
  filter.added_category = options.added_category;
  filter.removed_category = options.removed_category;
  for (std::string* c : {&filter.category, &filter.added_category, &filter.removed_category}) {
    if (c->empty()) continue;
    // An id or its name, in any case; a typo gets the nearest category.
    if (auto id = category_id_of(*c)) {
      *c = *id;
      continue;
    }
    const CategoryInfo& near = nearest_category(*c);
    throw UsageError("'" + *c + "' is not a provision category; did you mean " + near.id + " (" +
                     near.name + ")?");
  }
  if (!options.since.empty()) filter.since = date_option("--since", options.since, false);
  if (!options.as_of.empty()) filter.as_of = date_option("--as-of", options.as_of, true);
  config::Config config = load(options);
  store::Store store = open_existing_store(config);
  auto bills = store.bills(filter);
  if (options.json) {
    ordered_json list = ordered_json::array();
    for (const auto& b : bills) list.push_back(bill_json(b));
    out << list.dump(2) << "\n";
    return 0;
  }
  if (options.csv) {
    csv_row(out, {"id", "jurisdiction", "session", "identifier", "title", "stage", "stage_date",
                  "versions", "latest_version", "relevant", "categories", "first_seen",
                  "last_changed", "url"});
    for (const auto& b : bills) {
      csv_row(out,
              {b.bill.id, b.bill.jurisdiction, b.bill.session, b.bill.identifier, b.bill.title,
               std::string(to_string(b.stage)), b.stage_date, std::to_string(b.versions),
               std::to_string(b.latest_version), b.relevant ? "1" : "0", join(b.categories, ";"),
               format_iso8601(b.first_seen), format_iso8601(b.last_changed), b.bill.url});
    }
    return 0;
  }
  if (bills.empty()) out << "no bills match; `billwatch run` stores them\n";
  for (const auto& b : bills) {
    out << std::left << std::setw(24) << b.bill.id << " " << std::setw(3) << b.bill.jurisdiction
        << " " << std::setw(20)
        << (b.stage == Stage::none ? std::string("-") : std::string(to_string(b.stage))) << " "
        << std::setw(3) << b.versions << (b.relevant ? " R/S " : "     ")
        << format_iso8601(b.last_changed) << "  " << b.bill.title << "\n";
  }
  return 0;
}

int cmd_show(const Options& options, std::ostream& out, std::ostream&) {
  config::Config config = load(options);
  store::Store store = open_existing_store(config);
  store::BillRow row = find_bill(store, options.bill_id);
  std::optional<Version> latest;
  if (options.version) {
    latest = numbered_version(store, row.bill.id, *options.version);
  } else if (row.latest_version_id != 0) {
    latest = store.version(row.bill.id, row.latest_version_id);
  }
  if (!options.section.empty()) {
    if (!latest) throw UsageError(row.bill.id + " has no stored text");
    std::string what = row.bill.id + " version " + std::to_string(latest->number);
    auto range = section_range(latest->text, options.section);
    if (!range) throw no_such_section(options.section, what);
    // Named variables, not a structured binding: clang 14 (the fuzz build) cannot capture
    // those in a lambda.
    const std::size_t from = range->first;
    const std::size_t to = range->second;
    // The provisions that stand in the section, by their place in the text.
    std::erase_if(latest->provisions,
                  [&](const Provision& p) { return p.start < from || p.end > to; });
    latest->text = latest->text.substr(from, to - from);
  }
  const char* version_key = options.version || !options.section.empty() ? "version" : "latest";
  if (options.json) {
    ordered_json j = bill_json(row);
    if (latest) {
      j[version_key] = store::version_json(*latest, false);
      if (!options.section.empty()) j[version_key]["section"] = options.section;
      if (options.text) j[version_key]["text"] = latest->text;
    }
    out << j.dump(2) << "\n";
    return 0;
  }
  const Bill& b = row.bill;
  out << b.id << (b.identifier.empty() ? "" : " (" + b.identifier + ")") << ": " << b.title << "\n";
  out << "jurisdiction " << b.jurisdiction << (b.session.empty() ? "" : ", session " + b.session)
      << "\nstage        "
      << (row.stage == Stage::none ? "unknown"
                                   : std::string(to_string(row.stage)) + " since " + row.stage_date)
      << "\nsource       " << b.source << ", " << b.url << "\n";
  if (!b.openstates_id.empty()) out << "open states  " << b.openstates_id << "\n";
  if (!b.legiscan_id.empty()) out << "legiscan     " << b.legiscan_id << "\n";
  if (!b.govinfo_package.empty()) out << "govinfo      " << b.govinfo_package << "\n";
  out << "first seen   " << format_iso8601(row.first_seen) << ", last change "
      << format_iso8601(row.last_changed) << ", " << row.versions << " version(s)\n";
  if (latest) {
    out << "\n"
        << (options.version ? "version " : "latest version ") << latest->number << " of "
        << row.versions << " (" << latest->label << ")"
        << (options.section.empty() ? "" : ", section " + options.section) << ", fetched "
        << format_iso8601(latest->provenance.fetched_at) << ", " << latest->text.size()
        << " chars, sha256 " << latest->content_hash << "\n"
        << (latest->relevance.relevant
                ? "concerns restraint/seclusion of students: " + join(latest->relevance.cues, ", ")
                : std::string("no restraint/seclusion of students found"))
        << "\n";
    if (!latest->provisions.empty()) out << "\nprovisions:\n";
    for (const auto& p : latest->provisions) {
      out << "  " << p.category << " (" << p.section << "): " << p.excerpt << "\n";
    }
    if (options.text) out << "\n" << latest->text << "\n";
  }
  return 0;
}

namespace {

// One entry of a bill's timeline, as fields: researchers load these, people read them.
struct TimelineEntry {
  std::string date;          // YYYY-MM-DD for actions, the fetch time (ISO 8601) for versions
  std::string kind;          // action, version, provision
  int version = 0;           // the bill's version number (versions and provisions)
  std::string label;         // versions: the version's name
  std::string stage;         // actions: the stage it moved the bill to
  std::string chamber;       // actions
  std::string text;          // actions: the legislature's words
  std::string category;      // provisions: the category added or removed
  std::string change;        // provisions: added or removed
  std::string content_hash;  // versions
  std::size_t chars = 0;     // versions
  bool relevant = false;     // versions
};

std::vector<TimelineEntry> timeline_of(const store::BillHistory& history) {
  std::vector<TimelineEntry> entries;
  for (const auto& a : history.actions) {
    TimelineEntry e;
    e.date = a.action.date;
    e.kind = "action";
    e.stage = to_string(a.action.stage);
    e.chamber = a.action.chamber;
    e.text = a.action.text;
    entries.push_back(std::move(e));
  }
  std::set<std::string> previous;
  for (const auto& v : history.versions) {
    TimelineEntry e;
    e.date = format_iso8601(v.provenance.fetched_at);
    e.kind = "version";
    e.version = v.number;
    e.label = v.label;
    e.content_hash = v.content_hash;
    e.chars = v.chars;
    e.relevant = v.relevance.relevant;
    entries.push_back(e);
    std::set<std::string> categories;
    for (const auto& p : v.provisions) categories.insert(p.category);
    for (const auto& [set, other, change] : {std::tuple{&categories, &previous, "added"},
                                             std::tuple{&previous, &categories, "removed"}}) {
      for (const auto& c : *set) {
        if (other->count(c)) continue;
        TimelineEntry p;
        p.date = e.date;
        p.kind = "provision";
        p.version = v.number;
        p.category = c;
        p.change = change;
        entries.push_back(std::move(p));
      }
    }
    previous = std::move(categories);
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) {
                     return a.date.substr(0, 10) < b.date.substr(0, 10);
                   });
  return entries;
}

std::string describe(const TimelineEntry& e) {
  if (e.kind == "action") {
    return (e.chamber.empty() ? "" : e.chamber + ": ") + e.text +
           (e.stage.empty() ? "" : " [" + e.stage + "]");
  }
  if (e.kind == "version") {
    return "version " + std::to_string(e.version) + " (" + e.label + "), " +
           std::to_string(e.chars) + " chars, sha256 " + e.content_hash.substr(0, 12) +
           (e.relevant ? ", restraint/seclusion" : "");
  }
  return std::string(e.change == "added" ? "+" : "-") + e.category + " in version " +
         std::to_string(e.version);
}

}  // namespace

int cmd_history(const Options& options, std::ostream& out, std::ostream&) {
  config::Config config = load(options);
  store::Store store = open_existing_store(config);
  auto history = store.history(options.bill_id);
  if (!history) throw UsageError("no bill '" + options.bill_id + "'; `billwatch bills` lists them");
  auto timeline = timeline_of(*history);
  if (options.json) {
    ordered_json j = bill_json(history->bill);
    j["timeline"] = ordered_json::array();
    for (const auto& e : timeline) {
      ordered_json entry{{"date", e.date}, {"kind", e.kind}};
      if (e.version != 0) entry["version"] = e.version;
      if (e.kind == "action") {
        entry["chamber"] = e.chamber;
        entry["stage"] = e.stage;
        entry["text"] = e.text;
      } else if (e.kind == "version") {
        entry["label"] = e.label;
        entry["content_hash"] = e.content_hash;
        entry["chars"] = e.chars;
        entry["relevant"] = e.relevant;
      } else {
        entry["category"] = e.category;
        entry["change"] = e.change;
      }
      j["timeline"].push_back(std::move(entry));
    }
    j["versions"] = ordered_json::array();
    for (const auto& v : history->versions) {
      j["versions"].push_back(store::version_row_json(v));
    }
    std::map<std::int64_t, int> number_of;  // version row id -> number
    for (const auto& v : history->versions) number_of[v.id] = v.number;
    j["events"] = ordered_json::array();
    for (const auto& e : history->events) {
      ordered_json event{{"id", e.id}, {"kind", to_string(e.kind)}};
      if (e.version_id != 0) event["version"] = number_of[e.version_id];
      event["at"] = format_iso8601(e.created_at);
      event["payload"] = ordered_json::parse(e.payload_json);
      j["events"].push_back(std::move(event));
    }
    out << j.dump(2) << "\n";
    return 0;
  }
  if (options.csv) {
    csv_row(out, {"date", "kind", "version", "label", "stage", "chamber", "text", "category",
                  "change", "content_hash"});
    for (const auto& e : timeline) {
      csv_row(out, {e.date, e.kind, e.version ? std::to_string(e.version) : "", e.label, e.stage,
                    e.chamber, e.text, e.category, e.change, e.content_hash});
    }
    return 0;
  }
  const auto& b = history->bill;
  out << b.bill.id << " (" << b.bill.jurisdiction << "): " << b.bill.title << "\n"
      << "stage "
      << (b.stage == Stage::none ? std::string("unknown") : std::string(to_string(b.stage)))
      << "; source " << b.bill.source << ", " << b.bill.url << "\n\n";
  for (const auto& e : timeline) {
    out << std::left << std::setw(20) << e.date.substr(0, e.kind == "action" ? 10 : 20) << " "
        << std::setw(10) << e.kind << " " << describe(e) << "\n";
  }
  return 0;
}

namespace {

// A standalone HTML page for `diff --format html`: a browser or a mail shows it as it is.
std::string diff_page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         html_escape(title) +
         "</title>\n<style>\n"
         "body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 48em;"
         " margin: 1em auto; padding: 0 1em; color: #1a1a1a; }\n"
         "del { background: #fdd; color: #900; }\n"
         "ins { background: #dfd; color: #060; text-decoration: none; }\n"
         ".diff-text { white-space: pre-wrap; }\n"
         "h2, h3 { line-height: 1.2; }\n"
         "</style>\n</head>\n<body>\n<h1>" +
         html_escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
}

}  // namespace

int cmd_diff(const Options& options, std::ostream& out, std::ostream&, bool terminal) {
  std::string format = options.format.empty() ? "text" : options.format;
  if (format != "text" && format != "html") {
    throw UsageError("--format '" + format + "': expected text or html");
  }
  config::Config config = load(options);
  store::Store store = open_existing_store(config);
  store::BillRow row = find_bill(store, options.bill_id);
  int to = options.to_version.value_or(row.latest_version);
  int from = options.from_version.value_or(to - 1);
  if (row.versions < 2 && !(options.from_version && options.to_version)) {
    throw UsageError(options.bill_id + " has " + std::to_string(row.versions) +
                     " version(s); a diff needs two (see `billwatch history " + options.bill_id +
                     "`)");
  }
  Version old_version = numbered_version(store, options.bill_id, from);
  Version new_version = numbered_version(store, options.bill_id, to);
  // The diff writes colour codes of its own: the texts are made terminal-safe first.
  for (Version* v : {&old_version, &new_version}) {
    v->text = terminal_safe(v->text);
    v->label = terminal_safe(v->label);
  }
  std::string title = options.bill_id + ": version " + std::to_string(from) + " (" +
                      old_version.label + ") to version " + std::to_string(to) + " (" +
                      new_version.label + ")";
  if (!options.section.empty()) {
    title += ", section " + options.section;
    // A section only one version has is all added or all struck.
    bool found = false;
    for (Version* v : {&old_version, &new_version}) {
      auto range = section_range(v->text, options.section);
      found = found || range.has_value();
      v->text = range ? v->text.substr(range->first, range->second - range->first) : "";
    }
    if (!found) throw no_such_section(options.section, "either version of " + options.bill_id);
  }
  auto sections = analysis::diff_sections(old_version.text, new_version.text);
  if (format == "html") {
    out << diff_page(title, sections.empty() ? "<p>The texts are identical.</p>\n"
                                             : analysis::render_diff_html(sections));
    return 0;
  }
  bool color = options.color == "always" || (options.color == "auto" && terminal);
  out << "--- " << options.bill_id << " version " << from << " (" << old_version.label << ", "
      << format_iso8601(old_version.provenance.fetched_at) << ")\n+++ " << options.bill_id
      << " version " << to << " (" << new_version.label << ", "
      << format_iso8601(new_version.provenance.fetched_at) << ")\n";
  if (sections.empty()) out << "(the texts are identical)\n";
  out << analysis::render_diff_text(sections, color);
  return 0;
}

int cmd_search(const Options& options, std::ostream& out) {
  config::Config config = load(options);
  store::Store store = open_existing_store(config);
  std::vector<store::SearchHit> hits;
  try {
    hits = store.search(options.query, options.limit);
  } catch (const store::QueryError& e) {
    throw UsageError(e.what());
  }
  auto numbers = [](const std::vector<int>& versions, const char* separator) {
    std::vector<std::string> list;
    for (int v : versions) list.push_back(std::to_string(v));
    return join(list, separator);
  };
  if (options.json) {
    ordered_json list = ordered_json::array();
    for (const auto& h : hits) list.push_back(store::search_hit_json(h));
    out << list.dump(2) << "\n";
    return 0;
  }
  if (options.csv) {
    csv_row(out, {"bill_id", "jurisdiction", "title", "versions", "snippet"});
    for (const auto& h : hits) {
      csv_row(out, {h.bill_id, h.jurisdiction, h.title, numbers(h.versions, ";"), h.snippet});
    }
    return 0;
  }
  if (hits.empty()) out << "no matches for " << options.query << "\n";
  for (const auto& h : hits) {
    out << h.bill_id << " (" << h.jurisdiction << ") " << h.title << "\n  "
        << (h.versions.size() == 1 ? "version " : "versions ") << numbers(h.versions, ", ") << ": "
        << h.snippet << "\n";
  }
  return 0;
}

int cmd_export(const Options& options, std::ostream& out) {
  std::string format = options.format.empty() ? "csv" : options.format;
  if (format != "csv" && format != "json") {
    throw UsageError("--format '" + format + "': expected csv or json");
  }
  config::Config config = load(options);
  store::Store store = open_existing_store(config);
  // The categories' plain words come from the analyzer, where they are written once.
  std::string categories =
      "\n## Categories\n\nThe `category` columns hold one of these 17 ids, from the provision "
      "taxonomy. Permits: the provision allows restraint or seclusion rather than protecting "
      "students from it.\n\n| id | name | what it means | permits |\n|---|---|---|---|\n";
  for (const auto& c : analysis::category_catalogue()) {
    categories += "| `" + c.id + "` | " + c.name + " | " + c.description + " | " +
                  (c.permits ? "yes" : "no") + " |\n";
  }
  for (const auto& file : store.export_tables(options.out_dir, format, options.force, categories)) {
    out << file << "\n";
  }
  return 0;
}

int cmd_check(const Options& options, std::ostream& out) {
  config::Config config = load(options);
  store::Store store = open_existing_store(config);
  std::vector<store::Damage> damage = store.check();
  if (damage.empty()) {
    out << store.path() << ": ok (SQLite integrity, every text against its hash, every "
        << "event's version, every delivery's event)\n";
    return 0;
  }
  for (const auto& d : damage) {
    out << "damaged: " << (d.bill_id.empty() ? std::string("database") : d.bill_id)
        << (d.version ? " version " + std::to_string(d.version) : std::string()) << ": " << d.what
        << "\n";
  }
  out << damage.size() << " problem(s) in " << store.path()
      << "; restore a backup (`billwatch backup`) or ask the maintainers\n";
  return 1;
}

int cmd_backup(const Options& options, std::ostream& out) {
  config::Config config = load(options);
  store::Store store = open_existing_store(config);
  store.backup(options.backup_path);
  out << "backed up " << store.path() << " to " << options.backup_path << "\n";
  return 0;
}

}  // namespace billwatch::app::detail
