#include "congress/congress_source.hpp"

#include <algorithm>
#include <chrono>
#include <map>
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
#include "common/keyed_api.hpp"
#include "common/page_version.hpp"

namespace billwatch::sources {

namespace {

// "117th", "121st", "122nd", "123rd", "111th"
std::string ordinal(int n) {
  int tens = n % 100;
  const char* suffix = "th";
  if (tens < 11 || tens > 13) {
    suffix = n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
  }
  return std::to_string(n) + suffix;
}

// What the topic screen reads of a bill: every title, the subjects and the latest summary.
std::string metadata_text(const sources::BillStatus& status) {
  std::string text;
  for (const auto& title : status.titles) text += title + "\n\n";
  if (!status.policy_area.empty()) text += status.policy_area + "\n\n";
  for (const auto& subject : status.subjects) text += subject + "\n\n";
  text += status.summary;
  return text;
}

bool is_final(const std::string& stage) {
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
  bool html = false;  // the XML was missing or unreadable: the HTML rendering
  const std::string& url() const { return html ? files.html_url : files.xml_url; }
};

class CongressSource {
 public:
  CongressSource(const config::SourceConfig& source, SourceRun& run)
      : m_source(source),
        m_config(source.congress),
        m_run(run),
        m_deps(run.deps()),
        m_track(source.congress.track.begin(), source.congress.track.end()),
        m_congress_api("api.congress.gov", m_config.api_base_url, m_config.api_key_env,
                       ApiBudget{0, m_config.api_requests_per_hour, 0, 0}, source.name, run),
        m_govinfo_api("api.govinfo.gov", m_config.govinfo_api_url, m_config.govinfo_api_key_env,
                      ApiBudget{0, k_govinfo_requests_per_hour, 0, 0}, source.name, run) {}

