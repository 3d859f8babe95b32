#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "billwatch/core/result.hpp"

namespace billwatch::sources {

// Bounds on JSON from the network. API answers are a few hundred kilobytes and a dozen
// levels deep; anything far beyond is broken or hostile.
struct JsonLimits {
  std::size_t max_bytes = 32u << 20;
  int max_depth = 64;
};

// Parses an API answer. Not JSON (an HTML error or challenge page, a truncated body), too
// large or too deep is a Failure saying which and where.
Result<nlohmann::json> parse_json(std::string_view text, const JsonLimits& limits = {});

// Field readers for API answers, which omit and null fields freely: a missing field, a null
// or a value of another type reads as absent.
// The string at `key`, or "".
std::string json_string(const nlohmann::json& object, const char* key);
// The array at `key`, or nullptr.
const nlohmann::json* json_array(const nlohmann::json& object, const char* key);
// The integer at `key` (digits in a string count: LegiScan writes some ids so), or
// `fallback` when absent or out of range.
std::int64_t json_integer(const nlohmann::json& object, const char* key, std::int64_t fallback = 0);

}  // namespace billwatch::sources
