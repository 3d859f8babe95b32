#include "billwatch/sources/html/status_page.hpp"

#include <set>

#include "billwatch/sources/common/stages.hpp"

namespace billwatch::sources {

StatusPage read_status_page(const crawler::HtmlPage& page, const PageSelectors& selectors,
                            std::string_view url) {
  StatusPage out;
  auto first_text = [&](const std::optional<crawler::Selector>& selector, const char* name,
                        std::string& target) {
    if (!selector) return;
    auto found = page.select(*selector);
    if (found.empty()) {
      out.unmatched.push_back(name);
    } else {
      target = found.front().text();
    }
  };
  first_text(selectors.title, "title", out.title);
  first_text(selectors.status, "status", out.status);
  first_text(selectors.text, "text", out.text);
  if (selectors.actions) {
    auto elements = page.select(*selectors.actions);
    if (elements.empty()) out.unmatched.push_back("actions");
    for (const auto& element : elements) {
      Action action;
      std::string whole = element.text();
      if (selectors.action_date) {
        auto date = element.select(*selectors.action_date);
        if (!date.empty()) action.date = crawler::parse_page_date(date.front().text());
      } else {
        action.date = crawler::parse_page_date(whole);
      }
      if (selectors.action_text) {
        auto text = element.select(*selectors.action_text);
        action.text = text.empty() ? std::string() : text.front().text();
      } else {
        action.text = whole;
      }
      if (action.text.empty()) continue;  // a header row, a spacer
      action.stage = stage_from_wording(action.text);
      out.actions.push_back(std::move(action));
    }
  }
  if (selectors.versions) {
    auto links = page.select(*selectors.versions);
    if (links.empty()) out.unmatched.push_back("versions");
    std::set<std::string> seen;
    for (const auto& link : links) {
      std::string target = crawler::resolve_url(url, link.attribute("href"));
      if (target.empty() || !seen.insert(target).second) continue;
      out.versions.push_back({link.text(), target});
    }
  }
  return out;
}

}  // namespace billwatch::sources
