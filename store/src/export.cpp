// Exports for researchers (CSV or JSON tables with a codebook) and online backups.
#include <SQLiteCpp/Backup.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string_view>

#include "billwatch/core/escape.hpp"
#include "rows.hpp"
#include "store_impl.hpp"
#include "texts.hpp"

namespace billwatch::store {

using nlohmann::ordered_json;

namespace {

struct Column {
  const char* name;
  const char* meaning;
};

struct Table {
  const char* name;
  const char* meaning;
  std::vector<Column> columns;
  // The SELECT producing the columns in order; "text" of versions is filled in code.
  const char* sql;
};

// The codebook and the export come from this one list, so every exported column is
// described.
const std::vector<Table>& tables() {
  static const std::vector<Table> k_tables = {
      {"bills",
       "One row per bill billwatch tracks.",
       {{"id", "Stable bill id, e.g. WA-2025-HB-1795 or US-119-HR-6617."},
        {"jurisdiction", "USPS state code, or US for Congress."},
        {"session", "Legislative session as the source names it (e.g. 2025-2026, 119)."},
        {"identifier", "The bill's number as the legislature writes it (e.g. HB 1795)."},
        {"title", "Title from the latest source."},
        {"stage",
         "Normalized stage of the latest action that has one: introduced, "
         "in_committee, passed_one_chamber, passed_both_chambers, to_executive, "
         "enacted, vetoed, failed; empty when unknown."},
        {"source", "Name of the configured source that last updated the bill."},
        {"url", "Page the bill was last read from."},
        {"versions", "How many versions (distinct texts) are stored."},
        {"latest_version", "The number of the latest version (versions.version), 0 for none."},
        {"relevant",
         "1 when the latest version concerns restraint or seclusion of students (the screen "
         "or the analyzer found it)."},
        {"categories",
         "The provision categories found in the latest version, separated by ';' (see "
         "Categories below)."},
        {"openstates_id", "Open States id (ocd-bill/...), when known."},
        {"legiscan_id", "LegiScan bill_id, when known."},
        {"govinfo_package", "govinfo package id (e.g. BILLS-119hr6617ih), when known."},
        {"sponsor",
         "The primary sponsor as the source names them (Congress: 'Rep. Smith, Adam "
         "[D-WA-9]'); empty when the source gives none."},
        {"first_seen", "When billwatch first stored the bill (ISO 8601, UTC)."},
        {"last_changed", "When billwatch last recorded a version or action (ISO 8601, UTC)."}},
       "SELECT b.id, b.jurisdiction, b.session, b.identifier, b.title, b.stage, b.source, b.url, "
       "(SELECT COUNT(*) FROM versions v WHERE v.bill_id = b.id), "
       "COALESCE((SELECT MAX(v.number) FROM versions v WHERE v.bill_id = b.id), 0), "
       "COALESCE((SELECT v.relevant FROM versions v WHERE v.bill_id = b.id ORDER BY v.number "
       "DESC LIMIT 1), 0), "
       "COALESCE((SELECT group_concat(category, ';') FROM (SELECT DISTINCT p.category FROM "
       "provisions p WHERE p.version_id = (SELECT v.id FROM versions v WHERE v.bill_id = b.id "
       "ORDER BY v.number DESC LIMIT 1) ORDER BY p.category)), ''), "
       "b.openstates_id, b.legiscan_id, b.govinfo_package, b.sponsor, b.first_seen, "
       "b.last_changed FROM bills b ORDER BY b.id"},
      {"versions",
       "One row per distinct text of a bill, with where and how it was fetched.",
       {{"bill_id", "The bill (bills.id)."},
        {"version",
         "The version's number within its bill: 1, 2, 3 in the order billwatch stored them. "
         "Cite a version as bill_id + version (WA-2025-HB-1795 version 2)."},
        {"label",
         "The source's name for the version (Introduced, Substitute, Introduced in House)."},
        {"version_code",
         "The source's code for the version (govinfo: ih, rh, eh, enr, ...), if any."},
        {"version_date", "The date the source gives the version (YYYY-MM-DD), if any."},
        {"content_hash", "SHA-256 (hex) of the text below: cite it to prove which text you mean."},
        {"chars", "Length of the text in bytes (UTF-8)."},
        {"relevant", "1 when the relevance screen found restraint or seclusion of students."},
        {"relevance_cues", "JSON array of the terms that decided relevance."},
        {"source", "Configured source that fetched it."},
        {"url", "URL requested."},
        {"final_url", "URL after redirects."},
        {"fetched_at", "Fetch time (ISO 8601, UTC)."},
        {"http_status", "HTTP status of the fetch."},
        {"etag", "ETag header of the response."},
        {"last_modified", "Last-Modified header of the response."},
        {"raw_hash", "SHA-256 (hex) of the response body as received."},
        {"parser_version", "Version of the text extraction that produced the text."},
        {"id", "Internal row id of the version (other tables' version_id)."},
        {"text",
         "The text exactly as stored (UTF-8; printed layout such as line numbers removed); "
         "its SHA-256 is content_hash."}},
       "SELECT v.bill_id, v.number, v.label, v.version_code, v.version_date, v.content_hash, "
       "t.chars, "
       "v.relevant, v.relevance_cues, "
       "v.source, v.url, v.final_url, v.fetched_at, v.http_status, v.etag, v.last_modified, "
       "v.raw_hash, v.parser_version, v.id, v.text_id FROM versions v "
       "JOIN texts t ON t.id = v.text_id ORDER BY v.bill_id, v.number"},
      {"actions",
       "One row per legislative action (status history).",
       {{"id", "Action id."},
        {"bill_id", "The bill (bills.id)."},
        {"date", "Date of the action as the legislature recorded it (YYYY-MM-DD)."},
        {"chamber", "House, Senate, Executive, or empty."},
        {"text", "The action as the source words it."},
        {"stage", "Normalized stage the action moves the bill to; empty when none."},
        {"code", "The source's action code (Congress: H11100, E40000, ...), if any."},
        {"type", "The source's action type (Congress: IntroReferral, Floor, ...), if any."},
        {"recorded_at", "When billwatch first saw the action (ISO 8601, UTC)."},
        {"event_id", "The change event that reported it (events.id), if any."}},
       "SELECT id, bill_id, date, chamber, text, stage, code, type, recorded_at, event_id FROM "
       "actions "
       "ORDER BY bill_id, date, id"},
      {"provisions",
       "Restraint/seclusion provisions the analyzer found, per version.",
       {{"bill_id", "The bill (bills.id)."},
        {"version", "The version's number within its bill (versions.version)."},
        {"category", "Provision category (see Categories below)."},
        {"section", "The section of the text the provision stands in (citation path)."},
        {"excerpt", "The clause that establishes the provision."},
        {"start_offset", "Byte offset of the excerpt in the version's text."},
        {"end_offset", "Byte offset just past the excerpt."},
        {"exceptions",
         "1 when the provision is a conditional ban (except, unless, provided that)."},
        {"deadline", "A deadline the clause states (same day, within 24 hours, ...), if any."},
        {"confidence", "The analyzer's confidence in the category, 0 to 1."},
        {"version_id", "Internal row id of the version (versions.id)."}},
       "SELECT v.bill_id, v.number, p.category, p.section, p.excerpt, p.start_offset, "
       "p.end_offset, p.exceptions, p.deadline, p.confidence, p.version_id FROM provisions p "
       "JOIN versions v ON v.id = p.version_id "
       "ORDER BY v.bill_id, v.number, p.start_offset, p.category"},
      {"provision_changes",
       "What the analyzer found changed between a version and the one before it: one row per "
       "provision added, removed or reworded. A provision whose words stayed the same under a "
       "new section number (bills renumber) is not a change and is not listed.",
       {{"bill_id", "The bill (bills.id)."},
        {"date", "When billwatch stored the newer version (ISO 8601, UTC)."},
        {"from_version", "The older version's number."},
        {"to_version", "The newer version's number."},
        {"change",
         "added (only the newer version has it), removed (only the older one), changed (the "
         "same provision, reworded)."},
        {"category", "Provision category (see Categories below)."},
        {"old_section", "Where it stood in the older version (removed, changed)."},
        {"new_section", "Where it stands in the newer version (added, changed)."},
        {"old_excerpt", "Its words in the older version (removed, changed)."},
        {"new_excerpt", "Its words in the newer version (added, changed)."}},
       "SELECT e.bill_id, strftime('%Y-%m-%dT%H:%M:%SZ', e.created_at, 'unixepoch'), "
       "COALESCE(json_extract(e.payload, '$.from_version'), v.number - 1), v.number, "
       "json_extract(c.value, '$.change'), json_extract(c.value, '$.category'), "
       "CASE WHEN json_extract(c.value, '$.change') = 'added' THEN '' ELSE "
       "COALESCE(json_extract(c.value, '$.old_section'), json_extract(c.value, '$.section')) END, "
       "CASE WHEN json_extract(c.value, '$.change') = 'removed' THEN '' ELSE "
       "json_extract(c.value, '$.section') END, "
       "json_extract(c.value, '$.old_excerpt'), json_extract(c.value, '$.new_excerpt') "
       "FROM events e JOIN versions v ON v.id = e.version_id, "
       "json_each(e.payload, '$.provision_changes') c "
       "WHERE e.kind = 'provisions_changed' ORDER BY e.id, c.key"},
      {"events",
       "Change events, in the order they were recorded (what subscribers were told about).",
       {{"id", "Event id (strictly increasing)."},
        {"kind",
         "new_bill, new_version, status_changed (the stage moved: old_stage and stage in the "
         "payload), action (new actions), provisions_changed or source_unhealthy (a page "
         "stopped matching its selectors)."},
        {"bill_id", "The bill (bills.id)."},
        {"version", "The number of the version the event is about, if any."},
        {"created_at", "When it was recorded (ISO 8601, UTC)."},
        {"payload",
         "JSON details: title, url, stage, old_stage, label, relevance, change summary, new "
         "actions, provision changes."}},
       "SELECT e.id, e.kind, e.bill_id, v.number, e.created_at, e.payload FROM events e "
       "LEFT JOIN versions v ON v.id = e.version_id ORDER BY e.id"},
  };
  return k_tables;
}

bool is_time_column(const std::string& name) {
  return name == "first_seen" || name == "last_changed" || name == "fetched_at" ||
         name == "recorded_at" || name == "created_at";
}

namespace fs = std::filesystem;

// The export directory is written whole or not at all: the files go into a hidden sibling
// directory that is renamed into place at the end, so an error (a damaged text, a full
// disk) leaves no half-written tables that look complete.
class StagedDirectory {
 public:
  StagedDirectory(const std::string& directory, bool replace) {
    m_target = fs::path(directory).lexically_normal();
    if (m_target.filename().empty()) m_target = m_target.parent_path();
    std::error_code error;
    fs::file_status status = fs::symlink_status(m_target, error);
    m_exists = fs::exists(status);
    if (m_exists && !replace) {
      throw std::runtime_error(m_target.string() +
                               " already exists; choose a new directory or use --force to "
                               "replace it");
    }
    if (m_exists && !fs::is_directory(status)) {
      throw std::runtime_error(m_target.string() + " exists and is not a directory");
    }
    fs::path parent = m_target.parent_path().empty() ? fs::path(".") : m_target.parent_path();
    fs::create_directories(parent);
    std::string stem = "." + m_target.filename().string() + ".billwatch-";
    for (int attempt = 0;; ++attempt) {
      m_staging = parent / (stem + std::to_string(::getpid()) + "-" + std::to_string(attempt));
      if (fs::create_directory(m_staging, error)) break;
      if (attempt > 100)
        throw std::runtime_error("cannot create a directory beside " + m_target.string());
    }
  }
  ~StagedDirectory() {
    std::error_code error;
    if (!m_done) fs::remove_all(m_staging, error);
  }
  const fs::path& staging() const { return m_staging; }
  const fs::path& target() const { return m_target; }
  void commit() {
    if (m_exists) {
      fs::path old = m_staging;
      old += ".old";
      fs::rename(m_target, old);
      fs::rename(m_staging, m_target);
      std::error_code error;
      fs::remove_all(old, error);
    } else {
      fs::rename(m_staging, m_target);
    }
    m_done = true;
  }

