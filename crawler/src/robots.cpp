#include "billwatch/crawler/robots.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "billwatch/core/ascii.hpp"

namespace billwatch::crawler {

namespace {

std::string lower(std::string_view s) {
  return ascii_lower(s);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Matches `pattern` (with '*' and a trailing '$') against the start of `path`. Iterative
// with backtracking to the last '*', so hostile patterns cannot recurse deeply.
bool matches(std::string_view pattern, std::string_view path) {
  bool anchored = !pattern.empty() && pattern.back() == '$';
  if (anchored) pattern.remove_suffix(1);
  std::size_t p = 0, s = 0;
  std::size_t star = std::string_view::npos, star_s = 0;
  while (true) {
    if (p == pattern.size()) {
      if (!anchored || s == path.size()) return true;
    } else if (pattern[p] == '*') {
      star = p++;
      star_s = s;
      continue;
    } else if (s < path.size() && pattern[p] == path[s]) {
      ++p, ++s;
      continue;
    }
    if (star == std::string_view::npos || star_s >= path.size()) return false;
    p = star + 1;
    s = ++star_s;
  }
}

}  // namespace

std::string product_token(std::string_view user_agent) {
  std::size_t end = 0;
  while (end < user_agent.size() && (std::isalnum(static_cast<unsigned char>(user_agent[end])) ||
                                     user_agent[end] == '-' || user_agent[end] == '_')) {
    ++end;
  }
  return lower(user_agent.substr(0, end));
}

RobotsRules RobotsRules::disallow_all() {
  RobotsRules rules;
  rules.m_rules.push_back({false, "/"});
  return rules;
}

RobotsRules RobotsRules::parse(std::string_view text, std::string_view token) {
  std::string ours = lower(token);
  // Groups: consecutive user-agent lines, then rules. Rules of every group that names us
  // are combined (RFC 9309 §2.2.1); likewise for "*".
  RobotsRules mine, star;
  bool mine_found = false;
  bool group_is_mine = false, group_is_star = false, in_agents = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    line = trim(line.substr(0, line.find('#')));
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = lower(trim(line.substr(0, colon)));
    std::string_view value = trim(line.substr(colon + 1));

    if (key == "user-agent") {
      if (!in_agents) group_is_mine = group_is_star = false;
      in_agents = true;
      std::string agent = lower(value);
      if (!ours.empty() && agent == ours) {
        group_is_mine = true;
        mine_found = true;
      }
      if (agent == "*") group_is_star = true;
      continue;
    }
    in_agents = false;
    auto apply = [&](RobotsRules& rules) {
      if (key == "allow" || key == "disallow") {
        if (value.empty()) return;  // "Disallow:" with nothing allows everything
        rules.m_rules.push_back({key == "allow", std::string(value)});
      } else if (key == "crawl-delay") {
        double seconds = 0;
        std::string number(value);
        auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), seconds);
        if (ec == std::errc() && ptr != number.data() && seconds >= 0 && seconds < 86400) {
          rules.m_crawl_delay = seconds;
        }
      }
    };
    if (group_is_mine) apply(mine);
    if (group_is_star) apply(star);
  }
  return mine_found ? mine : star;
}

bool RobotsRules::allowed(std::string_view path) const {
  if (path == "/robots.txt") return true;
  const Rule* best = nullptr;
  for (const Rule& rule : m_rules) {
    if (!matches(rule.pattern, path)) continue;
    if (!best || rule.pattern.size() > best->pattern.size() ||
        (rule.pattern.size() == best->pattern.size() && rule.allow && !best->allow)) {
      best = &rule;
    }
  }
  return !best || best->allow;
}

}  // namespace billwatch::crawler
