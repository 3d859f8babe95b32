#pragma once

#include <memory>
#include <ostream>
#include <string_view>
#include <vector>

#include "billwatch/config/config.hpp"
#include "billwatch/core/clock.hpp"
#include "billwatch/core/run_summary.hpp"
#include "billwatch/crawler/http_client.hpp"
#include "billwatch/store/views.hpp"

// Where bills come from. Each kind of source (Congress, LegiScan, Open States, legislature
// pages) lives in its own folder under sources/ and is one line of the registry below; a
// run asks the registry, never the type's name. ARCHITECTURE.md has the worked "add a
// source" guide.
namespace billwatch::sources {

class SourceRun;

// What a source talks to: the network, the system of record, the clock, and the run's two
// logs. Mail is not here: sources never send it.
struct SourceDeps {
  crawler::HttpClient& http;
  store::SourceStore& store;  // bills, fetch log and source memory: no subscribers, no ledger
  const Clock& clock;
  std::ostream& log;     // progress, one line per step
  std::ostream& errors;  // per-item errors, one line each ("error: source 'X': URL: why")
  crawler::FetchObserver* progress = nullptr;  // crawl progress; may be null
};

// The configured sources of one type, doing their part of a run: discover bills, fetch
// their texts and statuses, store what changed (one transaction per bill). A failure of
// one page or bill is reported through the SourceRun and never stops the others; only a
// store that cannot be used at all (StoreError) escapes.
class Source {
 public:
  virtual ~Source() = default;
  virtual void run(SourceRun& run) = 0;
};

// One kind of source: its `type = "..."` name in the configuration, how to make it for its
// configured sources, and the checks of its options that need more than the loader knows.
struct SourceType {
  std::string_view name;
  // Whether the type's sources run together as one (legislature pages are fetched in one
  // concurrent batch, so that one slow site does not hold up the rest) or one by one, in
  // the order of the configuration.
  bool together = false;
  std::unique_ptr<Source> (*make)(std::vector<const config::SourceConfig*> configured);
  // Throws config::ConfigError naming file, line and key; may be null.
  void (*check)(const config::Config& config, std::size_t index) = nullptr;
};

// Every kind of source this build supports, in the order a run starts them.
const std::vector<SourceType>& source_types();
const SourceType* find_source_type(std::string_view name);

// Runs each type's `check` on every configured source of that type (`billwatch` calls it
// right after loading the configuration, so an invalid option stops it like any config error).
void check_sources(const config::Config& config);

// The crawl part of a run: every configured source, through the registry.
void run_sources(const config::Config& config, SourceRun& run);

}  // namespace billwatch::sources