  void run() {
    std::vector<Candidate> candidates = discover();
    read_congress_api();
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
  std::vector<Candidate> discover() {
    std::vector<crawler::FetchRequest> requests;
    std::vector<std::pair<int, std::string>> collections;
    for (int congress : congresses()) {
      for (const auto& type : m_config.bill_types) m_read.insert({congress, type});
      if (m_govinfo_api.on() && read_govinfo_collection(congress)) continue;
      for (const auto& type : m_config.bill_types) {
        std::string url = sources::billstatus_sitemap_url(m_config.base_url, congress, type);
        crawler::FetchRequest request{url, "", ""};
        if (auto state = m_deps.store.fetch_state(url)) {
          request.etag = state->etag;
          request.last_modified = state->last_modified;
        }
        requests.push_back(std::move(request));
        collections.emplace_back(congress, type);
      }
    }
    if (!requests.empty()) {
      m_deps.log << "congress: reading " << requests.size() << " govinfo sitemap"
                 << (requests.size() == 1 ? "" : "s") << "\n";
    }
    crawler::FetchStats stats = m_deps.http.fetch_each(
        requests,
        [&](std::size_t i, crawler::FetchOutcome&& outcome) {
          read_sitemap(requests[i].url, collections[i].first, collections[i].second, outcome);
        },
        m_deps.progress);
    m_run.add_stats(stats);

    std::vector<Candidate> candidates;
    std::set<std::string> listed;
    for (auto& file : m_deps.store.source_items(name())) {
      listed.insert(file.bill_id);
      auto ref = sources::parse_billstatus_name(file.url);
      if (!ref) continue;
      bool in_track = m_track.count(file.bill_id) > 0;
      if (!configured(ref->congress, ref->type) && !in_track) continue;
      bool moved = file.seen_lastmod != file.processed_lastmod;
      if (moved || (in_track && !file.tracked)) candidates.push_back({std::move(file), in_track});
    }
    // Tracked bills of Congresses whose sitemaps are not read are fetched every run: a
    // handful of small files.
    for (const auto& id : m_config.track) {
      auto ref = sources::parse_federal_bill_id(id);
      if (!ref || configured(ref->congress, ref->type)) continue;
      store::SourceItem file;
      file.url = sources::billstatus_url(m_config.base_url, ref->congress, ref->type, ref->number);
      file.bill_id = ref->bill_id();
      file.seen_lastmod = "run " + format_iso8601(now());
      file.tracked = true;
      candidates.push_back({std::move(file), true});
    }
    return candidates;
  }

  // govinfo's changed-since list of BILLSTATUS packages for one Congress, page by page;
  // false (reported) when it could not be read, and the sitemaps are read instead.
  bool read_govinfo_collection(int congress) {
    std::string key = "govinfo_since:" + std::to_string(congress);
    // The first time, everything since the Congress began.
    std::string since =
        m_deps.store.source_state(name(), key)
            .value_or(std::to_string(1789 + 2 * (congress - 1)) + "-01-03T00:00:00Z");
    Timestamp started = now();
    std::string path = "/collections/BILLSTATUS/" + since +
                       "?pageSize=1000&offsetMark=*&congress=" + std::to_string(congress);
    m_deps.log << "congress: asking api.govinfo.gov for the " << ordinal(congress)
               << " Congress's status files changed since " << since << "\n";
    for (int pages = 0; pages < k_max_api_pages; ++pages) {
      auto body = m_govinfo_api.get(path);
      if (!body) return false;
      auto page = sources::parse_govinfo_collection(*body);
      if (!page) {
        m_run.error(name(), m_config.govinfo_api_url + path, "api.govinfo.gov: " + page.error());
        return false;
      }
      std::vector<store::SourceItem> files;
      for (const auto& package : page.value().items) {
        auto ref = sources::parse_billstatus_name(package.package_id + ".xml");
        if (!ref || ref->congress != congress || !configured(ref->congress, ref->type)) continue;
        store::SourceItem file;
        file.url =
            sources::billstatus_url(m_config.base_url, ref->congress, ref->type, ref->number);
        file.bill_id = ref->bill_id();
        file.seen_lastmod = package.last_modified.empty() ? "undated" : package.last_modified;
        files.push_back(std::move(file));
      }
      m_deps.store.note_source_items(name(), files);
      if (page.value().next.empty()) {
        // lastModified has lagged before (usgpo/api#27): the next run looks a day back.
        m_deps.store.set_source_state(name(), key, format_iso8601(started - 86400));
        return true;
      }
      auto next = m_govinfo_api.path_of(page.value().next);
      if (!next) {
        m_run.error(name(), page.value().next, "api.govinfo.gov: nextPage points elsewhere");
        return false;
      }
      path = *next;
    }
    m_run.error(name(), m_config.govinfo_api_url + path,
                "api.govinfo.gov: more than " + std::to_string(k_max_api_pages) + " pages");
    return false;
  }

  // With a key: which followed bills api.congress.gov saw change since the last run, with
  // their actions and text versions (a day or more ahead of the bulk data). Bills not
  // followed are left to the bulk data, whose status files say whether they are on topic.
  void read_congress_api() {
    if (!m_congress_api.on()) return;
    std::map<std::string, store::SourceItem> known;
    for (auto& file : m_deps.store.source_items(name())) known[file.bill_id] = std::move(file);
    for (const auto& [congress, type] : m_read) {
      std::string key = "congress_api_since:" + std::to_string(congress) + type;
      auto since = m_deps.store.source_state(name(), key);
      Timestamp started = now();
      if (!since) {
        // The first run reads the bulk data, which covers every bill; the API takes over
        // from here.
        m_deps.store.set_source_state(name(), key, format_iso8601(started));
        continue;
      }
      std::string path = "/bill/" + std::to_string(congress) + "/" + type +
                         "?fromDateTime=" + *since + "&sort=updateDate+desc&limit=250&format=json";
      std::vector<sources::ApiBill> changed;
      bool complete = false;
      for (int pages = 0; pages < k_max_api_pages && !complete; ++pages) {
        auto body = m_congress_api.get(path);
        if (!body) break;
        auto page = sources::parse_congress_bill_list(*body);
        if (!page) {
          m_run.error(name(), m_config.api_base_url + path, "api.congress.gov: " + page.error());
          break;
        }
        changed.insert(changed.end(), page.value().items.begin(), page.value().items.end());
        if (page.value().next.empty()) {
          complete = true;
        } else if (auto next = m_congress_api.path_of(page.value().next)) {
          path = *next;
        } else {
          m_run.error(name(), page.value().next, "api.congress.gov: next page points elsewhere");
          break;
        }
      }
      // Only a complete listing moves the mark; an hour of overlap catches late updates.
      if (complete) m_deps.store.set_source_state(name(), key, format_iso8601(started - 3600));
      for (const auto& listed : changed) {
        if (listed.congress != congress || listed.type != type) continue;
        std::string id = listed.bill_id();
        auto file = known.find(id);
        bool followed = (file != known.end() && file->second.tracked) || m_track.count(id);
        if (!followed) continue;
        store::SourceItem row;
        if (file != known.end()) {
          row = file->second;
        } else {
          row.url = sources::billstatus_url(m_config.base_url, congress, type, listed.number);
          row.bill_id = id;
        }
        read_congress_api_bill(listed, row);
      }
    }
  }

  // The actions and text versions of one followed bill, as a FollowedBill to save.
  void read_congress_api_bill(const sources::ApiBill& listed, const store::SourceItem& row) {
    std::string base =
        "/bill/" + std::to_string(listed.congress) + "/" + listed.type + "/" + listed.number;
    std::vector<std::vector<Action>> pages;
    std::string path = base + "/actions?limit=250&format=json";
    for (int n = 0;; ++n) {
      if (n == k_max_api_pages) return;
      auto body = m_congress_api.get(path);
      if (!body) return;
      auto page = sources::parse_congress_actions(*body);
      if (!page) {
        m_run.error(name(), m_config.api_base_url + path, "api.congress.gov: " + page.error());
        return;
      }
      pages.push_back(std::move(page.value().items));
      if (page.value().next.empty()) break;
      auto next = m_congress_api.path_of(page.value().next);
      if (!next) return;
      path = *next;
    }
    auto body = m_congress_api.get(base + "/text?format=json");
    if (!body) return;
    auto texts = sources::parse_congress_text_versions(*body);
    if (!texts) {
      m_run.error(name(), m_config.api_base_url + base + "/text",
                  "api.congress.gov: " + texts.error());
      return;
    }
    FollowedBill bill;
    bill.file = row;
    bill.from_api = true;
    bill.status.bill = sources::federal_bill(listed.congress, listed.type, listed.number);
    bill.status.bill.title = stored_title(bill.status.bill.id).value_or(listed.title);
    bill.status.congress = listed.congress;
    bill.status.type = listed.type;
    bill.status.number = listed.number;
    // Pages go newest first; each page is already oldest first.
    for (auto it = pages.rbegin(); it != pages.rend(); ++it) {
      bill.status.actions.insert(bill.status.actions.end(), it->begin(), it->end());
    }
    std::stable_sort(bill.status.actions.begin(), bill.status.actions.end(),
                     [](const Action& a, const Action& b) { return a.date < b.date; });
    bill.status.stage = sources::federal_stage(bill.status.actions);
    sources::keep_stage_moves(bill.status.actions);
    bill.status.text_versions = std::move(texts.value().items);
    m_bills.push_back(std::move(bill));
  }

  std::optional<std::string> stored_title(const std::string& bill_id) {
    if (!m_stored_titles) {
      m_stored_titles.emplace();
      store::BillFilter filter;
      filter.jurisdiction = "US";
      for (const auto& row : m_deps.store.bills(filter)) {
        if (!row.bill.title.empty()) (*m_stored_titles)[row.bill.id] = row.bill.title;
      }
    }
    auto it = m_stored_titles->find(bill_id);
    if (it == m_stored_titles->end()) return std::nullopt;
    return it->second;
  }

  void read_sitemap(const std::string& url, int congress, const std::string& type,
                    crawler::FetchOutcome& outcome) {
    m_run.count_page(name());
    if (auto* failure = std::get_if<crawler::FetchFailure>(&outcome)) {
      m_deps.store.record_fetch_failure(url, failure->http_status, failure->message, "failed",
                                        now());
      m_run.error(name(), url, "sitemap: " + failure->message);
      return;
    }
    if (auto* not_modified = std::get_if<crawler::NotModified>(&outcome)) {
      (void)not_modified;
      ++m_run.summary().not_modified;
      auto state = m_deps.store.fetch_state(url);
      m_deps.store.record_fetch_success(
          url,
          store::FetchSuccess{304, state ? state->etag : "", state ? state->last_modified : "",
                              state ? state->body_hash : "", "not_modified"},
          now());
      return;
    }
    auto& fetched = std::get<crawler::Fetched>(outcome);
    ++m_run.summary().fetched;
    auto entries = sources::parse_sitemap(fetched.body);
    if (!entries) {
      m_deps.store.record_fetch_failure(url, fetched.http_status, entries.error(), "failed", now());
      m_run.error(name(), url, "sitemap: " + entries.error());
      return;
    }
    std::vector<store::SourceItem> files;
    std::size_t undated = 0;
    for (const auto& entry : entries.value()) {
      auto ref = sources::parse_billstatus_name(entry.loc);
      if (!ref || ref->congress != congress || ref->type != type) continue;
      store::SourceItem file;
      file.url = sources::billstatus_url(m_config.base_url, ref->congress, ref->type, ref->number);
      file.bill_id = ref->bill_id();
      file.seen_lastmod = entry.lastmod;
      if (file.seen_lastmod.empty()) {
        // Without a lastmod a change cannot be seen: the file is read once.
        file.seen_lastmod = "undated";
        ++undated;
      }
      files.push_back(std::move(file));
    }
    if (undated > 0) {
      m_run.warning(name(), url,
                    std::to_string(undated) +
                        " file(s) listed without <lastmod>: their changes cannot be detected");
    }
    m_deps.store.note_source_items(name(), files);
    m_deps.store.record_fetch_success(
        url,
        store::FetchSuccess{fetched.http_status, fetched.etag, fetched.last_modified,
                            sha256_hex(fetched.body), "stored"},
        now());
  }

  // Step 2: the status files, each parsed and sorted into followed or not.
  void fetch_statuses(std::vector<Candidate>& candidates) {
    if (candidates.empty()) {
      m_deps.log << "congress: no status file changed since the last run\n";
      return;
    }
    m_deps.log << "congress: fetching " << candidates.size() << " status file"
               << (candidates.size() == 1 ? "" : "s") << "\n";
    std::vector<crawler::FetchRequest> requests;
    for (const auto& c : candidates) requests.push_back({c.file.url, "", ""});
    store::Batch batch = m_deps.store.batch();
    auto last_commit = std::chrono::steady_clock::now();
    crawler::FetchStats stats = m_deps.http.fetch_each(
        requests,
        [&](std::size_t i, crawler::FetchOutcome&& outcome) {
          read_status(candidates[i], outcome);
          auto t = std::chrono::steady_clock::now();
          if (t - last_commit >= std::chrono::seconds(1)) {
            batch.commit();
            last_commit = t;
          }
        },
        m_deps.progress);
    batch.finish();
    m_run.add_stats(stats);
  }

  void read_status(Candidate& candidate, crawler::FetchOutcome& outcome) {
    m_run.count_page(name());
    const std::string& url = candidate.file.url;
    if (auto* failure = std::get_if<crawler::FetchFailure>(&outcome)) {
      m_deps.store.record_fetch_failure(url, failure->http_status, failure->message, "failed",
                                        now());
      m_run.error(name(), url, failure->message);
      return;
    }
    auto* fetched = std::get_if<crawler::Fetched>(&outcome);
    if (!fetched) return;  // no validators were sent, so no 304 is expected
    ++m_run.summary().fetched;
    auto status = sources::parse_billstatus(fetched->body);
    if (!status) {
      // Not marked processed: the next run tries the file again.
      m_deps.store.record_fetch_failure(url, fetched->http_status, status.error(), "failed", now());
      m_run.error(name(), url, "BILLSTATUS: " + status.error());
      return;
    }
    if (status.value().bill.id != candidate.file.bill_id) {
      std::string message = "BILLSTATUS: the file describes " + status.value().bill.id + ", not " +
                            candidate.file.bill_id;
      m_deps.store.record_fetch_failure(url, fetched->http_status, message, "failed", now());
      m_run.error(name(), url, message);
      return;
    }
    Relevance topic = analysis::screen_topic(status.value().bill.title,
                                             metadata_text(status.value()), m_config.topic_terms);
    bool followed = candidate.file.tracked || candidate.in_track || topic.relevant;
    if (followed || (m_config.scan_text && !status.value().text_versions.empty())) {
      FollowedBill bill;
      bill.file = candidate.file;
      bill.status = std::move(status.value());
      bill.scan_only = !followed;
      m_bills.push_back(std::move(bill));
      return;
    }
    ++m_run.summary().off_topic;
    store::SourceItem file = candidate.file;
    file.processed_lastmod = file.seen_lastmod;
    file.tracked = false;
    m_deps.store.mark_source_item_processed(name(), file);
  }

  // The text versions a bill lists that are not stored yet, oldest first (for scan_only
  // bills only the newest).
  std::vector<TextJob> text_jobs(std::size_t index) {
    FollowedBill& bill = m_bills[index];
    std::vector<sources::TextVersionRef> refs = bill.status.text_versions;
    // Undated versions (enrolled bills often are) go last.
    std::stable_sort(refs.begin(), refs.end(), [](const auto& a, const auto& b) {
      if (a.date.empty() != b.date.empty()) return b.date.empty();
      return a.date < b.date;
    });
    if (bill.scan_only && !refs.empty()) refs.erase(refs.begin(), refs.end() - 1);
    std::vector<std::string> stored_list = m_deps.store.version_urls(bill.status.bill.id);
    std::set<std::string> stored(stored_list.begin(), stored_list.end());
    for (const auto& text : bill.texts) stored.insert(text.document.provenance.url);
    std::vector<TextJob> jobs;
    for (const auto& ref : refs) {
      auto files = sources::text_files(m_config.base_url, ref.url);
      if (!files) {
        m_run.warning(name(), ref.url,
                      "text version '" + ref.type + "' of " + bill.status.bill.id +
                          ": not a govinfo BILLS package URL; skipped");
        continue;
      }
      if (stored.count(files->xml_url) || stored.count(files->html_url)) continue;
      jobs.push_back({index, ref, std::move(*files), false});
    }
    return jobs;
  }

  // Step 3: the texts, in rounds: an XML that is missing or unreadable is retried as HTML
  // in the next round; a scanned bill found relevant gets its other versions.
  void fetch_texts() {
    std::vector<TextJob> jobs;
    for (std::size_t i = 0; i < m_bills.size(); ++i) {
      auto more = text_jobs(i);
      jobs.insert(jobs.end(), std::make_move_iterator(more.begin()),
                  std::make_move_iterator(more.end()));
    }
    while (!jobs.empty()) {
      m_deps.log << "congress: fetching " << jobs.size() << " bill text"
                 << (jobs.size() == 1 ? "" : "s") << "\n";
      std::vector<crawler::FetchRequest> requests;
      for (const auto& job : jobs) requests.push_back({job.url(), "", ""});
      std::vector<TextJob> next;
      crawler::FetchStats stats = m_deps.http.fetch_each(
          requests,
          [&](std::size_t i, crawler::FetchOutcome&& outcome) {
            read_text(jobs[i], outcome, next);
          },
          m_deps.progress);
      m_run.add_stats(stats);
      for (std::size_t i = 0; i < m_bills.size(); ++i) {
        FollowedBill& bill = m_bills[i];
        if (!bill.scan_only || bill.texts.empty()) continue;
        if (!text_is_relevant(bill)) continue;
        // The text is about restraint or seclusion: follow the bill, with all its versions.
        bill.scan_only = false;
        auto more = text_jobs(i);
        next.insert(next.end(), std::make_move_iterator(more.begin()),
                    std::make_move_iterator(more.end()));
      }
      jobs = std::move(next);
    }
  }

  static bool text_is_relevant(const FollowedBill& bill) {
    for (const auto& text : bill.texts) {
      const std::string& normalized = text.document.page.text;
      if (analysis::analyze_provisions(normalized).relevant) return true;
      if (analysis::screen_relevance(bill.status.bill.title, normalized).relevant) return true;
    }
    return false;
  }

  void read_text(const TextJob& job, crawler::FetchOutcome& outcome, std::vector<TextJob>& next) {
    m_run.count_page(name());
    FollowedBill& bill = m_bills[job.bill];
    const std::string& url = job.url();
    auto fall_back = [&] {
      TextJob html = job;
      html.html = true;
      next.push_back(std::move(html));
    };
    if (auto* failure = std::get_if<crawler::FetchFailure>(&outcome)) {
      if (!job.html && failure->http_status == 404) {
        fall_back();  // some versions have no XML (usgpo/api#125)
        return;
      }
      bill.complete = false;
      m_deps.store.record_fetch_failure(url, failure->http_status, failure->message, "failed",
                                        now());
      if (job.html && failure->http_status == 404) {
        // Text lags status (data-sources T12): pending, not an error of anyone's.
        m_run.warning(name(), url,
                      bill.status.bill.id + " '" + job.ref.type +
                          "': no text on govinfo yet (XML and HTML not found); tried again "
                          "next run");
        return;
      }
      m_run.error(name(), url, failure->message);
      return;
    }
    auto* fetched = std::get_if<crawler::Fetched>(&outcome);
    if (!fetched) return;
    ++m_run.summary().fetched;
    auto page = crawler::page_to_text(fetched->body, fetched->content_type, url);
    if (!page) {
      if (!job.html) {
        m_run.warning(name(), url, page.error() + "; trying the HTML rendering");
        fall_back();
        return;
      }
      bill.complete = false;
      m_deps.store.record_fetch_failure(url, fetched->http_status, page.error(), "failed", now());
      m_run.error(name(), url, page.error());
      return;
    }
    if (!page.value().warning.empty()) m_run.warning(name(), url, page.value().warning);
    FetchedText text;
    text.files = job.files;
    text.document = document_of(std::move(page.value()), url, *fetched, now());
    FetchedDocument& document = text.document;
    document.code = job.files.ref.version;
    document.label = !job.ref.type.empty() ? job.ref.type : sources::version_name(document.code);
    document.date = job.ref.date;
    bill.texts.push_back(std::move(text));
  }

  // The action that makes a bill `dead` when its Congress ended without it becoming law;
  // nullopt while the Congress sits, or when the bill got as far as it could.
  std::optional<Action> end_of_congress(int congress, const std::string& stage) const {
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
  void save() {
    store::Batch batch = m_deps.store.batch();
    auto last_commit = std::chrono::steady_clock::now();
    for (auto& followed : m_bills) {
      if (followed.scan_only) {
        // Scanned and not relevant: read, not followed.
        ++m_run.summary().off_topic;
        if (followed.complete) {
          store::SourceItem file = followed.file;
          file.processed_lastmod = file.seen_lastmod;
          file.tracked = false;
          m_deps.store.mark_source_item_processed(name(), file);
        }
        continue;
      }
      const sources::BillStatus& status = followed.status;
      Bill bill = status.bill;
      bill.source = name();
      std::vector<Action> actions = status.actions;
      if (auto dead = end_of_congress(status.congress, status.stage)) actions.push_back(*dead);
      std::vector<FetchedDocument> documents;
      std::string newest;
      for (auto& text : followed.texts) {
        // The newest version's package names the bill's text on govinfo.
        if (bill.govinfo_package.empty() || text.document.date >= newest) {
          bill.govinfo_package = text.files.package;
          newest = text.document.date;
        }
        documents.push_back(std::move(text.document));
      }
      Saved saved = save_bill(m_run, bill, actions, std::move(documents));
      // What the API said does not stand for the status file: that is read when its
      // lastmod moves.
      if (followed.complete && !followed.from_api && saved != Saved::Failed) {
        store::SourceItem file = followed.file;
        file.processed_lastmod = file.seen_lastmod;
        file.tracked = true;
        m_deps.store.mark_source_item_processed(name(), file);
      }
      auto t = std::chrono::steady_clock::now();
      if (t - last_commit >= std::chrono::seconds(1)) {
        batch.commit();
        last_commit = t;
      }
    }
    batch.finish();
  }

  // Step 5: followed bills whose Congress ended since their file last changed.
  void mark_ended_congresses() {
    std::set<std::string> followed;
    for (const auto& file : m_deps.store.source_items(name())) {
      if (file.tracked) followed.insert(file.bill_id);
    }
    if (followed.empty()) return;
    store::BillFilter filter;
    filter.jurisdiction = "US";
    for (const auto& row : m_deps.store.bills(filter)) {
      if (!followed.count(row.bill.id)) continue;
      auto ref = sources::parse_federal_bill_id(row.bill.id);
      if (!ref) continue;
      auto dead = end_of_congress(ref->congress, row.stage);
      if (!dead) continue;
      save_bill(m_run, row.bill, {*dead}, {});
    }
  }

  const config::SourceConfig& m_source;
  const config::CongressSourceConfig& m_config;
  SourceRun& m_run;
  SourceDeps& m_deps;
  std::set<std::string> m_track;
  std::set<std::pair<int, std::string>> m_read;  // the (Congress, type) collections read
  std::vector<FollowedBill> m_bills;
  KeyedApi m_congress_api;
  KeyedApi m_govinfo_api;
  std::optional<std::map<std::string, std::string>> m_stored_titles;
};

}  // namespace

void run_congress_source(const config::SourceConfig& source, SourceRun& run) {
  CongressSource(source, run).run();
}

}  // namespace billwatch::sources
