// Commands for researchers: bill lists (also as of a date), one bill, its timeline, diffs
// between versions, full-text search, exports and backups. Read-only except backup.
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "billwatch/analysis/text_diff.hpp"
#include "billwatch/core/escape.hpp"
#include "commands.hpp"

namespace billwatch::app::detail {

namespace {

using nlohmann::ordered_json;

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

ordered_json bill_json(const store::BillRow& row) {
  return {{"id", row.bill.id},
          {"jurisdiction", row.bill.jurisdiction},
          {"session", row.bill.session},
          {"identifier", row.bill.identifier},
          {"title", row.bill.title},
          {"stage", row.stage},
          {"stage_date", row.stage_date},
          {"source", row.bill.source},
          {"url", row.bill.url},
          {"versions", row.versions},
          {"latest_version", row.latest_version_id},
          {"relevant", row.relevant},
          {"categories", row.categories},
          {"openstates_id", row.bill.openstates_id},
          {"legiscan_id", row.bill.legiscan_id},
          {"govinfo_package", row.bill.govinfo_package},
          {"first_seen", format_iso8601(row.first_seen)},
          {"last_changed", format_iso8601(row.last_changed)}};
}

store::BillRow find_bill(const store::Store& store, const std::string& id) {
  auto rows = store.bills();
  for (const auto& row : rows) {
    if (row.bill.id == id) return row;
  }
  throw UsageError("no bill '" + id + "'; `billwatch bills` lists them");
}

}  // namespace

int cmd_bills(const Options& options, std::ostream& out) {
  store::BillFilter filter;
  filter.jurisdiction = options.jurisdiction;
  for (auto& c : filter.jurisdiction)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  filter.stage = options.stage;
  if (!filter.stage.empty() && !stage::is_stage(filter.stage)) {
    throw UsageError(
        "--stage '" + filter.stage + "': expected one of " +
        join(std::vector<std::string>(stage::k_all.begin(), stage::k_all.end()), ", "));
  }
  filter.category = options.category;
  if (!options.since.empty()) filter.since = date_option("--since", options.since, false);
  if (!options.as_of.empty()) filter.as_of = date_option("--as-of", options.as_of, true);
  config::Config config = load(options);
  store::Store store = open_store(config);
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
               b.stage, b.stage_date, std::to_string(b.versions),
               std::to_string(b.latest_version_id), b.relevant ? "1" : "0", join(b.categories, ";"),
               format_iso8601(b.first_seen), format_iso8601(b.last_changed), b.bill.url});
    }
    return 0;
  }
  if (bills.empty()) out << "no bills match; `billwatch run` stores them\n";
  for (const auto& b : bills) {
    out << std::left << std::setw(24) << b.bill.id << " " << std::setw(3) << b.bill.jurisdiction
        << " " << std::setw(20) << (b.stage.empty() ? "-" : b.stage) << " " << std::setw(3)
        << b.versions << (b.relevant ? " R/S " : "     ") << format_iso8601(b.last_changed) << "  "
        << b.bill.title << "\n";
  }
  return 0;
}

