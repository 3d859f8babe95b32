// The researchers' read side of the store: bill lists (also as of a past date), a bill's
// history, one version's text, full-text search.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>

#include "billwatch/store/search_query.hpp"
#include "codec.hpp"
#include "rows.hpp"
#include "store_impl.hpp"
#include "texts.hpp"

namespace billwatch::store {

using detail::Prepared;
using nlohmann::json;

namespace {

constexpr std::chrono::seconds k_search_time_budget{10};

// "YYYY-MM-DD" of a timestamp, for comparing with action dates.
std::string date_of(Timestamp t) {
  return format_iso8601(t).substr(0, 10);
}

std::vector<Provision> provisions_of(detail::StatementCache& statements, std::int64_t version_id) {
  Prepared q = statements.prepare(
      "SELECT category, section, excerpt, start_offset, end_offset, exceptions, deadline, "
      "confidence FROM provisions WHERE version_id = ? ORDER BY start_offset, category");
  q->bind(1, version_id);
  std::vector<Provision> out;
  while (q->executeStep()) {
    Provision p;
    p.category = q->getColumn(0).getString();
    p.section = q->getColumn(1).getString();
    p.excerpt = q->getColumn(2).getString();
    p.start = static_cast<std::size_t>(q->getColumn(3).getInt64());
    p.end = static_cast<std::size_t>(q->getColumn(4).getInt64());
    p.exceptions = q->getColumn(5).getInt() != 0;
    p.deadline = q->getColumn(6).getString();
    p.confidence = q->getColumn(7).getDouble();
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

std::vector<BillRow> Store::bills(const BillFilter& filter) const {
  return m_impl->guarded("listing bills", [&] {
    auto& statements = m_impl->statements;
    constexpr Timestamp k_forever = std::numeric_limits<Timestamp>::max();
    Timestamp as_of = filter.as_of.value_or(k_forever);
    std::string as_of_date = filter.as_of ? date_of(*filter.as_of) : "9999-12-31";
    // Everything is "as known at as_of": versions fetched by then, actions dated and
    // recorded by then. Without --as-of that is simply everything.
    Prepared q = statements.prepare(std::string("SELECT ") + detail::k_bill_columns + R"sql(,
  b.first_seen,
  (SELECT COUNT(*) FROM versions v WHERE v.bill_id = b.id AND v.fetched_at <= ?1),
  (SELECT v.id FROM versions v WHERE v.bill_id = b.id AND v.fetched_at <= ?1
   ORDER BY v.id DESC LIMIT 1),
  (SELECT v.relevant FROM versions v WHERE v.bill_id = b.id AND v.fetched_at <= ?1
   ORDER BY v.id DESC LIMIT 1),
  (SELECT v.number FROM versions v WHERE v.bill_id = b.id AND v.fetched_at <= ?1
   ORDER BY v.id DESC LIMIT 1),
  (SELECT a.stage || '|' || a.date FROM actions a
   WHERE a.bill_id = b.id AND a.stage <> '' AND a.date <= ?2 AND a.recorded_at <= ?1
   ORDER BY a.date DESC, a.id DESC LIMIT 1),
  COALESCE((SELECT MAX(e.created_at) FROM events e
            WHERE e.bill_id = b.id AND e.created_at <= ?1), 0)
FROM bills b WHERE b.first_seen <= ?1)sql" +
                                    std::string(filter.bill_id.empty() ? "" : " AND b.id = ?3") +
                                    " ORDER BY b.jurisdiction, b.id");
    q->bind(1, static_cast<std::int64_t>(as_of));
    q->bind(2, as_of_date);
    // One bill (a page, its history) is looked up by its key, not found among them all.
    if (!filter.bill_id.empty()) q->bind(3, filter.bill_id);
    std::vector<BillRow> out;
    const int c = detail::k_bill_column_count;
    while (q->executeStep()) {
      BillRow row;
      row.bill = detail::bill_from(*q, 0);
      row.first_seen = q->getColumn(c).getInt64();
      row.versions = q->getColumn(c + 1).getInt();
      row.latest_version_id = q->getColumn(c + 2).getInt64();
      row.relevant = q->getColumn(c + 3).getInt() != 0;
      row.latest_version = q->getColumn(c + 4).getInt();
      std::string stage = q->getColumn(c + 5).getString();
      if (auto bar = stage.find('|'); bar != std::string::npos) {
        row.stage = detail::stage_from(stage.substr(0, bar));
        row.stage_date = stage.substr(bar + 1);
      }
      row.last_changed = std::max(q->getColumn(c + 6).getInt64(), row.first_seen);
      out.push_back(std::move(row));
    }
    q->reset();
    std::set<std::string> moved;  // bills matching --added-category / --removed-category
    bool by_move = !filter.added_category.empty() || !filter.removed_category.empty();
    if (by_move) {
      Prepared categories = statements.prepare(
          "SELECT v.bill_id, v.fetched_at, COALESCE((SELECT group_concat(DISTINCT p.category) "
          "FROM provisions p WHERE p.version_id = v.id), '') FROM versions v "
          "WHERE v.fetched_at <= ? ORDER BY v.bill_id, v.number");
      categories->bind(1, static_cast<std::int64_t>(as_of));
      std::string bill;
      std::set<std::string> before;
      while (categories->executeStep()) {
        std::string id = categories->getColumn(0).getString();
        if (id != bill) {
          bill = id;
          before.clear();
        }
        std::set<std::string> now;
        std::string list = categories->getColumn(2).getString();
        for (std::size_t from = 0; from < list.size();) {
          std::size_t comma = std::min(list.find(',', from), list.size());
          now.insert(list.substr(from, comma - from));
          from = comma + 1;
        }
        bool counts = !filter.since || categories->getColumn(1).getInt64() >= *filter.since;
        bool added = !filter.added_category.empty() && now.count(filter.added_category) &&
                     !before.count(filter.added_category);
        bool removed = !filter.removed_category.empty() && before.count(filter.removed_category) &&
                       !now.count(filter.removed_category);
        if (counts && (added || removed)) moved.insert(id);
        before = std::move(now);
      }
      categories->reset();
    }
    std::vector<BillRow> kept;
    for (auto& row : out) {
      if (!filter.jurisdiction.empty() && row.bill.jurisdiction != filter.jurisdiction) continue;
      if (filter.stage != Stage::none && row.stage != filter.stage) continue;
      if (by_move && !moved.count(row.bill.id)) continue;
      if (!by_move && filter.since && row.last_changed < *filter.since) continue;
      if (row.latest_version_id != 0) {
        std::set<std::string> categories;
        for (const auto& p : provisions_of(statements, row.latest_version_id)) {
          categories.insert(p.category);
        }
        row.categories.assign(categories.begin(), categories.end());
      }
      if (!filter.category.empty() && std::find(row.categories.begin(), row.categories.end(),
                                                filter.category) == row.categories.end()) {
        continue;
      }
      kept.push_back(std::move(row));
    }
    return kept;
  });
}

std::optional<BillHistory> Store::history(const std::string& bill_id) const {
  return m_impl->guarded("reading bill history", [&]() -> std::optional<BillHistory> {
    auto& db = m_impl->db;
    BillFilter one;
    one.bill_id = bill_id;
    auto rows = bills(one);
    auto it = std::find_if(rows.begin(), rows.end(),
                           [&](const BillRow& row) { return row.bill.id == bill_id; });
    if (it == rows.end()) return std::nullopt;
    BillHistory history;
    history.bill = *it;

    SQLite::Statement versions(
        db, std::string("SELECT v.id, v.content_hash, t.chars, v.relevant, v.relevance_score, "
                        "v.relevance_cues, v.source, v.label, v.parser_version, ") +
                "v.version_code, v.version_date, v.url, v.final_url, v.fetched_at, v.http_status, "
                "v.etag, v.last_modified, "
                "v.raw_hash, v.number FROM versions v JOIN texts t ON t.id = v.text_id "
                "WHERE v.bill_id = ? ORDER BY v.id");
    versions.bind(1, bill_id);
    while (versions.executeStep()) {
      VersionRow row;
      row.id = versions.getColumn(0).getInt64();
      row.content_hash = versions.getColumn(1).getString();
      row.chars = static_cast<std::size_t>(versions.getColumn(2).getInt64());
      row.relevance = detail::relevance_from(versions, 3, 4, 5);
      row.source = versions.getColumn(6).getString();
      row.label = versions.getColumn(7).getString();
      row.parser_version = versions.getColumn(8).getString();
      row.version_code = versions.getColumn(9).getString();
      row.version_date = versions.getColumn(10).getString();
      row.provenance = detail::provenance_from(versions, 11);
      row.number = versions.getColumn(18).getInt();
      history.versions.push_back(std::move(row));
    }
    for (auto& v : history.versions) v.provisions = provisions_of(m_impl->statements, v.id);

    SQLite::Statement events(db,
                             "SELECT id, kind, COALESCE(version_id, 0), created_at, payload "
                             "FROM events WHERE bill_id = ? ORDER BY id");
    events.bind(1, bill_id);
    while (events.executeStep()) {
      history.events.push_back(EventRow{
          events.getColumn(0).getInt64(), parse_event_kind(events.getColumn(1).getString()),
          events.getColumn(2).getInt64(), events.getColumn(3).getInt64(),
          events.getColumn(4).getString()});
    }

    SQLite::Statement actions(
        db,
        "SELECT id, date, chamber, text, stage, recorded_at, code, type FROM actions "
        "WHERE bill_id = ? ORDER BY date, id");
    actions.bind(1, bill_id);
    while (actions.executeStep()) {
      history.actions.push_back(
          ActionRow{actions.getColumn(0).getInt64(),
                    Action{actions.getColumn(1).getString(), actions.getColumn(2).getString(),
                           actions.getColumn(3).getString(),
                           detail::stage_from(actions.getColumn(4).getString()),
                           actions.getColumn(6).getString(), actions.getColumn(7).getString()},
                    actions.getColumn(5).getInt64()});
    }
    return history;
  });
}

std::optional<Version> Store::version(const std::string& bill_id, std::int64_t version_id) const {
  return m_impl->guarded("reading a version", [&]() -> std::optional<Version> {
    auto& statements = m_impl->statements;
    Version v;
    std::int64_t text_id = 0;
    {
      Prepared q = statements.prepare(
          std::string("SELECT id, content_hash, text_id, relevant, relevance_score, "
                      "relevance_cues, label, parser_version, ") +
          detail::k_provenance_columns + ", number FROM versions WHERE bill_id = ? AND id = ?");
      q->bind(1, bill_id);
      q->bind(2, version_id);
      if (!q->executeStep()) return std::nullopt;
      v.id = q->getColumn(0).getInt64();
      v.bill_id = bill_id;
      v.content_hash = q->getColumn(1).getString();
      text_id = q->getColumn(2).getInt64();
      v.relevance = detail::relevance_from(*q, 3, 4, 5);
      v.label = q->getColumn(6).getString();
      v.parser_version = q->getColumn(7).getString();
      v.provenance = detail::provenance_from(*q, 8);
      v.number = q->getColumn(15).getInt();
    }
    v.text = detail::load_text(statements, text_id);
    v.provisions = provisions_of(statements, v.id);
    return v;
  });
}

std::optional<Version> Store::version_numbered(const std::string& bill_id, int number) const {
  std::int64_t id = m_impl->guarded("finding a version", [&]() -> std::int64_t {
    Prepared q =
        m_impl->statements.prepare("SELECT id FROM versions WHERE bill_id = ? AND number = ?");
    q->bind(1, bill_id);
    q->bind(2, number);
    return q->executeStep() ? q->getColumn(0).getInt64() : 0;
  });
  if (id == 0) return std::nullopt;
  return version(bill_id, id);
}

namespace {

// The words of an FTS5 query, lower-cased, without operators, quotes and prefix stars.
std::vector<std::string> query_words(const std::string& query) {
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty() && word != "and" && word != "or" && word != "not" && word != "near") {
      words.push_back(word);
    }
    word.clear();
  };
  for (char c : query) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      word.push_back(static_cast<char>(std::tolower(u)));
    } else {
      flush();
    }
  }
  flush();
  return words;
}

