#include "openstates/openstates_source.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "billwatch/core/escape.hpp"
#include "billwatch/sources/openstates/openstates.hpp"
#include "common/bill_update.hpp"
#include "common/commit_cadence.hpp"
#include "common/documents.hpp"
#include "common/following.hpp"
#include "common/keyed_api.hpp"
#include "common/paging.hpp"

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
        m_follow(m_config.track, m_config.topic_terms) {}

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
      Listing listing = read_pages(k_max_pages, [&](int page) -> std::optional<bool> {
        std::string path = "/bills?q=" + url_encode(m_config.query);
        if (!state.empty()) {
          path +=
              "&jurisdiction=" +
              url_encode("ocd-jurisdiction/country:us/state:" + to_lower(state) + "/government");
        }
        if (since) path += "&updated_since=" + *since;
        path +=
            "&sort=updated_desc&include=actions&include=versions&include=sources&include="
            "sponsorships"
            "&include=abstracts&per_page=20&page=" +
            std::to_string(page);
        auto body = m_api.get(path);
        if (!body) return std::nullopt;
        auto parsed = sources::parse_openstates_page(*body);
        if (!parsed) {
          m_run.error(name(), m_api.base_url() + path, "Open States: " + parsed.error());
          return std::nullopt;
        }
        const sources::OpenStatesPage& answer = parsed.value();
        if (answer.skipped > 0) {
          m_run.warning(name(), m_api.base_url() + path,
                        "Open States: " + std::to_string(answer.skipped) + " of its results " +
                            "could not be read as bills (the first: " + answer.first_skip + ")");
        } else if (answer.total_items > 0 && answer.bills.empty()) {
          m_run.warning(name(), m_api.base_url() + path,
                        "Open States says " + std::to_string(answer.total_items) +
                            " results, but none could be read from its answer");
        }
        for (auto& bill : parsed.value().bills) consider(std::move(bill));
        return parsed.value().page < parsed.value().max_page;
      });
      complete = complete && listing == Listing::complete;
    }
    m_deps.log << "openstates: " << m_changed.size() << " followed bill"
               << (m_changed.size() == 1 ? "" : "s") << " changed\n";
    return complete;
  }

  // Followed or not, changed or not: what one listed bill needs.
  void consider(sources::OpenStatesBill bill) {
    if (!sources::session_key_has_year(bill.session_key)) resolve_session(bill);
    Bill ours = bill.bill();
    if (ours.id.empty()) return;
    store::SourceItem item;
    item.url = "openstates:" + (bill.id.empty() ? ours.id : bill.id);
    item.bill_id = ours.id;
    item.processed_lastmod = bill.content_hash();
    auto known = m_items.find(item.url);
    std::string abstracts;
    for (const auto& abstract : bill.abstracts) abstracts += abstract + "\n\n";
    bool followed = m_follow.follows(known != m_items.end() && known->second.tracked, ours.id,
                                     bill.title, abstracts);
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

  // Open States names some sessions without a year ("194th" in Massachusetts,
  // "57th-2nd-regular" in Arizona), which would make ids that never meet LegiScan's. The
  // jurisdiction's session list gives each session's start year; it is kept in the store
  // and asked again (once a run) when a session is not in it. A session that cannot be
  // resolved keeps its name in the id, and the run says so once.
  void resolve_session(sources::OpenStatesBill& bill) {
    std::map<std::string, std::string>& known = sessions_of(bill.jurisdiction);
    auto it = known.find(bill.session);
    if (it == known.end() && m_asked.insert(bill.jurisdiction).second) {
      ask_sessions(bill.jurisdiction);
      it = known.find(bill.session);
    }
    if (it != known.end()) {
      bill.session_key = it->second;
      return;
    }
    if (m_unresolved.insert(bill.jurisdiction + " " + bill.session).second) {
      m_run.warning(name(), m_api.base_url() + sessions_path(bill.jurisdiction),
                    "Open States session '" + bill.session + "' of " + bill.jurisdiction +
                        " has no start year in its session list; its bills keep ids such as " +
                        bill.bill().id + ", which cannot meet LegiScan's");
    }
  }

  static std::string sessions_path(const std::string& usps) {
    return "/jurisdictions/ocd-jurisdiction/country:us/state:" + to_lower(usps) +
           "/government?include=legislative_sessions";
  }

  std::map<std::string, std::string>& sessions_of(const std::string& usps) {
    auto [it, added] = m_sessions.try_emplace(usps);
    if (added) {
      auto stored = m_deps.store.source_state(name(), "sessions:" + usps);
      auto cached = nlohmann::json::parse(stored.value_or(""), nullptr, false);
      if (cached.is_object()) {
        for (const auto& [identifier, key] : cached.items()) {
          if (key.is_string()) it->second[identifier] = key.get<std::string>();
        }
      }
    }
    return it->second;
  }

  void ask_sessions(const std::string& usps) {
    std::string path = sessions_path(usps);
    auto body = m_api.get(path);
    if (!body) return;
    auto parsed = sources::parse_openstates_sessions(*body);
    if (!parsed) {
      m_run.error(name(), m_api.base_url() + path, "Open States: " + parsed.error());
      return;
    }
    std::map<std::string, std::string>& known = m_sessions[usps];
    for (const auto& [identifier, key] : parsed.value()) known[identifier] = key;
    m_deps.store.set_source_state(name(), "sessions:" + usps, nlohmann::json(known).dump());
  }

  // The versions of changed bills not stored yet, through the crawler (politely, with
  // robots.txt): HTML and PDF become text.
  void fetch_documents() {
    std::vector<std::pair<std::size_t, sources::OpenStatesVersion>> versions;
    std::vector<DocumentJob> jobs;
    for (std::size_t i = 0; i < m_changed.size(); ++i) {
      auto stored_list = m_deps.store.version_urls(m_changed[i].item.bill_id);
      std::set<std::string> stored(stored_list.begin(), stored_list.end());
      m_run.cap_links(name(), "openstates:" + m_changed[i].item.bill_id,
                      m_changed[i].bill.versions);
      for (const auto& version : m_changed[i].bill.versions) {
        if (stored.count(version.url)) continue;
        versions.emplace_back(i, version);
        jobs.push_back({version.url, "", m_changed[i].item.bill_id + " '" + version.note + "'"});
      }
    }
    if (jobs.empty()) return;
    m_deps.log << "openstates: fetching " << jobs.size() << " bill text"
               << (jobs.size() == 1 ? "" : "s") << "\n";
    sources::fetch_documents(m_run, name(), jobs,
                             [&](std::size_t job, std::optional<FetchedDocument> document) {
                               const auto& [bill, version] = versions[job];
                               Changed& changed = m_changed[bill];
                               if (!document) {
                                 changed.complete = false;
                                 return;
                               }
                               document->label = version.note;
                               document->date = version.date;
                               changed.documents.push_back(std::move(*document));
                             });
  }

  const config::SourceConfig& m_source;
  const config::StateApiSourceConfig& m_config;
  SourceRun& m_run;
  SourceDeps& m_deps;
  KeyedApi m_api;
  FollowRule m_follow;
  std::map<std::string, store::SourceItem> m_items;
  std::vector<Changed> m_changed;
  std::map<std::string, std::map<std::string, std::string>> m_sessions;  // USPS -> id -> key
  std::set<std::string> m_asked;       // jurisdictions whose session list was asked this run
  std::set<std::string> m_unresolved;  // "MA 194th": said once a run
};

}  // namespace

void run_openstates_source(const config::SourceConfig& source, SourceRun& run) {
  OpenStatesSource(source, run).run();
}

}  // namespace billwatch::sources
