#include "billwatch/sources/source_run.hpp"

namespace billwatch::sources {

void SourceRun::error(const std::string& source, const std::string& url,
                      const std::string& message) {
  std::string line = "source '" + source + "': " + url + ": " + message;
  m_deps.errors << "error: " << line << "\n";
  m_summary.errors.push_back(line);
  ++m_summary.failed;
  Health& health = m_health[source];
  ++health.failures;
  health.last_error = url + ": " + message;
}

void SourceRun::warning(const std::string& source, const std::string& url,
                        const std::string& message) {
  std::string line = "source '" + source + "': " + url + ": " + message;
  m_deps.errors << "warning: " << line << "\n";
  m_summary.warnings.push_back(line);
}

void SourceRun::add_stats(const crawler::FetchStats& stats) {
  m_summary.bytes_downloaded += stats.bytes_downloaded;
  m_summary.requests += stats.requests;
  m_summary.connections += stats.connections;
  m_summary.retries += stats.retries;
}

void SourceRun::record_health() {
  Timestamp now = m_deps.clock.now();
  for (const auto& [name, health] : m_health) {
    m_deps.store.record_source_health(name, health.pages, health.failures, health.last_error, now);
  }
}

}  // namespace billwatch::sources
