// The Congress source: Step 1: which status files to read (sitemaps, govinfo's changed-since list).
#include "congress/congress_run.hpp"

namespace billwatch::sources {
namespace congress_detail {

// Step 1: the sitemaps (or govinfo's changed-since list), then the list of files whose
// lastmod moved.
std::vector<Candidate> CongressSource::discover() {
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
    bool in_track = m_follow.in_track(file.bill_id);
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
bool CongressSource::read_govinfo_collection(int congress) {
  std::string key = "govinfo_since:" + std::to_string(congress);
  // The first time, everything since the Congress began.
  std::string since = m_deps.store.source_state(name(), key)
                          .value_or(std::to_string(1789 + 2 * (congress - 1)) + "-01-03T00:00:00Z");
  Timestamp started = now();
  std::string path = "/collections/BILLSTATUS/" + since +
                     "?pageSize=1000&offsetMark=*&congress=" + std::to_string(congress);
  m_deps.log << "congress: asking api.govinfo.gov for the " << ordinal(congress)
             << " Congress's status files changed since " << since << "\n";
  Listing listing = read_pages(k_max_api_pages, [&](int) -> std::optional<bool> {
    auto body = m_govinfo_api.get(path);
    if (!body) return std::nullopt;
    auto page = sources::parse_govinfo_collection(*body);
    if (!page) {
      m_run.error(name(), m_config.govinfo_api_url + path, "api.govinfo.gov: " + page.error());
      return std::nullopt;
    }
    std::vector<store::SourceItem> files;
    for (const auto& package : page.value().items) {
      auto ref = sources::parse_billstatus_name(package.package_id + ".xml");
      if (!ref || ref->congress != congress || !configured(ref->congress, ref->type)) continue;
      store::SourceItem file;
      file.url = sources::billstatus_url(m_config.base_url, ref->congress, ref->type, ref->number);
      file.bill_id = ref->bill_id();
      file.seen_lastmod = package.last_modified.empty() ? "undated" : package.last_modified;
      files.push_back(std::move(file));
    }
    m_deps.store.note_source_items(name(), files);
    return m_govinfo_api.next_page(page.value().next, path);
  });
  if (listing == Listing::cut_short) {
    m_run.error(name(), m_config.govinfo_api_url + path,
                "api.govinfo.gov: more than " + std::to_string(k_max_api_pages) + " pages");
  }
  if (listing != Listing::complete) return false;
  // lastModified has lagged before (usgpo/api#27): the next run looks a day back.
  m_deps.store.set_source_state(name(), key, format_iso8601(started - 86400));
  return true;
}

const store::BillRow* CongressSource::stored_bill(const std::string& bill_id) {
  if (!m_stored_bills) {
    m_stored_bills.emplace();
    store::BillFilter filter;
    filter.jurisdiction = "US";
    for (auto& row : m_deps.store.bills(filter)) (*m_stored_bills)[row.bill.id] = std::move(row);
  }
  auto it = m_stored_bills->find(bill_id);
  return it == m_stored_bills->end() ? nullptr : &it->second;
}

std::optional<std::string> CongressSource::stored_title(const std::string& bill_id) {
  const store::BillRow* row = stored_bill(bill_id);
  if (!row || row->bill.title.empty()) return std::nullopt;
  return row->bill.title;
}

void CongressSource::read_sitemap(const std::string& url, int congress, const std::string& type,
                                  crawler::FetchOutcome& outcome) {
  m_run.count_page(name());
  if (auto* failure = std::get_if<crawler::FetchFailure>(&outcome)) {
    m_deps.store.record_fetch_failure(url, failure->http_status, failure->message,
                                      store::FetchFailureKind::Failed, now());
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
    m_deps.store.record_fetch_failure(url, fetched.http_status, entries.error(),
                                      store::FetchFailureKind::Failed, now());
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

}  // namespace congress_detail

}  // namespace billwatch::sources
