#include "billwatch/crawler/html_selectors.hpp"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <unordered_map>

#include "billwatch/core/ascii.hpp"
#include "html_detail.hpp"

namespace billwatch::crawler {

// ---- Selector parsing ------------------------------------------------------------------

namespace {

bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

class SelectorParser {
 public:
  explicit SelectorParser(std::string_view text) : m_text(text) {}

  Result<std::vector<std::vector<Selector::Step>>> parse() {
    std::vector<std::vector<Selector::Step>> alternatives;
    while (true) {
      auto steps = parse_steps();
      if (!steps) return steps.failure();
      alternatives.push_back(std::move(steps.value()));
      skip_spaces();
      if (at_end()) break;
      if (peek() != ',') return fail("expected ',' or the end");
      ++m_pos;
    }
    return alternatives;
  }

 private:
  bool at_end() const { return m_pos >= m_text.size(); }
  char peek() const { return m_text[m_pos]; }
  void skip_spaces() {
    while (!at_end() && std::isspace(static_cast<unsigned char>(peek()))) ++m_pos;
  }
  Failure fail(const std::string& what) const {
    return Failure{"selector '" + std::string(m_text) + "': " + what + " at character " +
                   std::to_string(m_pos + 1)};
  }
  std::string name() {
    std::size_t start = m_pos;
    while (!at_end() && is_name_char(peek())) ++m_pos;
    return std::string(m_text.substr(start, m_pos - start));
  }

  Result<std::vector<Selector::Step>> parse_steps() {
    std::vector<Selector::Step> steps;
    skip_spaces();
    bool child = false;
    while (true) {
      auto compound = parse_compound();
      if (!compound) return compound.failure();
      steps.push_back({std::move(compound.value()), child});
      // A combinator, or the end of this alternative.
      std::size_t before = m_pos;
      skip_spaces();
      if (at_end() || peek() == ',') break;
      if (peek() == '>') {
        ++m_pos;
        skip_spaces();
        child = true;
      } else if (m_pos > before) {
        child = false;
      } else {
        return fail("unexpected '" + std::string(1, peek()) + "'");
      }
      if (steps.size() >= 32) return fail("more than 32 steps");
    }
    return steps;
  }

  Result<Selector::Compound> parse_compound() {
    Selector::Compound compound;
    std::size_t start = m_pos;
    if (!at_end() && peek() == '*') {
      ++m_pos;
    } else if (!at_end() && is_name_char(peek())) {
      compound.tag = ascii_lower(name());
    }
    while (!at_end()) {
      char c = peek();
      if (c == '#') {
        ++m_pos;
        compound.id = name();
        if (compound.id.empty()) return fail("'#' without an id");
      } else if (c == '.') {
        ++m_pos;
        std::string cls = name();
        if (cls.empty()) return fail("'.' without a class");
        compound.classes.push_back(std::move(cls));
      } else if (c == '[') {
        ++m_pos;
        skip_spaces();
        Selector::Compound::Attribute attribute;
        attribute.name = ascii_lower(name());
        if (attribute.name.empty()) return fail("'[' without an attribute name");
        skip_spaces();
        if (!at_end() && peek() == '=') {
          ++m_pos;
          skip_spaces();
          if (!at_end() && (peek() == '"' || peek() == '\'')) {
            char quote = peek();
            std::size_t close = m_text.find(quote, m_pos + 1);
            if (close == std::string_view::npos) return fail("unclosed quote");
            attribute.value = std::string(m_text.substr(m_pos + 1, close - m_pos - 1));
            m_pos = close + 1;
          } else {
            attribute.value = name();
          }
          skip_spaces();
        }
        if (at_end() || peek() != ']') return fail("expected ']'");
        ++m_pos;
        compound.attributes.push_back(std::move(attribute));
      } else if (c == ':') {
        ++m_pos;
        std::string pseudo = name();
        if (pseudo != "nth-child" || at_end() || peek() != '(') {
          return fail("unsupported pseudo-class ':" + pseudo + "' (only :nth-child(n))");
        }
        ++m_pos;
        std::size_t close = m_text.find(')', m_pos);
        if (close == std::string_view::npos) return fail("unclosed ':nth-child('");
        std::string_view number = m_text.substr(m_pos, close - m_pos);
        int n = 0;
        auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), n);
        if (error != std::errc() || end != number.data() + number.size() || n < 1 || n > 100000) {
          return fail(":nth-child takes a positive number");
        }
        compound.nth_child = n;
        m_pos = close + 1;
      } else {
        break;
      }
    }
    if (m_pos == start) return fail("expected a tag, '#', '.', '[' or ':'");
    return compound;
  }