int cmd_show(const Options& options, std::ostream& out, std::ostream&) {
  config::Config config = load(options);
  store::Store store = open_store(config);
  store::BillRow row = find_bill(store, options.bill_id);
  std::optional<Version> latest;
  if (row.latest_version_id != 0) latest = store.version(row.bill.id, row.latest_version_id);
  if (options.json) {
    ordered_json j = bill_json(row);
    if (latest) {
      ordered_json provisions = ordered_json::array();
      for (const auto& p : latest->provisions) {
        provisions.push_back(
            {{"category", p.category}, {"section", p.section}, {"excerpt", p.excerpt}});
      }
      j["latest"] = {{"id", latest->id},
                     {"label", latest->label},
                     {"content_hash", latest->content_hash},
                     {"chars", latest->text.size()},
                     {"fetched_at", format_iso8601(latest->provenance.fetched_at)},
                     {"url", latest->provenance.url},
                     {"relevant", latest->relevance.relevant},
                     {"relevance_cues", latest->relevance.cues},
                     {"provisions", provisions}};
      if (options.text) j["latest"]["text"] = latest->text;
    }
    out << j.dump(2) << "\n";
    return 0;
  }
  const Bill& b = row.bill;
  out << b.id << (b.identifier.empty() ? "" : " (" + b.identifier + ")") << ": " << b.title << "\n";
  out << "jurisdiction " << b.jurisdiction << (b.session.empty() ? "" : ", session " + b.session)
      << "\nstage        "
      << (row.stage.empty() ? "unknown" : row.stage + " since " + row.stage_date)
      << "\nsource       " << b.source << ", " << b.url << "\n";
  if (!b.openstates_id.empty()) out << "open states  " << b.openstates_id << "\n";
  if (!b.legiscan_id.empty()) out << "legiscan     " << b.legiscan_id << "\n";
  if (!b.govinfo_package.empty()) out << "govinfo      " << b.govinfo_package << "\n";
  out << "first seen   " << format_iso8601(row.first_seen) << ", last change "
      << format_iso8601(row.last_changed) << ", " << row.versions << " version(s)\n";
  if (latest) {
    out << "\nlatest version #" << latest->id
        << (latest->label.empty() ? "" : " (" + latest->label + ")") << ", fetched "
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

// One line of a bill's timeline.
struct TimelineEntry {
  std::string date;  // YYYY-MM-DD for actions, the fetch time for versions
  std::string kind;  // action, version, provisions
  std::string what;
};

std::vector<TimelineEntry> timeline_of(const store::BillHistory& history) {
  std::vector<TimelineEntry> entries;
  for (const auto& a : history.actions) {
    entries.push_back({a.action.date, "action",
                       (a.action.chamber.empty() ? "" : a.action.chamber + ": ") + a.action.text +
                           (a.action.stage.empty() ? "" : " [" + a.action.stage + "]")});
  }
  std::set<std::string> previous;
  for (std::size_t i = 0; i < history.versions.size(); ++i) {
    const auto& v = history.versions[i];
    std::string when = format_iso8601(v.provenance.fetched_at);
    entries.push_back({when, "version",
                       "#" + std::to_string(v.id) + (v.label.empty() ? "" : " " + v.label) +
                           (v.version_code.empty() ? "" : " (" + v.version_code + ")") +
                           (v.version_date.empty() ? "" : " of " + v.version_date) + ", " +
                           std::to_string(v.chars) + " chars, sha256 " +
                           v.content_hash.substr(0, 12) +
                           (v.relevance.relevant ? ", restraint/seclusion" : "")});
    std::set<std::string> categories;
    for (const auto& p : v.provisions) categories.insert(p.category);
    std::vector<std::string> added;
    std::vector<std::string> removed;
    for (const auto& c : categories) {
      if (!previous.count(c)) added.push_back("+" + c);
    }
    for (const auto& c : previous) {
      if (!categories.count(c)) removed.push_back("-" + c);
    }
    added.insert(added.end(), removed.begin(), removed.end());
    if (!added.empty()) entries.push_back({when, "provisions", join(added, " ")});
    previous = std::move(categories);
  }
  std::stable_sort(entries.begin(), entries.end(),
                   [](const TimelineEntry& a, const TimelineEntry& b) {
                     return a.date.substr(0, 10) < b.date.substr(0, 10);
                   });
  return entries;
}

}  // namespace

int cmd_history(const Options& options, std::ostream& out, std::ostream&) {
  config::Config config = load(options);
  store::Store store = open_store(config);
  auto history = store.history(options.bill_id);
  if (!history) throw UsageError("no bill '" + options.bill_id + "'; `billwatch bills` lists them");
  auto timeline = timeline_of(*history);
  if (options.json) {
    ordered_json j = bill_json(history->bill);
    j["timeline"] = ordered_json::array();
    for (const auto& e : timeline) {
      j["timeline"].push_back({{"date", e.date}, {"kind", e.kind}, {"what", e.what}});
    }
    j["versions"] = ordered_json::array();
    for (const auto& v : history->versions) {
      j["versions"].push_back({{"id", v.id},
                               {"label", v.label},
                               {"version_code", v.version_code},
                               {"version_date", v.version_date},
                               {"content_hash", v.content_hash},
                               {"chars", v.chars},
                               {"relevant", v.relevance.relevant},
                               {"relevance_cues", v.relevance.cues},
                               {"source", v.source},
                               {"url", v.provenance.url},
                               {"final_url", v.provenance.final_url},
                               {"fetched_at", format_iso8601(v.provenance.fetched_at)},
                               {"http_status", v.provenance.http_status},
                               {"etag", v.provenance.etag},
                               {"last_modified", v.provenance.last_modified},
                               {"raw_hash", v.provenance.raw_hash}});
    }
    j["events"] = ordered_json::array();
    for (const auto& e : history->events) {
      j["events"].push_back({{"id", e.id},
                             {"kind", to_string(e.kind)},
                             {"version_id", e.version_id},
                             {"at", format_iso8601(e.created_at)},
                             {"payload", ordered_json::parse(e.payload_json)}});
    }
    out << j.dump(2) << "\n";
    return 0;
  }
  if (options.csv) {
    csv_row(out, {"date", "kind", "what"});
    for (const auto& e : timeline) csv_row(out, {e.date, e.kind, e.what});
    return 0;
  }
  const auto& b = history->bill;
  out << b.bill.id << " (" << b.bill.jurisdiction << "): " << b.bill.title << "\n"
      << "stage " << (b.stage.empty() ? "unknown" : b.stage) << "; source " << b.bill.source << ", "
      << b.bill.url << "\n\n";
  for (const auto& e : timeline) {
    out << std::left << std::setw(20) << e.date.substr(0, e.kind == "action" ? 10 : 20) << " "
        << std::setw(10) << e.kind << " " << e.what << "\n";
  }
  return 0;
}

int cmd_diff(const Options& options, std::ostream& out, std::ostream&, bool terminal) {
  std::string format = options.format.empty() ? "text" : options.format;
  if (format != "text" && format != "html") {
    throw UsageError("--format '" + format + "': expected text or html");
  }
  config::Config config = load(options);
  store::Store store = open_store(config);
  auto history = store.history(options.bill_id);
  if (!history) throw UsageError("no bill '" + options.bill_id + "'; `billwatch bills` lists them");
  const auto& versions = history->versions;
  std::int64_t from = 0;
  std::int64_t to = 0;
  if (options.to_version) {
    to = *options.to_version;
  } else if (!versions.empty()) {
    to = versions.back().id;
  }
  if (options.from_version) {
    from = *options.from_version;
  } else {
    for (const auto& v : versions) {
      if (v.id < to) from = v.id;
    }
  }
  if (from == 0 || to == 0) {
    throw UsageError(options.bill_id + " has " + std::to_string(versions.size()) +
                     " version(s); a diff needs two (see `billwatch history " + options.bill_id +
                     "`)");
  }
  auto old_version = store.version(options.bill_id, from);
  auto new_version = store.version(options.bill_id, to);
  for (auto [id, v] : {std::pair{from, &old_version}, std::pair{to, &new_version}}) {
    if (!*v) {
      throw UsageError("no version " + std::to_string(id) + " of " + options.bill_id +
                       "; `billwatch history " + options.bill_id + "` lists them");
    }
  }
  auto sections = analysis::diff_sections(old_version->text, new_version->text);
  if (format == "html") {
    out << "<h2>" << options.bill_id << ": version " << from << " &rarr; " << to << "</h2>\n"
        << analysis::render_diff_html(sections);
    return 0;
  }
  bool color = options.color == "always" || (options.color == "auto" && terminal);
  out << "--- " << options.bill_id << " version " << from << " ("
      << format_iso8601(old_version->provenance.fetched_at) << ")\n+++ " << options.bill_id
      << " version " << to << " (" << format_iso8601(new_version->provenance.fetched_at) << ")\n";
  if (sections.empty()) out << "(the texts are identical)\n";
  out << analysis::render_diff_text(sections, color);
  return 0;
}

int cmd_search(const Options& options, std::ostream& out) {
  config::Config config = load(options);
  store::Store store = open_store(config);
  std::vector<store::SearchHit> hits;
  try {
    hits = store.search(options.query, options.limit);
  } catch (const store::QueryError& e) {
    throw UsageError(e.what());
  }
  if (options.json) {
    ordered_json list = ordered_json::array();
    for (const auto& h : hits) {
      list.push_back({{"bill_id", h.bill_id},
                      {"jurisdiction", h.jurisdiction},
                      {"title", h.title},
                      {"snippet", h.snippet},
                      {"first_version", h.first_version_id},
                      {"last_version", h.last_version_id},
                      {"rank", h.rank}});
    }
    out << list.dump(2) << "\n";
    return 0;
  }
  if (options.csv) {
    csv_row(out, {"bill_id", "jurisdiction", "title", "first_version", "last_version", "snippet"});
    for (const auto& h : hits) {
      csv_row(out, {h.bill_id, h.jurisdiction, h.title, std::to_string(h.first_version_id),
                    std::to_string(h.last_version_id), h.snippet});
    }
    return 0;
  }
  if (hits.empty()) out << "no matches for " << options.query << "\n";
  for (const auto& h : hits) {
    out << h.bill_id << " (" << h.jurisdiction << ") " << h.title << "\n  versions "
        << h.first_version_id
        << (h.last_version_id != h.first_version_id ? "-" + std::to_string(h.last_version_id)
                                                    : std::string())
        << ": " << h.snippet << "\n";
  }
  return 0;
}

int cmd_export(const Options& options, std::ostream& out) {
  std::string format = options.format.empty() ? "csv" : options.format;
  if (format != "csv" && format != "json") {
    throw UsageError("--format '" + format + "': expected csv or json");
  }
  config::Config config = load(options);
  store::Store store = open_store(config);
  for (const auto& file : store.export_tables(options.out_dir, format)) out << file << "\n";
  return 0;
}

int cmd_backup(const Options& options, std::ostream& out) {
  config::Config config = load(options);
  store::Store store = open_store(config);
  store.backup(options.backup_path);
  out << "backed up " << store.path() << " to " << options.backup_path << "\n";
  return 0;
}

}  // namespace billwatch::app::detail
