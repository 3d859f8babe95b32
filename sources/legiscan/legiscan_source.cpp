#include "legiscan/legiscan_source.hpp"

#include <algorithm>
#include <ctime>
#include <map>
#include <set>

#include "billwatch/core/escape.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/sources/legiscan/legiscan.hpp"
#include "common/bill_update.hpp"
#include "common/commit_cadence.hpp"
#include "common/following.hpp"
#include "common/keyed_api.hpp"
#include "common/paging.hpp"

namespace billwatch::sources {

namespace {

constexpr int k_max_search_pages = 20;  // 40,000 results: far beyond any topic

std::string item_key(std::int64_t bill_id) {
  return "legiscan:" + std::to_string(bill_id);
}

class LegiscanSource {
 public:
  LegiscanSource(const config::SourceConfig& source, SourceRun& run)
      : m_source(source),
        m_config(source.state_api),
        m_run(run),
        m_deps(run.deps()),
        m_api("api.legiscan.com", m_config.base_url, m_config.api_key_env,
              ApiBudget{0, 0, 0, m_config.monthly_query_budget}, source.name, run,
              KeyPlacement{KeyPlacement::In::Query, "key"}),
        m_follow(m_config.track, m_config.topic_terms) {}

  void run() {
    if (!m_api.has_key()) {
      m_run.error(name(), m_config.base_url,
                  "no LegiScan key: put it in $" + m_config.api_key_env +
                      " (free with a legiscan.com account)");
      return;
    }
    for (auto& item : m_deps.store.source_items(name())) m_items[item.url] = std::move(item);
    search();
    read_master_lists();
    std::vector<const sources::LegiscanListEntry*> changed;
    for (const auto& [bill_id, entry] : m_listed) {
      auto it = m_items.find(item_key(bill_id));
      bool known = it != m_items.end();
      bool newly_tracked = known && !it->second.tracked && m_follow.in_track(it->second.bill_id);
      if (known && it->second.processed_lastmod == entry.change_hash && !newly_tracked) continue;
      // A bill only in a master list (not found by the search) matters when it is followed.
      if (!m_found.count(bill_id) && !(known && it->second.tracked)) continue;
      changed.push_back(&entry);
    }
    m_deps.log << "legiscan: " << m_listed.size() << " bills listed, " << changed.size()
               << " changed since the last run\n";
    CommitCadence cadence(m_run);
    for (const auto* entry : changed) {
      read_bill(*entry);
      cadence.saved();
    }
    cadence.finish();
    std::string sessions;
    for (auto id : m_sessions) sessions += (sessions.empty() ? "" : ",") + std::to_string(id);
    m_deps.store.set_source_state(name(), "sessions", sessions);
  }

 private:
  const std::string& name() const { return m_source.name; }

  void add(const sources::LegiscanList& list, bool found) {
    for (const auto& entry : list.entries) {
      m_listed[entry.bill_id] = entry;
      if (found) m_found.insert(entry.bill_id);
    }
  }

  // Discovery: the topic query over this year's bills of every (or each listed) state.
  void search() {
    std::time_t seconds = static_cast<std::time_t>(m_deps.clock.now());
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    std::string year = std::to_string(utc.tm_year + 1900);
    std::vector<std::string> states = m_config.states;
    if (states.empty()) states.push_back("ALL");
    for (const auto& state : states) {
      (void)read_pages(k_max_search_pages, [&](int page) -> std::optional<bool> {
        std::string path = "/?op=getSearchRaw&state=" + state +
                           "&query=" + url_encode(m_config.query) + "&year=" + year +
                           "&page=" + std::to_string(page);
        auto list = read_list(path);
        if (!list) return std::nullopt;
        add(*list, true);
        return page < list->page_total;
      });
    }
  }

  // Tracking: the master list of every session a followed bill is in.
  void read_master_lists() {
    for (const auto& id : split(m_deps.store.source_state(name(), "sessions").value_or(""))) {
      m_sessions.insert(id);
    }
    for (auto session : std::set<std::int64_t>(m_sessions)) {
      if (auto list = read_list("/?op=getMasterListRaw&id=" + std::to_string(session))) {
        add(*list, false);
      }
    }
  }

  static std::vector<std::int64_t> split(const std::string& text) {
    std::vector<std::int64_t> out;
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = std::min(text.find(',', start), text.size());
      std::string part = text.substr(start, end - start);
      if (!part.empty() && part.size() < 12 &&
          std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        out.push_back(std::stoll(part));
      }
      start = end + 1;
    }
    return out;
  }

  std::optional<sources::LegiscanList> read_list(const std::string& path) {
    auto body = m_api.get(path);
    if (!body) return std::nullopt;
    auto list = sources::parse_legiscan_list(*body);
    if (!list) {
      m_run.error(name(), m_api.base_url() + path, "LegiScan: " + list.error());
      return std::nullopt;
    }
    // A tracker that silently finds nothing is the worst failure it can have.
    if (list.value().stated > 0 && list.value().entries.empty()) {
      m_run.warning(name(), m_api.base_url() + path,
                    "LegiScan says " + std::to_string(list.value().stated) +
                        " results, but none could be read from its answer");
    }
    return std::move(list.value());
  }

