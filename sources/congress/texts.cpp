// The Congress source: Steps 2–3: status files and text versions fetched and read.
#include "congress/congress_run.hpp"

namespace billwatch::sources {
namespace congress_detail {

// Step 2: the status files, each parsed and sorted into followed or not.
void CongressSource::fetch_statuses(std::vector<Candidate>& candidates) {
  if (candidates.empty()) {
    m_deps.log << "congress: no status file changed since the last run\n";
    return;
  }
  m_deps.log << "congress: fetching " << candidates.size() << " status file"
             << (candidates.size() == 1 ? "" : "s") << "\n";
  std::vector<crawler::FetchRequest> requests;
  for (const auto& c : candidates) {
    crawler::FetchRequest request{c.file.url, "", ""};
    // A file read before whose bill still waits for texts is asked for only if it changed.
    if (!pending_texts(c.file.bill_id).empty()) {
      if (auto state = m_deps.store.fetch_state(c.file.url)) {
        request.etag = state->etag;
        request.last_modified = state->last_modified;
      }
    }
    requests.push_back(std::move(request));
  }
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

void CongressSource::read_status(Candidate& candidate, crawler::FetchOutcome& outcome) {
  m_run.count_page(name());
  const std::string& url = candidate.file.url;
  if (auto* failure = std::get_if<crawler::FetchFailure>(&outcome)) {
    m_deps.store.record_fetch_failure(url, failure->http_status, failure->message,
                                      store::FetchFailureKind::Failed, now());
    m_run.error(name(), url, failure->message);
    return;
  }
  if (std::holds_alternative<crawler::NotModified>(outcome)) {
    read_unchanged_status(candidate);
    return;
  }
  auto* fetched = std::get_if<crawler::Fetched>(&outcome);
  if (!fetched) return;
  ++m_run.summary().fetched;
  auto status = sources::parse_billstatus(fetched->body);
  if (!status) {
    // Not marked processed: the next run tries the file again.
    m_deps.store.record_fetch_failure(url, fetched->http_status, status.error(),
                                      store::FetchFailureKind::Failed, now());
    m_run.error(name(), url, "BILLSTATUS: " + status.error());
    return;
  }
  if (status.value().bill.id != candidate.file.bill_id) {
    std::string message = "BILLSTATUS: the file describes " + status.value().bill.id + ", not " +
                          candidate.file.bill_id;
    m_deps.store.record_fetch_failure(url, fetched->http_status, message,
                                      store::FetchFailureKind::Failed, now());
    m_run.error(name(), url, message);
    return;
  }
  store::FetchSuccess validators;
  validators.http_status = fetched->http_status;
  validators.etag = fetched->etag;
  validators.last_modified = fetched->last_modified;
  validators.outcome = "unchanged";
  m_deps.store.record_fetch_success(url, validators, now());
  bool followed =
      m_follow.follows(candidate.file.tracked || candidate.in_track, candidate.file.bill_id,
                       status.value().bill.title, metadata_text(status.value()));
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

std::vector<sources::TextVersionRef> CongressSource::pending_texts(const std::string& bill_id) {
  std::vector<sources::TextVersionRef> refs;
  auto stored = m_deps.store.source_state(name(), "pending_texts:" + bill_id);
  if (!stored || stored->empty()) return refs;
  auto list = nlohmann::json::parse(*stored, nullptr, false);
  if (!list.is_array()) return refs;
  for (const auto& item : list) {
    if (!item.is_object()) continue;
    refs.push_back({item.value("type", ""), item.value("date", ""), item.value("url", "")});
  }
  return refs;
}

void CongressSource::set_pending_texts(const std::string& bill_id,
                                       const std::vector<sources::TextVersionRef>& refs) {
  std::string key = "pending_texts:" + bill_id;
  if (refs.empty()) {
    if (m_deps.store.source_state(name(), key)) m_deps.store.set_source_state(name(), key, "");
    return;
  }
  nlohmann::json list = nlohmann::json::array();
  for (const auto& ref : refs) {
    list.push_back({{"type", ref.type}, {"date", ref.date}, {"url", ref.url}});
  }
  m_deps.store.set_source_state(name(), key, list.dump());
}

void CongressSource::read_unchanged_status(Candidate& candidate) {
  ++m_run.summary().not_modified;
  auto ref = sources::parse_billstatus_name(candidate.file.url);
  const store::BillRow* row = stored_bill(candidate.file.bill_id);
  std::vector<sources::TextVersionRef> pending = pending_texts(candidate.file.bill_id);
  if (!ref || !row || pending.empty()) {
    // Nothing to look for: the file is as it was when it was read in full.
    store::SourceItem file = candidate.file;
    file.processed_lastmod = file.seen_lastmod;
    m_deps.store.mark_source_item_processed(name(), file);
    return;
  }
  FollowedBill bill;
  bill.file = candidate.file;
  bill.status.bill = row->bill;
  bill.status.congress = ref->congress;
  bill.status.type = ref->type;
  bill.status.number = ref->number;
  bill.status.stage = row->stage;
  bill.status.text_versions = std::move(pending);
  m_bills.push_back(std::move(bill));
}

// The text versions a bill lists that are not stored yet, oldest first (for scan_only
// bills only the newest).
std::vector<TextJob> CongressSource::text_jobs(std::size_t index) {
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
    jobs.push_back({index, ref, std::move(*files)});
  }
  return jobs;
}

// Step 3: the texts, in rounds: a scanned bill whose newest text is found relevant gets
// its other versions in the next round. Each version is read from its XML, or from the
// HTML rendering when the XML is missing or unreadable.
void CongressSource::fetch_texts() {
  std::vector<TextJob> jobs;
  for (std::size_t i = 0; i < m_bills.size(); ++i) {
    auto more = text_jobs(i);
    jobs.insert(jobs.end(), std::make_move_iterator(more.begin()),
                std::make_move_iterator(more.end()));
  }
  while (!jobs.empty()) {
    m_deps.log << "congress: fetching " << jobs.size() << " bill text"
               << (jobs.size() == 1 ? "" : "s") << "\n";
    std::vector<DocumentJob> documents;
    for (const auto& job : jobs) {
      documents.push_back({job.files.xml_url, job.files.html_url,
                           m_bills[job.bill].status.bill.id + " '" + job.ref.type + "'"});
    }
    sources::fetch_documents(
        m_run, name(), documents,
        [&](std::size_t i, std::optional<FetchedDocument> document) {
          read_text(jobs[i], std::move(document));
        },
        DocumentOptions{true});
    std::vector<TextJob> next;
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

void CongressSource::read_text(const TextJob& job, std::optional<FetchedDocument> document) {
  FollowedBill& bill = m_bills[job.bill];
  if (!document) {
    bill.complete = false;
    return;
  }
  FetchedText text;
  text.files = job.files;
  text.document = std::move(*document);
  text.document.code = job.files.ref.version;
  text.document.label =
      !job.ref.type.empty() ? job.ref.type : sources::version_name(job.files.ref.version);
  text.document.date = job.ref.date;
  bill.texts.push_back(std::move(text));
}

}  // namespace congress_detail

}  // namespace billwatch::sources
