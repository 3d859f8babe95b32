#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/bill.hpp"
#include "billwatch/crawler/html_selectors.hpp"

namespace billwatch::sources {

// What a source's selectors pick out of a legislature's bill page.
struct PageSelectors {
  std::optional<crawler::Selector> title;
  std::optional<crawler::Selector> status;
  std::optional<crawler::Selector> actions;
  std::optional<crawler::Selector> action_date;  // inside each action element
  std::optional<crawler::Selector> action_text;  // inside each action element
  std::optional<crawler::Selector> text;
  std::optional<crawler::Selector> versions;  // links
};

struct StatusPage {
  std::string title;
  std::string status;
  std::vector<Action> actions;  // in page order, each with the stage its words give
  std::string text;
  struct Link {
    std::string label;  // the link's text: "Substitute Bill"
    std::string url;    // absolute
  };
  std::vector<Link> versions;
  // The configured selectors (title, status, actions, text, versions) that matched
  // nothing: a layout change when they matched before.
  std::vector<std::string> unmatched;
};

// Reads the page with the selectors. Dates are read with crawler::parse_page_date (from the
// action_date element, else the action's own text); one that cannot be read stays "" and
// the action keeps its words. Links resolve against `url`. Pure.
StatusPage read_status_page(const crawler::HtmlPage& page, const PageSelectors& selectors,
                            std::string_view url);

}  // namespace billwatch::sources
