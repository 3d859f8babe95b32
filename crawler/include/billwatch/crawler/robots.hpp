#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace billwatch::crawler {

// The rules of one robots.txt for one crawler (RFC 9309): the group naming our product
// token, else the "*" group. Paths match by prefix with "*" wildcards and a "$" end
// anchor; the longest matching rule wins, and Allow wins a tie.
class RobotsRules {
 public:
  // Everything allowed: no robots.txt, or one that says nothing to us.
  RobotsRules() = default;

  // `product_token` is the first word of our User-Agent ("billwatch"), compared
  // case-insensitively. Unparseable lines are ignored, as crawlers must.
  static RobotsRules parse(std::string_view robots_txt, std::string_view product_token);
  // Nothing allowed: what RFC 9309 asks when robots.txt cannot be read (5xx, unreachable).
  static RobotsRules disallow_all();

  // `path_and_query` is the URL from its path on ("/bills/1795?year=2025").
  bool allowed(std::string_view path_and_query) const;
  // Crawl-delay of our group, in seconds, when it gives one.
  std::optional<double> crawl_delay() const { return m_crawl_delay; }

 private:
  struct Rule {
    bool allow;
    std::string pattern;
  };
  std::vector<Rule> m_rules;
  std::optional<double> m_crawl_delay;
};

// The product token of a User-Agent: "billwatch/0.1 (+mailto:x)" -> "billwatch".
std::string product_token(std::string_view user_agent);

}  // namespace billwatch::crawler
