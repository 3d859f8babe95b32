// The CSS selector subset: hostile selector text and hostile pages. The first line of the
// input is the selector, the rest the page.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billwatch/crawler/html_selectors.hpp"
#include "billwatch/sources/html/status_page.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  std::string_view selector_text = input.substr(0, newline);
  std::string_view html = newline == std::string_view::npos ? "" : input.substr(newline + 1);
  using namespace billwatch::crawler;
  using namespace billwatch::sources;
  (void)parse_page_date(selector_text);
  (void)resolve_url("https://example.org/a/b.html", selector_text);
  auto selector = Selector::parse(selector_text);
  auto page = HtmlPage::parse(html);
  if (!selector || !page) return 0;
  PageSelectors selectors;
  selectors.title = selector.value();
  selectors.actions = selector.value();
  selectors.action_date = selector.value();
  selectors.versions = selector.value();
  (void)read_status_page(page.value(), selectors, "https://example.org/a/b.html");
  return 0;
}
