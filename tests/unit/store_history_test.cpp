// The store as a system of record: content-addressed texts, migrations, actions and
// stages, reconstruction as of a date, full-text search, exports and backups. Uses the
// real Washington HB 1795 texts (Original and Substitute).
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/store/store.hpp"
#include "codec.hpp"
#include "files.hpp"
#include "schema.hpp"

namespace billwatch::store {
namespace {

constexpr Timestamp k_jan = 1737331200;  // 2025-01-20T00:00:00Z
constexpr Timestamp k_day = 86400;

std::string wa_text(const char* which) {
  return crawler::normalize_text(
      test::read_fixture(std::string("states/wa_2025-26_HB1795_text_") + which + ".md"));
}

NewVersion wa_version(const std::string& text, Timestamp fetched_at, const std::string& label) {
  NewVersion v;
  v.bill.id = "WA-2025-HB-1795";
  v.bill.jurisdiction = "WA";
  v.bill.title = "HB 1795 - Student restraint, isolation";
  v.bill.source = "wa-law";
  v.bill.url = "https://wa-law.org/bill/2025-26/hb/1795/";
  v.bill.session = "2025-2026";
  v.bill.identifier = "HB 1795";
  v.text = text;
  v.relevance.relevant = true;
  v.provenance.url = v.bill.url + label + "/";
  v.provenance.final_url = v.provenance.url;
  v.provenance.fetched_at = fetched_at;
  v.provenance.http_status = 200;
  v.provenance.raw_hash = sha256_hex("raw " + text);
  v.label = label;
  v.parser_version = "page_text/1";
  return v;
}

Provision provision(const std::string& category, const std::string& section,
                    const std::string& excerpt) {
  Provision p;
  p.category = category;
  p.section = section;
  p.excerpt = excerpt;
  return p;
}

std::int64_t count(const Store& store, const std::string& table) {
  SQLite::Database db(store.path(), SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT COUNT(*) FROM " + table).getInt64();
}

TEST(TextCodecTest, ParagraphSplitIsExactForAnyText) {
  for (std::string text : {"", "one", "a\n\nb", "a\n\n\nb", "\n\n", "a\n\n", "x\ny\n\n\n\nz"}) {
    std::vector<std::string> parts;
    for (auto p : detail::split_paragraphs(text)) parts.emplace_back(p);
    EXPECT_EQ(detail::join_paragraphs(parts), text);
  }
}

TEST(TextCodecTest, IdListsRoundTripAndBadOnesAreRefused) {
  std::vector<std::int64_t> ids = {5, 6, 7, 3, 1000000, 1, 9'000'000'000};
  EXPECT_EQ(detail::decode_ids(detail::encode_ids(ids)), ids);
  EXPECT_EQ(detail::encode_ids({1, 2, 3}).size(), 3u) << "consecutive ids take a byte each";
  EXPECT_THROW(detail::decode_ids("\x80"), std::runtime_error);
  EXPECT_THROW(detail::decode_ids(std::string(12, '\xff')), std::runtime_error);
  std::string text(5000, 'a');
  EXPECT_EQ(detail::decompress(detail::compress(text)), text);
  EXPECT_EQ(detail::compress("short"), "") << "not worth compressing";
  EXPECT_THROW(detail::decompress("not zstd"), std::runtime_error);
}

TEST(StoreHistoryTest, IdenticalTextsAndParagraphsAreStoredOnce) {
  test::TempDir dir;
  Store store = Store::open(dir.file("bw.db"));
  std::string original = wa_text("1_original");
  store.save_version(wa_version(original, k_jan, "1"), k_jan);
  auto paragraphs = count(store, "paragraphs");
  EXPECT_EQ(count(store, "texts"), 1);

  // The same text again for another bill: no new text, no new paragraph.
  NewVersion copy = wa_version(original, k_jan, "1");
  copy.bill.id = "WA-2025-SB-9999";
  store.save_version(copy, k_jan + 1);
  EXPECT_EQ(count(store, "texts"), 1);
  EXPECT_EQ(count(store, "paragraphs"), paragraphs);

  // One paragraph changed: one new paragraph, one new text.
  std::string amended = original;
  amended.replace(amended.find("isolation"), 9, "ISOLATION");
  store.save_version(wa_version(amended, k_jan + k_day, "1a"), k_jan + k_day);
  EXPECT_EQ(count(store, "texts"), 2);
  EXPECT_EQ(count(store, "paragraphs"), paragraphs + 1);
  EXPECT_EQ(store.latest_version("WA-2025-HB-1795")->text, amended);

  SQLite::Database db(store.path(), SQLite::OPEN_READONLY);
  auto stored = db.execAndGet("SELECT SUM(length(body)) FROM packs").getInt64();
  EXPECT_LT(stored, static_cast<std::int64_t>(original.size()) / 3) << "zstd at work";
}

TEST(StoreHistoryTest, ADamagedTextIsReportedNotReturned) {
  test::TempDir dir;
  std::string path = dir.file("bw.db");
  {
    Store store = Store::open(path);
    store.save_version(wa_version("Sec. 1. Seclusion is banned.\n\nSec. 2. Report.", k_jan, "1"),
                       k_jan);
  }
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("UPDATE packs SET zstd = 0, body = 'Sec. 1. Seclusion is banned.Sec. 2. Nothing!'");
  }
  Store store = Store::open(path);
  try {
    store.latest_version("WA-2025-HB-1795");
    FAIL() << "a damaged text was returned";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("does not match its SHA-256"), std::string::npos)
        << e.what();
  }
}

TEST(StoreHistoryTest, MigratesADatabaseLeftBySchemaVersion2) {
  test::TempDir dir;
  std::string path = dir.file("v2.db");
  std::string original = wa_text("1_original");
  std::string substitute = wa_text("S_substitute");
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    detail::migrate(db, path, 2);
    db.exec("INSERT INTO bills VALUES ('wa-1', 'WA', 'T', 'wa-law', 'https://x/wa-1', 1, 2)");
    SQLite::Statement insert(db,
                             "INSERT INTO versions (bill_id, content_hash, text, relevant, "
                             "relevance_score, relevance_cues, url, final_url, fetched_at, "
                             "http_status, etag, last_modified, raw_hash) VALUES ('wa-1', ?, ?, "
                             "1, 1.0, '[\"isolation\"]', 'https://x/wa-1', 'https://x/wa-1', ?, "
                             "200, '', '', 'raw')");
    for (auto [text, at] : {std::pair{original, 1}, std::pair{substitute, 2}}) {
      insert.bind(1, sha256_hex(text));
      insert.bind(2, text);
      insert.bind(3, at);
      insert.exec();
      insert.reset();
    }
    db.exec(
        "INSERT INTO events (kind, bill_id, version_id, payload, created_at) "
        "VALUES ('new_bill', 'wa-1', 1, '{}', 1)");
    // Schema 3 named a new text content_changed and new actions status_changed.
    db.exec(
        "INSERT INTO events (kind, bill_id, version_id, payload, created_at) "
        "VALUES ('content_changed', 'wa-1', 2, '{}', 2), ('status_changed', 'wa-1', NULL, "
        "'{}', 3)");
  }
  Store store = Store::open(path);
  EXPECT_EQ(store.schema_version(), 8);
  auto history = store.history("wa-1");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->versions.size(), 2u);
  EXPECT_EQ(history->versions[0].source, "wa-law");
  EXPECT_EQ(history->versions[1].chars, substitute.size());
  EXPECT_EQ(store.version("wa-1", history->versions[0].id)->text, original);
  EXPECT_EQ(store.latest_version("wa-1")->text, substitute);
  EXPECT_EQ(store.latest_version("wa-1")->relevance.cues, std::vector<std::string>{"isolation"});
  EXPECT_FALSE(store.search("isolation").empty()) << "migrated texts are searchable";
  ASSERT_EQ(history->events.size(), 3u);
  EXPECT_EQ(history->events[1].kind, EventKind::NewVersion);
  EXPECT_EQ(history->events[2].kind, EventKind::Action);
}

