#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "billwatch/sources/source.hpp"

namespace billwatch::sources {

// What every source's part of a run shares: its dependencies, the summary the run
// reports, and per-source health (pages attempted and failed) kept in source_health so
// an operator sees a source that has gone dark run after run.
class SourceRun {
 public:
  SourceRun(SourceDeps deps, RunSummary& summary) : m_deps(deps), m_summary(summary) {}

  SourceDeps& deps() { return m_deps; }
  RunSummary& summary() { return m_summary; }

  // Version links followed from one page or API answer ([crawler] max_links_per_page): a
  // hostile page with 10,000 links costs 50 requests, not 10,000, every run.
  int max_links_per_page() const { return m_max_links_per_page; }
  void set_max_links_per_page(int limit) { m_max_links_per_page = limit; }
  // Keeps at most max_links_per_page() of `links`, with a warning naming the page when
  // some are dropped.
  template <typename Link>
  void cap_links(const std::string& source, const std::string& page, std::vector<Link>& links) {
    auto limit = static_cast<std::size_t>(m_max_links_per_page);
    if (links.size() <= limit) return;
    warning(source, page,
            std::to_string(links.size()) + " version links; following the first " +
                std::to_string(limit) + " ([crawler] max_links_per_page)");
    links.resize(limit);
  }

  // A page or file of `source` that failed: one line "error: source 'X': URL: why".
  void error(const std::string& source, const std::string& url, const std::string& message);
  // Stored, but worth a look.
  void warning(const std::string& source, const std::string& url, const std::string& message);
  void count_page(const std::string& source) { ++m_health[source].pages; }
  void add_stats(const crawler::FetchStats& stats);
  void record_health();

 private:
  struct Health {
    int pages = 0;
    int failures = 0;
    std::string last_error;
  };
  SourceDeps m_deps;
  RunSummary& m_summary;
  int m_max_links_per_page = 50;
  std::map<std::string, Health> m_health;
};

// A source type whose configured sources run one at a time, each through `run_one`.
template <void (*run_one)(const config::SourceConfig&, SourceRun&)>
std::unique_ptr<Source> one_by_one(std::vector<const config::SourceConfig*> configured) {
  class Each : public Source {
   public:
    explicit Each(std::vector<const config::SourceConfig*> sources)
        : m_sources(std::move(sources)) {}
    void run(SourceRun& run) override {
      for (const config::SourceConfig* source : m_sources) run_one(*source, run);
    }

   private:
    std::vector<const config::SourceConfig*> m_sources;
  };
  return std::make_unique<Each>(std::move(configured));
}

}  // namespace billwatch::sources
