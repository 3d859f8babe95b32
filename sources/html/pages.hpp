#pragma once

#include <memory>
#include <vector>

#include "billwatch/sources/source.hpp"

namespace billwatch::sources {

// Legislature pages (`type = "html"`): every configured URL of every html source, fetched
// in one concurrent batch with its stored validators; a plain page is one bill's text, a
// page with [source.selectors] is a status page read by the selector engine.
std::unique_ptr<Source> make_page_source(std::vector<const config::SourceConfig*> configured);

// Throws config::ConfigError ("FILE:LINE: source[i].selectors.KEY: ...") for a selector
// outside the supported subset, so a typo stops `billwatch` at load like any config error.
void check_page_source(const config::Config& config, std::size_t index);

}  // namespace billwatch::sources
