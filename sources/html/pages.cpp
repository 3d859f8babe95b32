#include "html/pages.hpp"

#include <optional>
#include <type_traits>
#include <variant>

#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/sources/html/bill_id.hpp"
#include "billwatch/sources/source_run.hpp"
#include "common/commit_cadence.hpp"
#include "common/ordered_worker.hpp"
#include "common/page_version.hpp"
#include "html/selector_pages.hpp"

namespace billwatch::sources {

namespace {

// Pages fetched and waiting to be read: enough to ride out a slow page, few enough that
// their bodies stay a few megabytes.
constexpr std::size_t k_pages_waiting = 32;

// Progress reports, passed down the same line as the pages (read, then stored) so that they
// reach the terminal in order with the pages' own log lines, from one thread.
class PostedProgress final : public crawler::FetchObserver {
 public:
  PostedProgress(OrderedWorker& reading, OrderedWorker& storing, crawler::FetchObserver* inner)
      : m_reading(reading), m_storing(storing), m_inner(inner) {}
  void on_progress(std::size_t done, std::size_t total, std::size_t bytes,
                   std::size_t failed) override {
    if (!m_inner) return;
    crawler::FetchObserver* inner = m_inner;
    OrderedWorker* storing = &m_storing;
    m_reading.post([=] { storing->post([=] { inner->on_progress(done, total, bytes, failed); }); });
  }

 private:
  OrderedWorker& m_reading;
  OrderedWorker& m_storing;
  crawler::FetchObserver* m_inner;
};

// A fetched page as far as it can be taken without the store: its bytes' hash and, unless
// those are the bytes already stored, its text. Pure.
struct ReadPage {
  std::string raw_hash;
  std::optional<Result<crawler::PageText>> page;
};

struct PageJob {
  const config::SourceConfig* source;
  std::string url;
  std::string bill_id;
  // What the last fetch left, when a version of the bill is stored: its validators and
  // body hash describe that version. Without a version they are not used, so that a 304
  // can never leave a bill without text.
  std::optional<store::FetchState> state;
};

class PageSource : public Source {
 public:
  explicit PageSource(std::vector<const config::SourceConfig*> configured)
      : m_configured(std::move(configured)) {}

  void run(SourceRun& run) override {
    m_run = &run;
    SelectorPages selector_pages(run);
    m_selector_pages = &selector_pages;
    crawl_pages();
    m_selector_pages = nullptr;
  }

 private:
  SourceDeps& deps() { return m_run->deps(); }
  RunSummary& summary() { return m_run->summary(); }

  void error(const PageJob& job, const std::string& message) {
    m_run->error(job.source->name, job.url, message);
  }

  std::vector<PageJob> plan() {
    std::vector<PageJob> jobs;
    for (const config::SourceConfig* source : m_configured) {
      for (const auto& url : source->urls) {
        PageJob job{source, url, bill_id_for(*source, url), std::nullopt};
        if (deps().store.latest_content_hash(job.bill_id))
          job.state = deps().store.fetch_state(url);
        jobs.push_back(std::move(job));
        m_run->count_page(source->name);
      }
    }
    return jobs;
  }

  void crawl_pages() {
    std::vector<PageJob> jobs = plan();
    if (jobs.empty()) return;
    std::vector<crawler::FetchRequest> requests;
    for (const auto& job : jobs) {
      crawler::FetchRequest request{job.url, "", ""};
      if (job.state) {
        request.etag = job.state->etag;
        request.last_modified = job.state->last_modified;
      }
      requests.push_back(std::move(request));
    }
    deps().log << "fetching " << jobs.size() << (jobs.size() == 1 ? " page" : " pages") << "\n";
    // Each page goes down a line of two workers while the transfers go on: one makes it text
    // (pure: the parse is most of a page's cost), the other compares it with the store and
    // saves it. A page's body is freed as soon as it is read, while others are still
    // downloading. Until both workers have finished, only the storing worker's jobs touch
    // the store, the run and the log: the progress reports go down the line too.
    // Saved with the sources' one commit cadence; the URL-only successes pending are
    // written before each commit.
    CommitCadence cadence(*m_run);
    // Declared first, destroyed last: the reading worker's jobs post to it.
    OrderedWorker storing(k_pages_waiting);
    OrderedWorker reading(k_pages_waiting);
    PostedProgress progress(reading, storing, deps().progress);
    crawler::FetchStats stats = deps().http.fetch_each(
        requests,
        [&](std::size_t index, crawler::FetchOutcome&& outcome) {
          reading.post([&, index, outcome = std::move(outcome)]() mutable {
            std::optional<ReadPage> read;
            if (auto* fetched = std::get_if<crawler::Fetched>(&outcome))
              read = read_page(jobs[index], *fetched);
            storing.post(
                [&, index, outcome = std::move(outcome), read = std::move(read)]() mutable {
                  std::visit(
                      [&](auto& o) {
                        if constexpr (std::is_same_v<std::decay_t<decltype(o)>, crawler::Fetched>)
                          handle(jobs[index], o, std::move(*read));
                        else
                          handle(jobs[index], o);
                      },
                      outcome);
                  if (cadence.due()) {
                    flush_successes();
                    cadence.commit();
                  }
                });
          });
        },
        &progress);
    reading.finish();
    storing.finish();
    flush_successes();
    cadence.finish();
    m_run->add_stats(stats);
    m_selector_pages->finish();
  }