  std::string_view m_text;
  std::size_t m_pos = 0;
};

}  // namespace

Result<Selector> Selector::parse(std::string_view text) {
  if (text.size() > 1000) return Failure{"selector longer than 1000 characters"};
  auto alternatives = SelectorParser(text).parse();
  if (!alternatives) return alternatives.failure();
  Selector selector;
  selector.m_text = std::string(text);
  selector.m_alternatives = std::move(alternatives.value());
  return selector;
}

// ---- Matching ----------------------------------------------------------------------------

namespace {

const GumboNode* as_node(const void* p) {
  return static_cast<const GumboNode*>(p);
}

std::string tag_name(const GumboNode* node) {
  if (node->v.element.tag != GUMBO_TAG_UNKNOWN) {
    return gumbo_normalized_tagname(node->v.element.tag);
  }
  GumboStringPiece original = node->v.element.original_tag;
  gumbo_tag_from_original_text(&original);
  return ascii_lower(std::string_view(original.data, original.length));
}

const char* attribute_of(const GumboNode* node, const std::string& name) {
  const GumboAttribute* attribute = gumbo_get_attribute(&node->v.element.attributes, name.c_str());
  return attribute ? attribute->value : nullptr;
}

bool has_class(const char* classes, const std::string& wanted) {
  std::string_view list(classes);
  std::size_t i = 0;
  while (i < list.size()) {
    while (i < list.size() && std::isspace(static_cast<unsigned char>(list[i]))) ++i;
    std::size_t start = i;
    while (i < list.size() && !std::isspace(static_cast<unsigned char>(list[i]))) ++i;
    if (list.substr(start, i - start) == wanted) return true;
  }
  return false;
}

// 1-based position among the parent's element children.
int element_index(const GumboNode* node) {
  const GumboNode* parent = node->parent;
  if (!parent || (parent->type != GUMBO_NODE_ELEMENT && parent->type != GUMBO_NODE_DOCUMENT)) {
    return 1;
  }
  const GumboVector& siblings =
      parent->type == GUMBO_NODE_ELEMENT ? parent->v.element.children : parent->v.document.children;
  int index = 0;
  for (unsigned i = 0; i < siblings.length; ++i) {
    auto* sibling = static_cast<const GumboNode*>(siblings.data[i]);
    if (sibling->type == GUMBO_NODE_ELEMENT) ++index;
    if (sibling == node) return index;
  }
  return index;
}

bool matches(const GumboNode* node, const Selector::Compound& c) {
  if (node->type != GUMBO_NODE_ELEMENT) return false;
  if (!c.tag.empty() && c.tag != "*" && tag_name(node) != c.tag) return false;
  if (!c.id.empty()) {
    const char* id = attribute_of(node, "id");
    if (!id || c.id != id) return false;
  }
  if (!c.classes.empty()) {
    const char* classes = attribute_of(node, "class");
    if (!classes) return false;
    for (const auto& wanted : c.classes) {
      if (!has_class(classes, wanted)) return false;
    }
  }
  for (const auto& a : c.attributes) {
    const char* value = attribute_of(node, a.name);
    if (!value || (a.value && *a.value != value)) return false;
  }
  return c.nth_child == 0 || element_index(node) == c.nth_child;
}

const GumboNode* parent_element(const GumboNode* node) {
  const GumboNode* parent = node->parent;
  return parent && parent->type == GUMBO_NODE_ELEMENT ? parent : nullptr;
}

// Does a node match steps[0..last], with steps[last] on the node itself? Answers are
// remembered per (node, step): without that, a descendant chain ("table tr td") that fails
// on a deeply nested hostile page would try every combination of ancestors (found by
// fuzzing's slow inputs); with it the work is bounded by nodes x steps x depth.
class StepMatcher {
 public:
  explicit StepMatcher(const std::vector<Selector::Step>& steps) : m_steps(steps) {}

