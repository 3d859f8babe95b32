#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/result.hpp"
#include "billwatch/crawler/html_text.hpp"

namespace billwatch::crawler {

// A CSS selector, in the subset legislature pages need: a tag name, `#id`, `.class`,
// `[attr]`, `[attr=value]` (value bare or quoted), `:nth-child(n)`, joined by the
// descendant (space) and child (`>`) combinators, and lists (`a, b`). No library in Debian
// offers selectors over gumbo's tree (gumbo-query is not packaged), so this small one is
// ours.
class Selector {
 public:
  // A Failure says what is wrong and at which character.
  static Result<Selector> parse(std::string_view text);
  const std::string& text() const { return m_text; }

  struct Compound {
    std::string tag;  // lower case; "" or "*" for any
    std::string id;
    std::vector<std::string> classes;
    struct Attribute {
      std::string name;
      std::optional<std::string> value;
    };
    std::vector<Attribute> attributes;
    int nth_child = 0;  // 0: any
  };
  struct Step {
    Compound compound;
    bool child = false;  // joined to the previous step by '>' (else by a space)
  };
  // Each alternative of the list, its steps left to right.
  const std::vector<std::vector<Step>>& alternatives() const { return m_alternatives; }

 private:
  std::string m_text;
  std::vector<std::vector<Step>> m_alternatives;
};

// An HTML page parsed once (with html_text's bounds on depth and size) and queried with
// selectors. Elements are handles into the page and valid while it lives.
class HtmlPage {
 public:
  class Element {
   public:
    // The element's text, whitespace collapsed.
    std::string text() const;
    // An attribute's value; "" when absent.
    std::string attribute(std::string_view name) const;
    // Matching descendants, in document order.
    std::vector<Element> select(const Selector& selector) const;

   private:
    friend class HtmlPage;
    explicit Element(const void* node) : m_node(node) {}
    const void* m_node;  // a GumboNode
  };

  static Result<HtmlPage> parse(std::string_view utf8_html, const HtmlLimits& limits = {});

  // Matching elements of the whole page, in document order.
  std::vector<Element> select(const Selector& selector) const;

 private:
  struct Impl;
  explicit HtmlPage(std::shared_ptr<Impl> impl) : m_impl(std::move(impl)) {}
  std::shared_ptr<Impl> m_impl;
};

// "3/14/2011", "03/14/2011", "2011-03-14", "March 14, 2011", "Mar. 14, 2011",
// "14 March 2011" -> "2011-03-14"; "" when it is none of those.
std::string parse_page_date(std::string_view text);

// A link's target made absolute against the page's URL ("../1795.pdf", "/bills/1.htm",
// "S/"); "" for what is not an http(s) link (mailto:, javascript:, #fragments).
std::string resolve_url(std::string_view base, std::string_view link);

}  // namespace billwatch::crawler
