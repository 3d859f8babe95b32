#include "billwatch/crawler/json.hpp"

#include <string>

namespace billwatch::crawler {

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
                   " bytes is over the limit of " + std::to_string(limits.max_bytes)};
  }
  std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return Failure{"empty answer where JSON was expected"};
  if (text[start] == '<') {
    return Failure{"not JSON: the answer is markup (starts with '" +
                   first_bytes(text.substr(start)) + "'), probably an error or challenge page"};
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
    return Failure{"JSON nested deeper than " + std::to_string(limits.max_depth) + " levels"};
  } catch (const nlohmann::json::parse_error& e) {
    return Failure{"not well-formed JSON at byte " + std::to_string(e.byte) + ": " +
                   std::string(e.what()).substr(std::string(e.what()).find(':') + 2)};
  } catch (const nlohmann::json::exception& e) {
    // A number too large for a double (out_of_range 406), found by fuzzing: without this
    // catch it ended the run.
    std::string what = e.what();
    return Failure{"unusable JSON: " + what.substr(what.find(']') + 2, 120)};
  }
}

}  // namespace billwatch::crawler