  void handle(const PageJob& job, const crawler::FetchFailure& failure) {
    Timestamp now = deps().clock.now();
    if (failure.kind == crawler::FailureKind::Robots) {
      // The site asked us not to: a notice, not a failure of billwatch or the source.
      ++summary().robots_skipped;
      deps().store.record_fetch_failure(job.url, 0, failure.message,
                                        store::FetchFailureKind::Robots, now);
      deps().errors << "notice: source '" << job.source->name << "': " << job.url << ": "
                    << failure.message << "\n";
      return;
    }
    bool blocked = failure.kind == crawler::FailureKind::Blocked;
    if (blocked) ++summary().blocked;
    deps().store.record_fetch_failure(
        job.url, failure.http_status, failure.message,
        blocked ? store::FetchFailureKind::Blocked : store::FetchFailureKind::Failed, now);
    error(job, failure.message);
  }

  // Successes that store nothing but the URL's state are written in batches.
  void record_success(const std::string& url, const store::FetchSuccess& success) {
    m_pending_successes.emplace_back(url, success);
    if (m_pending_successes.size() >= 256) flush_successes();
  }

  void flush_successes() {
    if (m_pending_successes.empty()) return;
    deps().store.record_fetch_successes(m_pending_successes, deps().clock.now());
    m_pending_successes.clear();
  }

  void handle(const PageJob& job, const crawler::NotModified&) {
    ++summary().not_modified;
    // Only sent with validators, so job.state is set.
    const store::FetchState& state = *job.state;
    record_success(job.url, store::FetchSuccess{304, state.etag, state.last_modified,
                                                state.body_hash, "not_modified"});
  }

  // The reading worker's part of a fetched page; touches nothing but the page.
  static ReadPage read_page(const PageJob& job, const crawler::Fetched& fetched) {
    ReadPage read;
    if (!job.source->selectors.empty()) return read;  // read by SelectorPages, with the store
    read.raw_hash = sha256_hex(fetched.body);
    // The same bytes as the stored version (the server ignored our validators): nothing to
    // parse.
    if (job.state && job.state->body_hash == read.raw_hash) return read;
    read.page = crawler::page_to_text(fetched.body, fetched.content_type, job.url);
    return read;
  }

  void handle(const PageJob& job, crawler::Fetched& fetched, ReadPage read) {
    if (!job.source->selectors.empty()) {
      ++summary().fetched;
      m_selector_pages->read(*job.source, job.bill_id, job.url, fetched);
      return;
    }
    ++summary().fetched;
    Timestamp now = deps().clock.now();
    store::FetchSuccess unchanged{fetched.http_status, fetched.etag, fetched.last_modified,
                                  read.raw_hash, "unchanged"};
    if (!read.page) {
      ++summary().unchanged;
      record_success(job.url, unchanged);
      return;
    }
    Result<crawler::PageText>& page = *read.page;
    if (!page) {
      deps().store.record_fetch_failure(job.url, fetched.http_status, page.error(),
                                        store::FetchFailureKind::Failed, now);
      error(job, page.error());
      return;
    }
    if (!page.value().warning.empty())
      m_run->warning(job.source->name, job.url, page.value().warning);
    try {
      store_page(job, page.value(), fetched, unchanged, now);
    } catch (const store::StoreError& e) {
      // This bill's record could not be read or written: an error for this page alone. Its
      // fetch is not recorded, so the next run reads it again; every other page goes on.
      error(job, job.bill_id + ": not stored: " + e.what());
    }
  }

  void store_page(const PageJob& job, const crawler::PageText& page,
                  const crawler::Fetched& fetched, const store::FetchSuccess& unchanged,
                  Timestamp now) {
    if (deps().store.is_latest_text(job.bill_id, page.text)) {
      ++summary().unchanged;
      record_success(job.url, unchanged);
      return;
    }
    std::optional<Version> latest = deps().store.latest_version(job.bill_id);

    Bill bill;
    bill.id = job.bill_id;
    bill.jurisdiction = job.source->jurisdiction;
    bill.source = job.source->name;
    bill.url = job.url;
    Provenance provenance{job.url,
                          fetched.final_url,
                          now,
                          fetched.http_status,
                          fetched.etag,
                          fetched.last_modified,
                          unchanged.body_hash};
    store::NewVersion version = make_version(bill, page, provenance, latest);
    store::SavedVersion saved = deps().store.save_version(version, now);
    if (saved.kind == EventKind::NewBill) {
      ++summary().new_bills;
      deps().log << "new bill " << job.bill_id << ": " << version.bill.title << "\n";
    } else {
      ++summary().changed;
      deps().log << "changed " << job.bill_id << ": new version " << saved.version_number << " ("
                 << saved.label << ")\n";
    }
  }

  std::vector<const config::SourceConfig*> m_configured;
  SourceRun* m_run = nullptr;
  SelectorPages* m_selector_pages = nullptr;
  std::vector<std::pair<std::string, store::FetchSuccess>> m_pending_successes;
};

}  // namespace

std::unique_ptr<Source> make_page_source(std::vector<const config::SourceConfig*> configured) {
  return std::make_unique<PageSource>(std::move(configured));
}

}  // namespace billwatch::sources
