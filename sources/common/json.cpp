#include "billwatch/sources/common/json.hpp"

#include <string>

namespace billwatch::sources {

namespace {

struct TooDeep {};

std::string first_bytes(std::string_view text) {
  std::string start(text.substr(0, 40));
  for (char& c : start) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return start;
}

}  // namespace

Result<nlohmann::json> parse_json(std::string_view text, const JsonLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Failure{"JSON answer of " + std::to_string(text.size()) +
                       " bytes is over the limit of " + std::to_string(limits.max_bytes),
                   FailureCode::Malformed};
  }
  std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos)
    return Failure{"empty answer where JSON was expected", FailureCode::Malformed};
  if (text[start] == '<') {
    return Failure{"not JSON: the answer is markup (starts with '" +
                       first_bytes(text.substr(start)) + "'), probably an error or challenge page",
                   FailureCode::Malformed};
  }
  // nlohmann's parser keeps its own stack (no recursion), and the callback sees every
  // value's depth, so a 10,000-deep array stops at the limit without being built.
  auto callback = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > limits.max_depth) throw TooDeep{};
    return true;
  };
  try {
    return nlohmann::json::parse(text.begin(), text.end(), callback);
  } catch (const TooDeep&) {
    return Failure{"JSON nested deeper than " + std::to_string(limits.max_depth) + " levels",
                   FailureCode::Malformed};
  } catch (const nlohmann::json::parse_error& e) {
    return Failure{"not well-formed JSON at byte " + std::to_string(e.byte) + ": " +
                       std::string(e.what()).substr(std::string(e.what()).find(':') + 2),
                   FailureCode::Malformed};
  } catch (const nlohmann::json::exception& e) {
    // A number too large for a double (out_of_range 406), found by fuzzing: without this
    // catch it ended the run.
    std::string what = e.what();
    return Failure{"unusable JSON: " + what.substr(what.find(']') + 2, 120),
                   FailureCode::Malformed};
  }
}

std::string json_string(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

const nlohmann::json* json_array(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? &*it : nullptr;
}

std::int64_t json_integer(const nlohmann::json& object, const char* key, std::int64_t fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number_unsigned()) {
    auto value = it->get<std::uint64_t>();
    return value > static_cast<std::uint64_t>(INT64_MAX) ? fallback
                                                         : static_cast<std::int64_t>(value);
  }
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    if (text.empty() || text.size() > 18) return fallback;
    for (char c : text) {
      if (c < '0' || c > '9') return fallback;
    }
    return std::stoll(text);
  }
  return fallback;
}

}  // namespace billwatch::sources
