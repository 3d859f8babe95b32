#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "billwatch/core/result.hpp"

namespace billwatch::crawler {

// Bounds on JSON from the network. API answers are a few hundred kilobytes and a dozen
// levels deep; anything far beyond is broken or hostile.
struct JsonLimits {
  std::size_t max_bytes = 32u << 20;
  int max_depth = 64;
};

// Parses an API answer. Not JSON (an HTML error or challenge page, a truncated body), too
// large or too deep is a Failure saying which and where.
Result<nlohmann::json> parse_json(std::string_view text, const JsonLimits& limits = {});

}  // namespace billwatch::crawler