std::vector<Action> wa_actions(int how_many) {
  std::vector<Action> all = {
      {"2025-01-20", "House", "First reading, referred to Education.", stage::k_in_committee},
      {"2025-02-10", "House", "Executive action taken; substitute bill passed.", Stage::none},
      {"2025-03-04", "House", "Third reading, passed; yeas, 58; nays, 40.",
       stage::k_passed_one_chamber},
  };
  all.resize(static_cast<std::size_t>(how_many));
  return all;
}

TEST(StoreHistoryTest, NewActionsMoveTheStageAndAreReportedOnce) {
  Store store = Store::open_in_memory();
  NewVersion first = wa_version(wa_text("1_original"), k_jan, "1");
  first.actions = wa_actions(1);
  SavedVersion saved = store.save_version(first, k_jan);
  EXPECT_EQ(saved.kind, EventKind::NewBill);
  EXPECT_EQ(saved.new_actions, 1);
  EXPECT_EQ(store.bills()[0].stage, stage::k_in_committee);

  BillUpdate same{first.bill, wa_actions(1), std::nullopt};
  EXPECT_EQ(store.save_update(same, k_jan + k_day).event_id, 0) << "nothing new, no event";

  BillUpdate moved{first.bill, wa_actions(3), std::nullopt};
  SavedVersion status = store.save_update(moved, k_jan + 45 * k_day);
  // Two events: the new actions, and the stage they moved the bill to.
  ASSERT_EQ(status.events.size(), 2u);
  EXPECT_EQ(status.events[0].first, EventKind::Action);
  EXPECT_EQ(status.events[1].first, EventKind::StatusChanged);
  EXPECT_EQ(status.kind, EventKind::Action);
  EXPECT_EQ(status.new_actions, 2);
  EXPECT_EQ(store.bills()[0].stage, stage::k_passed_one_chamber);
  EXPECT_EQ(store.bills()[0].stage_date, "2025-03-04");

  store.subscribe("parent@example.org", {}, 0);
  // Events before subscribing are not theirs; record one more status change after.
  BillUpdate later{first.bill,
                   {{"2025-03-20", "Senate", "First reading, referred to Early Learning.",
                     stage::k_in_committee}},
                   std::nullopt};
  store.save_update(later, k_jan + 60 * k_day);
  auto pending = store.pending_deliveries(5);
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].event.kind, EventKind::Action);
  ASSERT_EQ(pending[0].event.new_actions.size(), 1u);
  EXPECT_EQ(pending[0].event.new_actions[0].chamber, "Senate");
  EXPECT_EQ(pending[1].event.kind, EventKind::StatusChanged);
  EXPECT_EQ(pending[1].event.old_stage, stage::k_passed_one_chamber);
  EXPECT_EQ(pending[1].event.stage, stage::k_in_committee);

  // An action that moves nothing is an action event alone.
  BillUpdate hearing{
      first.bill,
      {{"2025-03-25", "Senate", "Public hearing in the Senate Committee.", Stage::none}},
      std::nullopt};
  SavedVersion heard = store.save_update(hearing, k_jan + 65 * k_day);
  ASSERT_EQ(heard.events.size(), 1u);
  EXPECT_EQ(heard.kind, EventKind::Action);
  auto history = store.history("WA-2025-HB-1795");
  ASSERT_EQ(history->actions.size(), 5u);
  EXPECT_EQ(history->bill.bill.session, "2025-2026");
  EXPECT_EQ(history->bill.bill.identifier, "HB 1795");
}