bool word_char(unsigned char c) {
  return std::isalnum(c) || c >= 0x80;
}

// About `width` bytes of the paragraph around its first match, matches in [brackets].
std::string make_snippet(const std::string& paragraph, const std::vector<std::string>& words,
                         std::size_t width = 240) {
  std::string lowered = paragraph;
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Matches: word starts equal to a query word (prefix queries match longer words).
  std::vector<std::pair<std::size_t, std::size_t>> matches;
  for (std::size_t i = 0; i < lowered.size();) {
    if (!word_char(static_cast<unsigned char>(lowered[i]))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < lowered.size() && word_char(static_cast<unsigned char>(lowered[end]))) ++end;
    for (const auto& w : words) {
      if (lowered.compare(i, w.size(), w) != 0) continue;
      // Neighbouring matches ("restraint of trade") share one pair of brackets.
      bool adjacent =
          !matches.empty() && lowered.find_first_not_of(' ', matches.back().second) == i;
      if (adjacent) {
        matches.back().second = end;
      } else {
        matches.emplace_back(i, end);
      }
      break;
    }
    i = end;
  }
  std::size_t first = matches.empty() ? 0 : matches.front().first;
  std::size_t from = first > width / 3 ? first - width / 3 : 0;
  while (from > 0 && (static_cast<unsigned char>(paragraph[from]) & 0xC0) == 0x80) --from;
  std::size_t to = std::min(paragraph.size(), from + width);
  while (to < paragraph.size() && (static_cast<unsigned char>(paragraph[to]) & 0xC0) == 0x80) ++to;
  std::string out = from > 0 ? "..." : "";
  std::size_t at = from;
  for (auto [begin, end] : matches) {
    if (begin < from || end > to) continue;
    out += paragraph.substr(at, begin - at) + "[" + paragraph.substr(begin, end - begin) + "]";
    at = end;
  }
  out += paragraph.substr(at, to - at);
  if (to < paragraph.size()) out += "...";
  for (char& c : out) {
    if (c == '\n') c = ' ';
  }
  return out;
}

}  // namespace