  bool matches(const GumboNode* node, std::size_t last) {
    auto& known = m_memo[node];
    if (known.empty()) known.assign(m_steps.size(), -1);
    if (known[last] >= 0) return known[last] == 1;
    bool result = compute(node, last);
    m_memo[node][last] = result ? 1 : 0;
    return result;
  }

 private:
  bool compute(const GumboNode* node, std::size_t last) {
    if (!crawler::matches(node, m_steps[last].compound)) return false;
    if (last == 0) return true;
    const GumboNode* ancestor = parent_element(node);
    if (m_steps[last].child) return ancestor && matches(ancestor, last - 1);
    for (; ancestor; ancestor = parent_element(ancestor)) {
      if (matches(ancestor, last - 1)) return true;
    }
    return false;
  }

  const std::vector<Selector::Step>& m_steps;
  std::unordered_map<const GumboNode*, std::vector<signed char>> m_memo;
};

// Elements below `root` (not `root` itself) matching the selector, in document order,
// walked without recursion.
std::vector<const GumboNode*> select_below(const GumboNode* root, const Selector& selector) {
  std::vector<const GumboNode*> found;
  std::vector<const GumboNode*> stack;
  auto push_children = [&](const GumboNode* node) {
    const GumboVector* children = node->type == GUMBO_NODE_ELEMENT    ? &node->v.element.children
                                  : node->type == GUMBO_NODE_DOCUMENT ? &node->v.document.children
                                                                      : nullptr;
    if (!children) return;
    for (unsigned i = children->length; i > 0; --i) {
      stack.push_back(static_cast<const GumboNode*>(children->data[i - 1]));
    }
  };
  std::vector<StepMatcher> matchers;
  for (const auto& steps : selector.alternatives()) matchers.emplace_back(steps);
  push_children(root);
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT) continue;
    for (std::size_t a = 0; a < matchers.size(); ++a) {
      if (matchers[a].matches(node, selector.alternatives()[a].size() - 1)) {
        found.push_back(node);
        break;
      }
    }
    push_children(node);
  }
  return found;
}

struct GumboDeleter {
  void operator()(GumboOutput* output) const noexcept {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};

}  // namespace

struct HtmlPage::Impl {
  std::string html;  // gumbo's tree points into it
  std::unique_ptr<GumboOutput, GumboDeleter> output;
};

Result<HtmlPage> HtmlPage::parse(std::string_view utf8_html, const HtmlLimits& limits) {
  if (Status status = detail::check_html_limits(utf8_html, limits); !status) {
    return status.failure();
  }
  auto impl = std::make_shared<Impl>();
  impl->html = std::string(utf8_html);
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;
  impl->output.reset(gumbo_parse_with_options(&options, impl->html.data(), impl->html.size()));
  if (!impl->output) return Failure{"HTML parser returned nothing"};
  return HtmlPage(std::move(impl));
}

std::vector<HtmlPage::Element> HtmlPage::select(const Selector& selector) const {
  std::vector<Element> out;
  for (const GumboNode* node : select_below(m_impl->output->document, selector)) {
    out.push_back(Element(node));
  }
  return out;
}

std::string HtmlPage::Element::text() const {
  return detail::node_text(as_node(m_node));
}

std::string HtmlPage::Element::attribute(std::string_view name) const {
  const char* value = attribute_of(as_node(m_node), ascii_lower(name));
  return value ? value : "";
}

std::vector<HtmlPage::Element> HtmlPage::Element::select(const Selector& selector) const {
  std::vector<Element> out;
  for (const GumboNode* node : select_below(as_node(m_node), selector))
    out.push_back(Element(node));
  return out;
}

// ---- Dates and links -----------------------------------------------------------------------

namespace {

int month_of(std::string_view word) {
  static const std::array<const char*, 12> k_months = {"jan", "feb", "mar", "apr", "may", "jun",
                                                       "jul", "aug", "sep", "oct", "nov", "dec"};
  std::string lower = ascii_lower(word);
  if (lower.size() < 3) return 0;
  for (std::size_t i = 0; i < k_months.size(); ++i) {
    if (lower.compare(0, 3, k_months[i]) == 0) return static_cast<int>(i) + 1;
  }
  return 0;
}

std::string ymd(int year, int month, int day) {
  if (year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31) return {};
  char out[11];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", year, month, day);
  return out;
}

}  // namespace