 private:
  fs::path m_target;
  fs::path m_staging;
  bool m_exists = false;
  bool m_done = false;
};

constexpr const char* k_legiscan_attribution =
    "Some of this data comes from LegiScan (https://legiscan.com), licensed under Creative "
    "Commons Attribution 4.0 (CC BY 4.0): credit LegiScan when you publish it. Bills with a "
    "legiscan_id carry LegiScan-derived data.";

}  // namespace

std::vector<std::string> Store::export_tables(const std::string& directory,
                                              const std::string& format, bool replace,
                                              const std::string& codebook_appendix) const {
  if (format != "csv" && format != "json") {
    throw QueryError("export: format must be csv or json, not '" + format + "'");
  }
  return m_impl->guarded("exporting", [&] {
    StagedDirectory staged(directory, replace);
    std::vector<std::string> written;
    auto open = [&](const std::string& name) {
      std::string path = (staged.staging() / name).string();
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      if (!out) throw std::runtime_error("cannot write " + path);
      written.push_back(name);
      return out;
    };
    for (const Table& table : tables()) {
      std::ofstream out = open(std::string(table.name) + "." + format);
      SQLite::Statement q(m_impl->db, table.sql);
      ordered_json rows = ordered_json::array();
      if (format == "csv") {
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
          out << (i ? "," : "") << table.columns[i].name;
        }
        out << "\r\n";
      }
      while (q.executeStep()) {
        ordered_json row;
        std::vector<std::string> fields;
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
          std::string name = table.columns[i].name;
          const auto& column = q.getColumn(static_cast<int>(i));
          std::string value;
          bool stored_text = name == "text" && std::string(table.name) == "versions";
          if (stored_text) {
            value = detail::load_text(m_impl->statements, column.getInt64());
          } else if (is_time_column(name)) {
            value = format_iso8601(column.getInt64());
          } else if (!column.isNull()) {
            value = column.getString();
          }
          if (format == "csv") {
            fields.push_back(csv_field(value));
          } else if (column.isInteger() && !is_time_column(name) && !stored_text) {
            row[name] = column.getInt64();
          } else if (column.isNull()) {
            row[name] = nullptr;
          } else if (name == "payload" || name == "relevance_cues") {
            row[name] = ordered_json::parse(value);
          } else {
            row[name] = value;
          }
        }
        if (format == "csv") {
          for (std::size_t i = 0; i < fields.size(); ++i) out << (i ? "," : "") << fields[i];
          out << "\r\n";
        } else {
          rows.push_back(std::move(row));
        }
      }
      if (format == "json") out << rows.dump(2) << "\n";
      if (!out.flush()) throw std::runtime_error("writing " + written.back() + " failed");
    }

    bool legiscan = m_impl->db
                        .execAndGet(
                            "SELECT EXISTS (SELECT 1 FROM bills WHERE "
                            "legiscan_id <> '')")
                        .getInt() != 0;
    std::ofstream codebook = open("codebook.md");
    codebook << "# billwatch export codebook\n\nExported " << format
             << " tables from the billwatch database " << m_impl->path
             << ". Times are ISO 8601 in UTC. CSV files follow RFC 4180 (UTF-8, CRLF, "
                "fields with commas, quotes or line breaks quoted). A CSV value that begins "
                "with =, +, -, @, a tab or a carriage return starts with an added ' so that "
                "a spreadsheet shows it as text instead of running it as a formula (titles "
                "and excerpts come from outside sources); remove that first ' to get the "
                "value as stored. JSON files hold the values unchanged.\n";
    if (legiscan) codebook << "\n## Attribution\n\n" << k_legiscan_attribution << "\n";
    for (const Table& table : tables()) {
      codebook << "\n## " << table.name << "." << format << "\n\n"
               << table.meaning << "\n\n| column | meaning |\n|---|---|\n";
      for (const Column& column : table.columns) {
        codebook << "| `" << column.name << "` | " << column.meaning << " |\n";
      }
    }
    codebook << codebook_appendix;
    if (legiscan) {
      std::ofstream attribution = open("ATTRIBUTION.md");
      attribution << k_legiscan_attribution << "\n";
      if (!attribution.flush()) throw std::runtime_error("writing ATTRIBUTION.md failed");
    }
    if (!codebook.flush()) throw std::runtime_error("writing codebook.md failed");
    codebook.close();
    staged.commit();
    for (auto& name : written) name = (staged.target() / name).string();
    return written;
  });
}

void Store::backup(const std::string& destination) const {
  m_impl->guarded("backing up", [&] {
    // symlink_status: a dangling link is there too, and would be written through.
    std::error_code error;
    if (std::filesystem::exists(std::filesystem::symlink_status(destination, error))) {
      throw std::runtime_error(destination + " already exists; choose a new file");
    }
    SQLite::Database copy(destination, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    SQLite::Backup backup(copy, m_impl->db);
    // Pages in steps, so a run writing at the same time is not locked out for long.
    while (true) {
      int rc = backup.executeStep(256);
      if (rc == SQLITE_DONE) break;
      if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(20);
    }
  });
}

}  // namespace billwatch::store