TEST(StoreHistoryTest, AFailureInsideAnUpdateLeavesNothingOfIt) {
  test::TempDir dir;
  std::string path = dir.file("bw.db");
  Store store = Store::open(path);
  store.save_version(wa_version("Sec. 1. Seclusion is banned.", k_jan, "1"), k_jan);
  {
    // The last write of an update fails: everything before it must be rolled back.
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec(
        "CREATE TRIGGER fail_event BEFORE INSERT ON events "
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  }
  NewVersion second =
      wa_version("Sec. 1. Seclusion is banned.\n\nSec. 2. Report it.", k_jan + k_day, "2");
  second.actions = wa_actions(2);
  second.provisions = {provision("reporting", "Sec. 2", "Report it.")};
  EXPECT_THROW(store.save_version(second, k_jan + k_day), StoreError);
  for (const char* table :
       {"versions", "texts", "packs", "paragraphs", "actions", "provisions", "events"}) {
    bool empty_before = std::string(table) == "actions" || std::string(table) == "provisions";
    EXPECT_EQ(count(store, table), empty_before ? 0 : 1) << table;
  }
  EXPECT_EQ(store.latest_version("WA-2025-HB-1795")->text, "Sec. 1. Seclusion is banned.");
  EXPECT_TRUE(store.search("report").empty()) << "the search index was rolled back too";
}

TEST(StoreHistoryTest, BillsAsOfADateShowStageAndTextAsKnownThen) {
  Store store = Store::open_in_memory();
  std::string original = wa_text("1_original");
  std::string substitute = wa_text("S_substitute");
  NewVersion first = wa_version(original, k_jan, "Original");
  first.actions = wa_actions(1);
  first.provisions = {provision("seclusion_ban", "Sec. 2", "isolation is prohibited")};
  store.save_version(first, k_jan);
  NewVersion second = wa_version(substitute, k_jan + 21 * k_day, "Substitute");
  second.actions = wa_actions(2);
  second.provisions = {provision("reporting", "Sec. 5", "report each use")};
  store.save_version(second, k_jan + 21 * k_day);
  store.save_update(BillUpdate{first.bill, wa_actions(3), std::nullopt}, k_jan + 44 * k_day);

  auto at = [&](Timestamp t) {
    BillFilter f;
    f.as_of = t;
    auto rows = store.bills(f);
    return rows;
  };
  EXPECT_TRUE(at(k_jan - k_day).empty()) << "not known before it was first seen";

  auto jan = at(k_jan + 5 * k_day);
  ASSERT_EQ(jan.size(), 1u);
  EXPECT_EQ(jan[0].stage, stage::k_in_committee);
  EXPECT_EQ(jan[0].versions, 1);
  EXPECT_EQ(jan[0].categories, std::vector<std::string>{"seclusion_ban"});
  EXPECT_EQ(store.version(jan[0].bill.id, jan[0].latest_version_id)->text, original);
  EXPECT_EQ(store.version(jan[0].bill.id, jan[0].latest_version_id)->label, "Original");

  auto feb = at(k_jan + 30 * k_day);
  EXPECT_EQ(feb[0].stage, stage::k_in_committee) << "the Feb 10 action moves no stage";
  EXPECT_EQ(feb[0].versions, 2);
  EXPECT_EQ(store.version(feb[0].bill.id, feb[0].latest_version_id)->text, substitute);

  auto march = at(k_jan + 50 * k_day);
  EXPECT_EQ(march[0].stage, stage::k_passed_one_chamber);

  BillFilter by_stage;
  by_stage.stage = stage::k_in_committee;
  EXPECT_TRUE(store.bills(by_stage).empty());
  BillFilter by_category;
  by_category.category = "reporting";
  EXPECT_EQ(store.bills(by_category).size(), 1u);
  by_category.category = "seclusion_ban";
  EXPECT_TRUE(store.bills(by_category).empty()) << "the latest version dropped it";
  BillFilter since;
  since.since = k_jan + 40 * k_day;
  EXPECT_EQ(store.bills(since).size(), 1u);
  since.since = k_jan + 50 * k_day;
  EXPECT_TRUE(store.bills(since).empty());
  BillFilter other_state;
  other_state.jurisdiction = "OR";
  EXPECT_TRUE(store.bills(other_state).empty());
}

TEST(StoreHistoryTest, FullTextSearchFindsBillsWithSnippetsAndVersions) {
  Store store = Store::open_in_memory();
  store.save_version(wa_version(wa_text("1_original"), k_jan, "Original"), k_jan);
  store.save_version(wa_version(wa_text("S_substitute"), k_jan + k_day, "Substitute"),
                     k_jan + k_day);
  NewVersion trade;
  trade.bill.id = "AZ-2016-HB-2215";
  trade.bill.jurisdiction = "AZ";
  trade.text = crawler::normalize_text(
      test::read_fixture("states/az_2016_HB2215_text_restraint_of_trade_negative.txt"));
  store.save_version(trade, k_jan);

  auto hits = store.search("isolation");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].bill_id, "WA-2025-HB-1795");
  EXPECT_NE(hits[0].snippet.find("[isolation]"), std::string::npos) << hits[0].snippet;
  EXPECT_EQ(hits[0].versions, (std::vector<int>{1, 2})) << "both WA versions speak of isolation";

  auto phrase = store.search("\"restraint of trade\"");
  ASSERT_EQ(phrase.size(), 1u);
  EXPECT_EQ(phrase[0].bill_id, "AZ-2016-HB-2215");
  EXPECT_NE(phrase[0].snippet.find("[restraint of trade]"), std::string::npos) << phrase[0].snippet;

  auto prefix = store.search("seclu*");
  EXPECT_FALSE(prefix.empty());
  EXPECT_TRUE(store.search("xylophone").empty());
  // Broken operator syntax is searched as words, never an FTS5 error.
  EXPECT_NO_THROW(store.search("isolation AND (OR"));
  EXPECT_THROW(store.search("  * - "), QueryError) << "nothing to search for";
}