std::string parse_page_date(std::string_view text) {
  // Split into words of digits and of letters; the punctuation between does not matter.
  std::vector<std::string> words;
  std::string word;
  auto flush = [&] {
    if (!word.empty()) words.push_back(word);
    word.clear();
  };
  for (char c : text) {
    bool digit = std::isdigit(static_cast<unsigned char>(c));
    bool alpha = std::isalpha(static_cast<unsigned char>(c));
    if (!digit && !alpha) {
      flush();
      continue;
    }
    if (!word.empty() && (std::isdigit(static_cast<unsigned char>(word.back())) != 0) != digit) {
      flush();
    }
    word += c;
    if (words.size() > 8) break;
  }
  flush();
  auto number = [](const std::string& w) {
    return w.size() <= 4 && std::isdigit(static_cast<unsigned char>(w[0])) ? std::stoi(w) : -1;
  };
  if (words.size() < 3) return {};
  const std::string &a = words[0], &b = words[1], &c = words[2];
  bool da = std::isdigit(static_cast<unsigned char>(a[0]));
  bool db = std::isdigit(static_cast<unsigned char>(b[0]));
  bool dc = std::isdigit(static_cast<unsigned char>(c[0]));
  // "02/02/11": two-digit years are this century's (legislature sites since 2000).
  auto year = [&](const std::string& w) { return w.size() == 2 ? 2000 + number(w) : number(w); };
  if (da && db && dc) {
    if (a.size() == 4) return ymd(number(a), number(b), number(c));  // 2011-03-14
    return ymd(year(c), number(a), number(b));                       // 3/14/2011 (US)
  }
  if (!da && db && dc) return ymd(number(c), month_of(a), number(b));  // March 14, 2011
  if (da && !db && dc) return ymd(number(c), month_of(b), number(a));  // 14 March 2011
  return {};
}

std::string resolve_url(std::string_view base, std::string_view link) {
  std::string target(link);
  while (!target.empty() && std::isspace(static_cast<unsigned char>(target.back())))
    target.pop_back();
  std::size_t lead = 0;
  while (lead < target.size() && std::isspace(static_cast<unsigned char>(target[lead]))) ++lead;
  target = target.substr(lead);
  if (auto hash = target.find('#'); hash != std::string::npos) target.resize(hash);
  if (target.empty()) return {};
  std::string lower = ascii_lower(target);
  if (lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0) return target;
  if (lower.find(':') != std::string::npos &&
      lower.find(':') < std::min(lower.find('/'), lower.find('?'))) {
    return {};  // mailto:, javascript:, ...
  }
  std::string b(base);
  auto scheme = b.find("://");
  if (scheme == std::string::npos) return {};
  std::size_t path_start = b.find('/', scheme + 3);
  std::string origin = path_start == std::string::npos ? b : b.substr(0, path_start);
  if (target.rfind("//", 0) == 0) return b.substr(0, scheme + 1) + target;
  std::string path;
  if (target[0] == '/') {
    path = target;
  } else {
    std::string base_path = path_start == std::string::npos ? "/" : b.substr(path_start);
    base_path = base_path.substr(0, base_path.find_first_of("?#"));
    if (target[0] == '?') return origin + base_path + target;
    path = base_path.substr(0, base_path.rfind('/') + 1) + target;
  }
  // Remove "." and ".." segments (RFC 3986 5.2.4), keeping the query as it is.
  std::string query;
  if (auto q = path.find('?'); q != std::string::npos) {
    query = path.substr(q);
    path.resize(q);
  }
  std::vector<std::string> segments;
  std::size_t i = 1;
  bool trailing = !path.empty() && path.back() == '/';
  while (i <= path.size()) {
    std::size_t end = std::min(path.find('/', i), path.size());
    std::string segment = path.substr(i, end - i);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (segment != "." && !segment.empty()) {
      segments.push_back(segment);
    }
    i = end + 1;
  }
  std::string clean;
  for (const auto& s : segments) clean += "/" + s;
  if (clean.empty() || trailing) clean += "/";
  return origin + clean + query;
}

}  // namespace billwatch::crawler
