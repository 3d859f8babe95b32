#pragma once

#include <string>
#include <vector>

#include "billwatch/config/config.hpp"
#include "billwatch/crawler/http_client.hpp"
#include "billwatch/sources/html/status_page.hpp"
#include "billwatch/sources/source_run.hpp"
#include "common/bill_update.hpp"

namespace billwatch::sources {

// The pages of html sources with [source.selectors]: read during the crawl (title,
// status, actions, text and version links picked out), their new version documents
// fetched after it, then each bill saved. A selector that matched before and now matches
// nothing stores nothing from the page (empty content is not a change); after
// `selector_failure_runs` such runs the source is reported unhealthy and a
// source_unhealthy event tells subscribers the page layout probably changed.
class SelectorPages {
 public:
  explicit SelectorPages(SourceRun& run) : m_run(run) {}

  void read(const config::SourceConfig& source, const std::string& bill_id, const std::string& url,
            const crawler::Fetched& fetched);
  void finish();

 private:
  struct Pending {
    Bill bill;
    const config::SourceConfig* source = nullptr;
    std::vector<Action> actions;
    std::vector<FetchedDocument> documents;
    std::vector<sources::StatusPage::Link> links;
    std::string page_url;
    store::FetchSuccess fetch;
    std::string status;  // a new status line to remember once saved
  };
  bool healthy(const config::SourceConfig& source, const Bill& bill, const std::string& url,
               const sources::StatusPage& status);

  SourceRun& m_run;
  std::vector<Pending> m_pending;
};

}  // namespace billwatch::sources
