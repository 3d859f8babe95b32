// The one place that maps a configured `type` to its source. Adding a source is one line
// here (and its folder); see ARCHITECTURE.md.
#include "billwatch/sources/source.hpp"
#include "billwatch/sources/source_run.hpp"
#include "congress/congress_source.hpp"
#include "html/pages.hpp"
#include "legiscan/legiscan_source.hpp"
#include "openstates/openstates_source.hpp"

namespace billwatch::sources {

const std::vector<SourceType>& source_types() {
  static const std::vector<SourceType> k_types = {
      {"html", true, make_page_source, check_page_source},
      {"congress", false, one_by_one<run_congress_source>},
      {"legiscan", false, one_by_one<run_legiscan_source>},
      {"openstates", false, one_by_one<run_openstates_source>},
  };
  return k_types;
}

const SourceType* find_source_type(std::string_view name) {
  for (const auto& type : source_types()) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

void check_sources(const config::Config& config) {
  for (std::size_t i = 0; i < config.sources.size(); ++i) {
    const SourceType* type = find_source_type(config.sources[i].type);
    if (type && type->check) type->check(config, i);
  }
}

void run_sources(const config::Config& config, SourceRun& run) {
  // Types that run together first, each with all its sources; then the others one by one,
  // in the order of the configuration.
  for (const auto& type : source_types()) {
    if (!type.together) continue;
    std::vector<const config::SourceConfig*> configured;
    for (const auto& source : config.sources) {
      if (source.type == type.name) configured.push_back(&source);
    }
    if (!configured.empty()) type.make(std::move(configured))->run(run);
  }
  for (const auto& source : config.sources) {
    const SourceType* type = find_source_type(source.type);
    if (type && !type->together) type->make({&source})->run(run);
  }
}

}  // namespace billwatch::sources
