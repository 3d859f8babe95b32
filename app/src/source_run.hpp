#pragma once

#include <map>
#include <string>

#include "billwatch/app/run_once.hpp"

namespace billwatch::app {

// What every source's part of a run shares: its dependencies, the summary the run
// reports, and per-source health (pages attempted and failed) kept in source_health so
// an operator sees a source that has gone dark run after run.
class SourceRun {
 public:
  SourceRun(RunDeps deps, RunSummary& summary) : m_deps(deps), m_summary(summary) {}

  RunDeps& deps() { return m_deps; }
  RunSummary& summary() { return m_summary; }

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
  RunDeps m_deps;
  RunSummary& m_summary;
  std::map<std::string, Health> m_health;
};

}  // namespace billwatch::app
