// robots.txt parsing and matching: the first line of the input is the path to check, the
// rest is the robots.txt. Patterns with many '*' must not explode.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billwatch/crawler/robots.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t newline = input.find('\n');
  std::string_view path = input.substr(0, newline);
  std::string_view robots = newline == std::string_view::npos ? "" : input.substr(newline + 1);
  auto rules = billwatch::crawler::RobotsRules::parse(robots, "billwatch");
  (void)rules.allowed(path);
  (void)rules.crawl_delay();
  return 0;
}