std::vector<SearchHit> Store::search(const std::string& query, std::size_t limit) const {
  return m_impl->guarded("searching", [&] {
    auto& statements = m_impl->statements;
    // Every matching paragraph with its bm25 rank (lower is better): all of them, since a
    // version is listed only when it contains one, and a version missed would be a lie.
    std::unordered_map<std::int64_t, double> ranks;
    {
      // A time budget: a query can be made expensive (thousands of prefix terms were 200 s
      // before the term bound); SQLite checks in now and then and stops past the deadline.
      struct Budget {
        std::chrono::steady_clock::time_point deadline;
        bool expired = false;
      } budget{std::chrono::steady_clock::now() + k_search_time_budget};
      sqlite3_progress_handler(
          m_impl->db.getHandle(), 10000,
          [](void* data) {
            auto* b = static_cast<Budget*>(data);
            b->expired = std::chrono::steady_clock::now() > b->deadline;
            return b->expired ? 1 : 0;
          },
          &budget);
      try {
        SQLite::Statement q(m_impl->db,
                            "SELECT rowid, bm25(paragraph_fts) FROM paragraph_fts "
                            "WHERE paragraph_fts MATCH ?");
        q.bind(1, to_fts_query(query));
        while (q.executeStep()) {
          ranks.emplace(q.getColumn(0).getInt64(), q.getColumn(1).getDouble());
        }
      } catch (const SQLite::Exception&) {
        sqlite3_progress_handler(m_impl->db.getHandle(), 0, nullptr, nullptr);
        if (budget.expired) {
          throw QueryError("search: the query took longer than " +
                           std::to_string(k_search_time_budget.count()) +
                           " s; use fewer or longer words");
        }
        throw;
      }
      sqlite3_progress_handler(m_impl->db.getHandle(), 0, nullptr, nullptr);
    }
    if (ranks.empty()) return std::vector<SearchHit>{};
    // Which versions contain them: one pass over every stored text's paragraph list (a
    // paragraph shared by several bills, as model legislation is, names each of them).
    struct BillMatch {
      double rank = 0;
      std::int64_t paragraph = 0;
      std::vector<int> versions;  // numbers of the versions that contain a match
    };
    std::map<std::string, BillMatch> bills;
    std::unordered_map<std::int64_t, std::pair<double, std::int64_t>> best_in_text;  // by text
    SQLite::Statement versions(
        m_impl->db,
        "SELECT v.number, v.bill_id, v.text_id, t.paragraphs FROM versions v "
        "JOIN texts t ON t.id = v.text_id ORDER BY v.bill_id, v.number");
    while (versions.executeStep()) {
      std::int64_t text_id = versions.getColumn(2).getInt64();
      auto cached = best_in_text.find(text_id);
      if (cached == best_in_text.end()) {
        const auto& blob = versions.getColumn(3);
        std::pair<double, std::int64_t> best{0, 0};
        for (std::int64_t id :
             detail::decode_ids(std::string_view(static_cast<const char*>(blob.getBlob()),
                                                 static_cast<std::size_t>(blob.getBytes())))) {
          auto hit = ranks.find(id);
          if (hit != ranks.end() && (best.second == 0 || hit->second < best.first)) {
            best = {hit->second, id};
          }
        }
        cached = best_in_text.emplace(text_id, best).first;
      }
      if (cached->second.second == 0) continue;
      BillMatch& match = bills[versions.getColumn(1).getString()];
      if (match.paragraph == 0 || cached->second.first < match.rank) {
        match.rank = cached->second.first;
        match.paragraph = cached->second.second;
      }
      match.versions.push_back(versions.getColumn(0).getInt());
    }
    std::vector<std::pair<std::string, BillMatch>> ordered(bills.begin(), bills.end());
    std::stable_sort(ordered.begin(), ordered.end(),
                     [](const auto& a, const auto& b) { return a.second.rank < b.second.rank; });
    if (ordered.size() > limit) ordered.resize(limit);
    std::vector<std::string> words = query_words(query);
    std::vector<SearchHit> hits;
    for (const auto& [bill_id, match] : ordered) {
      SearchHit hit;
      hit.bill_id = bill_id;
      hit.rank = match.rank;
      hit.versions = match.versions;
      hit.snippet = make_snippet(detail::load_paragraph(statements, match.paragraph), words);
      Prepared bill = statements.prepare("SELECT jurisdiction, title FROM bills WHERE id = ?");
      bill->bind(1, bill_id);
      if (bill->executeStep()) {
        hit.jurisdiction = bill->getColumn(0).getString();
        hit.title = bill->getColumn(1).getString();
      }
      hits.push_back(std::move(hit));
    }
    return hits;
  });
}

}  // namespace billwatch::store