  // One changed bill: getBill, the topic decision, new texts, the update.
  void read_bill(const sources::LegiscanListEntry& entry) {
    std::string path = "/?op=getBill&id=" + std::to_string(entry.bill_id);
    auto body = m_api.get(path);
    if (!body) return;
    auto parsed = sources::parse_legiscan_bill(*body);
    if (!parsed) {
      m_run.error(name(), m_api.base_url() + path, "LegiScan: " + parsed.error());
      return;
    }
    const sources::LegiscanBill& legiscan = parsed.value();
    Bill bill = legiscan.bill();
    bill.source = name();
    store::SourceItem item;
    item.url = item_key(legiscan.bill_id);
    item.bill_id = bill.id;
    auto known = m_items.find(item.url);
    bool followed = m_follow.follows(known != m_items.end() && known->second.tracked, bill.id,
                                     legiscan.title, legiscan.description);
    item.processed_lastmod = legiscan.change_hash;
    item.tracked = followed;
    if (!followed) {
      ++m_run.summary().off_topic;
      m_deps.store.mark_source_item_processed(name(), item);
      return;
    }
    if (legiscan.session_id > 0) m_sessions.insert(legiscan.session_id);
    bool complete = true;
    std::vector<FetchedDocument> documents = new_texts(legiscan, bill, complete);
    if (save_bill(m_run, bill, legiscan.actions, std::move(documents)) == Saved::Failed) {
      m_documents.clear();
      return;  // tried again next run
    }
    for (const auto& document : m_documents) {
      m_deps.store.mark_source_item_processed(name(), document);
      m_items[document.url] = document;
    }
    m_documents.clear();
    // A text that failed is fetched again next run, with the bill.
    if (complete) m_deps.store.mark_source_item_processed(name(), item);
  }

  // The version documents not stored yet (fiscal notes and veto messages are not
  // versions), each through getBillText.
  std::vector<FetchedDocument> new_texts(const sources::LegiscanBill& legiscan, const Bill& bill,
                                         bool& complete) {
    std::vector<std::string> stored_list = m_deps.store.version_urls(bill.id);
    std::set<std::string> stored(stored_list.begin(), stored_list.end());
    std::vector<FetchedDocument> documents;
    for (const auto& text : legiscan.texts) {
      if (!text.is_version()) continue;
      // A document is fetched when its doc_id is new, or when LegiScan says its text
      // changed (a new text_hash for the same doc_id).
      std::string doc_key = "legiscan:doc:" + std::to_string(text.doc_id);
      auto doc_item = m_items.find(doc_key);
      bool rehashed = !text.text_hash.empty() && doc_item != m_items.end() &&
                      doc_item->second.processed_lastmod != text.text_hash;
      if (stored.count(text.url) && !rehashed) continue;
      std::string path = "/?op=getBillText&id=" + std::to_string(text.doc_id);
      auto body = m_api.get(path);
      if (!body) {
        complete = false;
        continue;
      }
      auto document = sources::parse_legiscan_text(*body);
      if (!document) {
        complete = false;
        m_run.error(name(), m_api.base_url() + path, "LegiScan: " + document.error());
        continue;
      }
      auto page = crawler::page_to_text(document.value().body, document.value().mime, text.url);
      if (!page) {
        complete = false;
        m_run.error(name(), text.url, bill.id + " '" + text.type + "': " + page.error());
        continue;
      }
      if (!page.value().warning.empty()) m_run.warning(name(), text.url, page.value().warning);
      FetchedDocument fetched;
      // The LegiScan text page names the document: stored once per doc_id.
      fetched.provenance =
          Provenance{text.url, m_api.base_url() + path,          m_deps.clock.now(), 200, "",
                     "",       sha256_hex(document.value().body)};
      fetched.page = std::move(page.value());
      fetched.label = text.type;
      fetched.code = std::to_string(text.type_id);
      fetched.date = text.date;
      // A new text_hash with the same text (LegiScan re-extracted it) is no new version.
      if (!rehashed || !m_deps.store.is_latest_text(bill.id, fetched.page.text)) {
        documents.push_back(std::move(fetched));
      }
      store::SourceItem item;
      item.url = doc_key;
      item.bill_id = bill.id;
      item.processed_lastmod = text.text_hash;
      m_documents.push_back(std::move(item));
    }
    return documents;
  }

  const config::SourceConfig& m_source;
  const config::StateApiSourceConfig& m_config;
  SourceRun& m_run;
  SourceDeps& m_deps;
  KeyedApi m_api;
  FollowRule m_follow;
  std::map<std::string, store::SourceItem> m_items;
  std::map<std::int64_t, sources::LegiscanListEntry> m_listed;
  std::set<std::int64_t> m_found;
  std::set<std::int64_t> m_sessions;
  std::vector<store::SourceItem> m_documents;  // text hashes of the documents just fetched
};

}  // namespace

void run_legiscan_source(const config::SourceConfig& source, SourceRun& run) {
  LegiscanSource(source, run).run();
}

}  // namespace billwatch::sources
