#include "openstates/openstates_source.hpp"

#include <map>
#include <set>

#include "billwatch/analysis/relevance.hpp"
#include "billwatch/core/escape.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/sources/openstates/openstates.hpp"
#include "common/bill_update.hpp"
#include "common/commit_cadence.hpp"
#include "common/keyed_api.hpp"

namespace billwatch::sources {

namespace {

constexpr int k_max_pages = 100;  // 2,000 bills per jurisdiction and run

std::string to_lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// A followed bill that changed, waiting for its new documents.
struct Changed {
  sources::OpenStatesBill bill;
  store::SourceItem item;
  std::vector<FetchedDocument> documents;
  bool complete = true;
};

class OpenStatesSource {
 public:
  OpenStatesSource(const config::SourceConfig& source, SourceRun& run)
      : m_source(source),
        m_config(source.state_api),
        m_run(run),
        m_deps(run.deps()),
        m_api("v3.openstates.org", m_config.base_url, m_config.api_key_env,
              ApiBudget{m_config.requests_per_minute, 0, m_config.requests_per_day, 0}, source.name,
              run, KeyPlacement{KeyPlacement::In::Header, "X-API-KEY"}),
        m_track(m_config.track.begin(), m_config.track.end()) {}

  void run() {
    if (!m_api.has_key()) {
      m_run.error(name(), m_config.base_url,
                  "no Open States key: put it in $" + m_config.api_key_env +
                      " (free at https://open.pluralpolicy.com/accounts/profile/)");
      return;
    }
    for (auto& item : m_deps.store.source_items(name())) m_items[item.url] = std::move(item);
    Timestamp started = m_deps.clock.now();
    bool complete = list_bills();
    // Only a complete listing moves the mark; a day of overlap catches late imports.
    if (complete) {
      m_deps.store.set_source_state(name(), "updated_since",
                                    format_iso8601(started - 86400).substr(0, 10));
    }
    fetch_documents();
    CommitCadence cadence(m_run);
    for (auto& changed : m_changed) {
      Bill bill = changed.bill.bill();
      bill.source = name();
      Saved saved = save_bill(m_run, bill, changed.bill.actions, std::move(changed.documents));
      if (changed.complete && saved != Saved::Failed) {
        m_deps.store.mark_source_item_processed(name(), changed.item);
      }
      cadence.saved();
    }
    cadence.finish();
  }

 private:
  const std::string& name() const { return m_source.name; }

  // GET /bills for the topic query, per listed jurisdiction (or all), updated since the
  // last run, newest first, 20 a page; false when a page could not be read.
  bool list_bills() {
    auto since = m_deps.store.source_state(name(), "updated_since");
    std::vector<std::string> jurisdictions = m_config.states;
    if (jurisdictions.empty()) jurisdictions.push_back("");
    bool complete = true;
    for (const auto& state : jurisdictions) {
      for (int page = 1; page <= k_max_pages; ++page) {
        std::string path = "/bills?q=" + url_encode(m_config.query);
        if (!state.empty()) {
          path +=
              "&jurisdiction=" +
              url_encode("ocd-jurisdiction/country:us/state:" + to_lower(state) + "/government");
        }
        if (since) path += "&updated_since=" + *since;
        path +=
            "&sort=updated_desc&include=actions&include=versions&include=sources"
            "&include=abstracts&per_page=20&page=" +
            std::to_string(page);
        auto body = m_api.get(path);
        if (!body) {
          complete = false;
          break;
        }
        auto parsed = sources::parse_openstates_page(*body);
        if (!parsed) {
          m_run.error(name(), m_api.base_url() + path, "Open States: " + parsed.error());
          complete = false;
          break;
        }
        for (auto& bill : parsed.value().bills) consider(std::move(bill));
        if (parsed.value().page >= parsed.value().max_page) break;
      }
    }
    m_deps.log << "openstates: " << m_changed.size() << " followed bill"
               << (m_changed.size() == 1 ? "" : "s") << " changed\n";
    return complete;
  }