// RFC 4180 rows, for reading the export back.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(std::move(field));
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.back().push_back(std::move(field));
      field.clear();
      rows.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

TEST(StoreHistoryTest, ExportRoundTripsWithACodebookForEveryColumn) {
  test::TempDir dir;
  Store store = Store::open(dir.file("bw.db"));
  std::string original = wa_text("1_original");
  NewVersion first = wa_version(original, k_jan, "Original");
  first.actions = wa_actions(3);
  first.provisions = {
      provision("seclusion_ban", "Sec. 2", "\"isolation\", as defined, is prohibited")};
  first.bill.legiscan_id = "1893455";
  store.save_version(first, k_jan);

  auto files = store.export_tables(dir.file("csv"), "csv");
  std::string codebook = test::read_file(dir.file("csv/codebook.md"));
  EXPECT_NE(codebook.find("CC BY 4.0"), std::string::npos) << "LegiScan attribution";
  EXPECT_TRUE(std::filesystem::exists(dir.file("csv/ATTRIBUTION.md")));
  for (const char* table : {"bills", "versions", "actions", "provisions", "events"}) {
    auto rows = parse_csv(test::read_file(dir.file(std::string("csv/") + table + ".csv")));
    ASSERT_GE(rows.size(), 2u) << table;
    for (const auto& column : rows[0]) {
      EXPECT_NE(codebook.find("| `" + column + "` |"), std::string::npos)
          << table << "." << column << " is not in the codebook";
    }
    for (const auto& row : rows) EXPECT_EQ(row.size(), rows[0].size()) << table;
  }
  auto versions = parse_csv(test::read_file(dir.file("csv/versions.csv")));
  auto text_column =
      std::find(versions[0].begin(), versions[0].end(), "text") - versions[0].begin();
  EXPECT_EQ(versions[1][static_cast<std::size_t>(text_column)], original);
  auto actions = parse_csv(test::read_file(dir.file("csv/actions.csv")));
  EXPECT_EQ(actions.size(), 4u);
  auto provisions = parse_csv(test::read_file(dir.file("csv/provisions.csv")));
  EXPECT_EQ(provisions[1][4], "\"isolation\", as defined, is prohibited");

  store.export_tables(dir.file("json"), "json");
  auto bills = nlohmann::json::parse(test::read_file(dir.file("json/bills.json")));
  ASSERT_EQ(bills.size(), 1u);
  EXPECT_EQ(bills[0]["stage"], "passed_one_chamber");
  EXPECT_EQ(bills[0]["first_seen"], "2025-01-20T00:00:00Z");
  auto json_versions = nlohmann::json::parse(test::read_file(dir.file("json/versions.json")));
  EXPECT_EQ(json_versions[0]["text"], original);
  EXPECT_EQ(json_versions[0]["http_status"], 200);
  EXPECT_THROW(store.export_tables(dir.file("x"), "xml"), QueryError);
}

TEST(StoreHistoryTest, BackupIsACompleteConsistentCopy) {
  test::TempDir dir;
  Store store = Store::open(dir.file("bw.db"));
  store.save_version(wa_version(wa_text("1_original"), k_jan, "Original"), k_jan);
  store.backup(dir.file("copy.db"));
  {
    SQLite::Database copy(dir.file("copy.db"), SQLite::OPEN_READONLY);
    EXPECT_EQ(copy.execAndGet("PRAGMA integrity_check").getString(), "ok");
  }
  Store restored = Store::open(dir.file("copy.db"));
  EXPECT_EQ(restored.latest_version("WA-2025-HB-1795")->text, wa_text("1_original"));
  EXPECT_THROW(store.backup(dir.file("copy.db")), StoreError) << "never overwrites";
}

}  // namespace
}  // namespace billwatch::store
