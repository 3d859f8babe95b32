#pragma once

// The Congress source's run, one class over four files: discovery (sitemaps, govinfo's
// changed-since list), the api.congress.gov listing, statuses and texts, and saving.

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "billwatch/analysis/provisions.hpp"
#include "billwatch/analysis/relevance.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/sources/congress/billstatus.hpp"
#include "billwatch/sources/congress/congress_api.hpp"
#include "billwatch/sources/congress/govinfo.hpp"
#include "common/bill_update.hpp"
#include "common/documents.hpp"
#include "common/following.hpp"
#include "common/keyed_api.hpp"
#include "common/page_version.hpp"
#include "common/paging.hpp"

namespace billwatch::sources::congress_detail {

// "117th", "121st", "122nd", "123rd", "111th"
inline std::string ordinal(int n) {
  int tens = n % 100;
  const char* suffix = "th";
  if (tens < 11 || tens > 13) {
    suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  }
  return std::to_string(n) + suffix;
}

// What the topic screen reads of a bill: every title, the subjects and the latest summary.
inline std::string metadata_text(const sources::BillStatus& status) {
  std::string text;
  for (const auto& title : status.titles) text += title + "\n\n";
  if (!status.policy_area.empty()) text += status.policy_area + "\n\n";
  for (const auto& subject : status.subjects) text += subject + "\n\n";
  text += status.summary;
  return text;
}

inline bool is_final(Stage stage) {
  return stage == stage::k_enacted || stage == stage::k_vetoed || stage == stage::k_dead;
}

// api.govinfo.gov's limit (data-sources §1.3); the crawler's per-host pacing keeps
// within its per-second limit.
constexpr int k_govinfo_requests_per_hour = 36000;
// A listing longer than this is not followed further in one run.
constexpr int k_max_api_pages = 200;

// One status file to fetch this run.
struct Candidate {
  store::SourceItem file;
  bool in_track = false;
};

// A text version fetched for a bill.
struct FetchedText {
  sources::TextFiles files;
  FetchedDocument document;
};

// A bill whose status file was read this run and that is (or may become) followed.
struct FollowedBill {
  store::SourceItem file;
  sources::BillStatus status;
  bool scan_only = false;  // followed only if its newest text is relevant (scan_text)
  bool complete = true;    // every text version it lists was fetched or is stored
  bool from_api = false;   // read from api.congress.gov, not from the status file
  std::vector<FetchedText> texts;
};

struct TextJob {
  std::size_t bill = 0;
  sources::TextVersionRef ref;
  sources::TextFiles files;
};

class CongressSource {
 public:
  CongressSource(const config::SourceConfig& source, SourceRun& run)
      : m_source(source),
        m_config(source.congress),
        m_run(run),
        m_deps(run.deps()),
        m_follow(source.congress.track, source.congress.topic_terms),
        m_congress_api("api.congress.gov", m_config.api_base_url, m_config.api_key_env,
                       ApiBudget{0, m_config.api_requests_per_hour, 0, 0}, source.name, run),
        m_govinfo_api("api.govinfo.gov", m_config.govinfo_api_url, m_config.govinfo_api_key_env,
                      ApiBudget{0, k_govinfo_requests_per_hour, 0, 0}, source.name, run) {}

  void run() {
    std::vector<Candidate> candidates = discover();
    read_congress_api(candidates);
    fetch_statuses(candidates);
    fetch_texts();
    save();
    mark_ended_congresses();
  }

 private:
  const std::string& name() const { return m_source.name; }
  Timestamp now() const { return m_deps.clock.now(); }

  std::vector<int> congresses() const {
    if (!m_config.congresses.empty()) return m_config.congresses;
    return {sources::congress_at(now())};
  }

  bool configured(int congress, const std::string& type) const {
    return m_read.count({congress, type}) > 0;
  }

  // Step 1: the sitemaps (or govinfo's changed-since list), then the list of files whose
  // lastmod moved.
  std::vector<Candidate> discover();

  // govinfo's changed-since list of BILLSTATUS packages for one Congress, page by page;
  // false (reported) when it could not be read, and the sitemaps are read instead.
  bool read_govinfo_collection(int congress);

  // With a key: which followed bills api.congress.gov saw change since the last run, with
  // their actions and text versions (a day or more ahead of the bulk data). Bills not
  // followed are left to the bulk data, whose status files say whether they are on topic.
  void read_congress_api(std::vector<Candidate>& candidates);

  // The actions and text versions of one followed bill, as a FollowedBill to save.
  // False when its answers could not all be read (reported).
  bool read_congress_api_bill(const sources::ApiBill& listed, const store::SourceItem& row);

  std::optional<std::string> stored_title(const std::string& bill_id);
  const store::BillRow* stored_bill(const std::string& bill_id);

  // The text versions a followed bill listed that were not on govinfo yet when its status
  // file was last read, kept so that an unchanged status file (a 304) need not be
  // downloaded again to know which texts to look for (data-sources T12).
  std::vector<sources::TextVersionRef> pending_texts(const std::string& bill_id);
  void set_pending_texts(const std::string& bill_id,
                         const std::vector<sources::TextVersionRef>& refs);
  // A status file that answered 304: its bill, from the store, with its pending texts.
  void read_unchanged_status(Candidate& candidate);

  void read_sitemap(const std::string& url, int congress, const std::string& type,
                    crawler::FetchOutcome& outcome);

  // Step 2: the status files, each parsed and sorted into followed or not.
  void fetch_statuses(std::vector<Candidate>& candidates);

  void read_status(Candidate& candidate, crawler::FetchOutcome& outcome);

  // The text versions a bill lists that are not stored yet, oldest first (for scan_only
  // bills only the newest).
  std::vector<TextJob> text_jobs(std::size_t index);

  // Step 3: the texts, in rounds: a scanned bill found relevant gets its other versions
  // in the next round; each version from its XML, or its HTML when the XML fails.
  void fetch_texts();

  static bool text_is_relevant(const FollowedBill& bill) {
    for (const auto& text : bill.texts) {
      const std::string& normalized = text.document.page.text;
      if (analysis::analyze_provisions(normalized).relevant) return true;
      if (analysis::screen_relevance(bill.status.bill.title, normalized).relevant) return true;
    }
    return false;
  }

  void read_text(const TextJob& job, std::optional<FetchedDocument> document);

  // The action that makes a bill `dead` when its Congress ended without it becoming law;
  // nullopt while the Congress sits, or when the bill got as far as it could.
  std::optional<Action> end_of_congress(int congress, Stage stage) const {
    std::string end = sources::congress_end_date(congress);
    auto end_time = parse_date(end);
    if (!end_time || now() < *end_time || is_final(stage)) return std::nullopt;
    Action action;
    action.date = end;
    action.text = "The " + ordinal(congress) +
                  " Congress ended without this bill becoming law (recorded by billwatch).";
    action.stage = stage::k_dead;
    return action;
  }

  // Step 4: each followed bill, as one update per new version (oldest first).
  void save();

  // Step 5: followed bills whose Congress ended since their file last changed.
  void mark_ended_congresses();

  const config::SourceConfig& m_source;
  const config::CongressSourceConfig& m_config;
  SourceRun& m_run;
  SourceDeps& m_deps;
  FollowRule m_follow;
  std::set<std::pair<int, std::string>> m_read;  // the (Congress, type) collections read
  std::vector<FollowedBill> m_bills;
  KeyedApi m_congress_api;
  KeyedApi m_govinfo_api;
  std::optional<std::map<std::string, store::BillRow>> m_stored_bills;
};

}  // namespace billwatch::sources::congress_detail