  // Followed or not, changed or not: what one listed bill needs.
  void consider(sources::OpenStatesBill bill) {
    Bill ours = bill.bill();
    if (ours.id.empty()) return;
    store::SourceItem item;
    item.url = "openstates:" + (bill.id.empty() ? ours.id : bill.id);
    item.bill_id = ours.id;
    item.processed_lastmod = bill.content_hash();
    auto known = m_items.find(item.url);
    std::string abstracts;
    for (const auto& abstract : bill.abstracts) abstracts += abstract + "\n\n";
    bool followed = (known != m_items.end() && known->second.tracked) || m_track.count(ours.id) ||
                    analysis::screen_topic(bill.title, abstracts, m_config.topic_terms).relevant;
    item.tracked = followed;
    if (!followed) {
      ++m_run.summary().off_topic;
      m_deps.store.mark_source_item_processed(name(), item);
      return;
    }
    // updated_at moves on any import; only what a subscriber cares about counts (T7).
    if (known != m_items.end() && known->second.tracked &&
        known->second.processed_lastmod == item.processed_lastmod) {
      ++m_run.summary().unchanged;
      return;
    }
    m_changed.push_back(Changed{std::move(bill), std::move(item), {}, true});
  }

  // The versions of changed bills not stored yet, through the crawler (politely, with
  // robots.txt): HTML and PDF become text.
  void fetch_documents() {
    struct Job {
      std::size_t bill;
      sources::OpenStatesVersion version;
    };
    std::vector<Job> jobs;
    std::vector<crawler::FetchRequest> requests;
    for (std::size_t i = 0; i < m_changed.size(); ++i) {
      auto stored_list = m_deps.store.version_urls(m_changed[i].item.bill_id);
      std::set<std::string> stored(stored_list.begin(), stored_list.end());
      m_run.cap_links(name(), "openstates:" + m_changed[i].item.bill_id,
                      m_changed[i].bill.versions);
      for (const auto& version : m_changed[i].bill.versions) {
        if (stored.count(version.url)) continue;
        jobs.push_back({i, version});
        requests.push_back({version.url, "", ""});
      }
    }
    if (jobs.empty()) return;
    m_deps.log << "openstates: fetching " << jobs.size() << " bill text"
               << (jobs.size() == 1 ? "" : "s") << "\n";
    crawler::FetchStats stats = m_deps.http.fetch_each(
        requests,
        [&](std::size_t index, crawler::FetchOutcome&& outcome) {
          const Job& job = jobs[index];
          Changed& changed = m_changed[job.bill];
          m_run.count_page(name());
          const std::string& url = job.version.url;
          if (auto* failure = std::get_if<crawler::FetchFailure>(&outcome)) {
            changed.complete = false;
            m_run.error(name(), url,
                        changed.item.bill_id + " '" + job.version.note + "': " + failure->message);
            return;
          }
          auto* fetched = std::get_if<crawler::Fetched>(&outcome);
          if (!fetched) return;
          ++m_run.summary().fetched;
          auto page = crawler::page_to_text(fetched->body, fetched->content_type, url);
          if (!page) {
            changed.complete = false;
            m_run.error(name(), url,
                        changed.item.bill_id + " '" + job.version.note + "': " + page.error());
            return;
          }
          if (!page.value().warning.empty()) m_run.warning(name(), url, page.value().warning);
          FetchedDocument document =
              document_of(std::move(page.value()), url, *fetched, m_deps.clock.now());
          document.label = job.version.note;
          document.date = job.version.date;
          changed.documents.push_back(std::move(document));
        },
        m_deps.progress);
    m_run.add_stats(stats);
  }

  const config::SourceConfig& m_source;
  const config::StateApiSourceConfig& m_config;
  SourceRun& m_run;
  SourceDeps& m_deps;
  KeyedApi m_api;
  std::set<std::string> m_track;
  std::map<std::string, store::SourceItem> m_items;
  std::vector<Changed> m_changed;
};

}  // namespace

void run_openstates_source(const config::SourceConfig& source, SourceRun& run) {
  OpenStatesSource(source, run).run();
}

}  // namespace billwatch::sources
