#include "common/documents.hpp"

#include <numeric>

namespace billwatch::sources {

namespace {

class DocumentRound {
 public:
  DocumentRound(SourceRun& run, const std::string& source, const std::vector<DocumentJob>& jobs,
                const DocumentDone& done, DocumentOptions options)
      : m_run(run),
        m_deps(run.deps()),
        m_source(source),
        m_jobs(jobs),
        m_done(done),
        m_options(options) {}

  // Fetches `round` (indexes into the jobs), from their fallback URLs when `fallback`;
  // returns the jobs to try again from their fallback.
  std::vector<std::size_t> fetch(const std::vector<std::size_t>& round, bool fallback) {
    std::vector<crawler::FetchRequest> requests;
    for (std::size_t i : round) {
      requests.push_back({fallback ? m_jobs[i].fallback_url : m_jobs[i].url, "", ""});
    }
    std::vector<std::size_t> again;
    crawler::FetchStats stats = m_deps.http.fetch_each(
        requests,
        [&](std::size_t k, crawler::FetchOutcome&& outcome) {
          std::size_t job = round[k];
          bool can_fall_back = !fallback && !m_jobs[job].fallback_url.empty();
          if (!read(job, requests[k].url, outcome, can_fall_back)) again.push_back(job);
        },
        m_deps.progress);
    m_run.add_stats(stats);
    return again;
  }

 private:
  // False when the job should be tried from its fallback.
  bool read(std::size_t job, const std::string& url, crawler::FetchOutcome& outcome,
            bool can_fall_back) {
    m_run.count_page(m_source);
    const std::string& what = m_jobs[job].what;
    if (auto* failure = std::get_if<crawler::FetchFailure>(&outcome)) {
      bool missing = failure->http_status == 404;
      if (missing && can_fall_back) return false;
      record(url, failure->http_status, failure->message);
      if (missing && m_options.missing_is_pending) {
        m_run.warning(
            m_source, url,
            what + ": no text published yet (" +
                (m_jobs[job].fallback_url.empty() ? "not found" : "XML and HTML not found") +
                "); tried again next run");
      } else {
        m_run.error(m_source, url, what + ": " + failure->message);
      }
      m_done(job, std::nullopt);
      return true;
    }
    auto* fetched = std::get_if<crawler::Fetched>(&outcome);
    if (!fetched) {  // no validators were sent, so no 304 is expected; try again next run
      m_done(job, std::nullopt);
      return true;
    }
    ++m_run.summary().fetched;
    auto page = crawler::page_to_text(fetched->body, fetched->content_type, url);
    if (!page) {
      if (can_fall_back) {
        m_run.warning(m_source, url, page.error() + "; trying " + m_jobs[job].fallback_url);
        return false;
      }
      record(url, fetched->http_status, page.error());
      m_run.error(m_source, url, what + ": " + page.error());
      m_done(job, std::nullopt);
      return true;
    }
    if (!page.value().warning.empty()) m_run.warning(m_source, url, page.value().warning);
    m_done(job, document_of(std::move(page.value()), url, *fetched, m_deps.clock.now()));
    return true;
  }

  void record(const std::string& url, int http_status, const std::string& message) {
    m_deps.store.record_fetch_failure(url, http_status, message, store::FetchFailureKind::Failed,
                                      m_deps.clock.now());
  }

  SourceRun& m_run;
  SourceDeps& m_deps;
  const std::string& m_source;
  const std::vector<DocumentJob>& m_jobs;
  const DocumentDone& m_done;
  DocumentOptions m_options;
};

}  // namespace

void fetch_documents(SourceRun& run, const std::string& source,
                     const std::vector<DocumentJob>& jobs, const DocumentDone& done,
                     DocumentOptions options) {
  if (jobs.empty()) return;
  DocumentRound round(run, source, jobs, done, options);
  std::vector<std::size_t> first(jobs.size());
  std::iota(first.begin(), first.end(), std::size_t{0});
  std::vector<std::size_t> again = round.fetch(first, false);
  if (!again.empty()) round.fetch(again, true);
}

}  // namespace billwatch::sources
