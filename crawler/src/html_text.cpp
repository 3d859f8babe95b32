#include "billwatch/crawler/html_text.hpp"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <vector>

#include "billwatch/core/ascii.hpp"
#include "html_detail.hpp"

namespace billwatch::crawler {

namespace {

// ---- Bounds, checked on the raw bytes before parsing ----------------------------------

// Elements that never nest (void) or whose end tag is routinely omitted: counting them as
// opened would overstate the depth of ordinary pages.
bool does_not_nest(std::string_view name) {
  static constexpr std::array<std::string_view, 33> k_names = {
      "area", "base",  "br",     "col",    "embed",    "hr",    "img",   "input", "link",
      "meta", "param", "source", "track",  "wbr",      "p",     "li",    "td",    "th",
      "tr",   "dt",    "dd",     "option", "optgroup", "tbody", "thead", "tfoot", "colgroup",
      "rb",   "rt",    "rp",     "html",   "head",     "body"};
  return std::find(k_names.begin(), k_names.end(), name) != k_names.end();
}

// Checks the bounds on the raw bytes and notes where <script> and <style> contents lie:
// they never become text, and dropping them before gumbo saves it lexing them byte by byte
// (often most of a page's bytes).
Status check_limits(std::string_view html, const HtmlLimits& limits,
                    std::vector<std::pair<std::size_t, std::size_t>>& raw_text) {
  std::size_t depth = 0;
  std::size_t elements = 0;
  std::size_t i = 0;
  std::string name;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    if (html.compare(i, 4, "<!--") == 0) {
      std::size_t end = html.find("-->", i + 4);
      if (end == std::string_view::npos) break;
      i = end + 3;
      continue;
    }
    bool closing = i + 1 < html.size() && html[i + 1] == '/';
    std::size_t start = i + (closing ? 2 : 1);
    std::size_t end = start;
    while (end < html.size() && ascii_alnum(html[end])) ++end;
    if (end == start) {
      ++i;
      continue;
    }
    name.assign(html.substr(start, end - start));
    for (char& c : name) c = ascii_lower(c);
    std::size_t tag_end = html.find('>', end);
    if (tag_end == std::string_view::npos) break;
    if (closing) {
      if (!does_not_nest(name) && depth > 0) --depth;
    } else {
      if (++elements > limits.max_elements) {
        return Failure{"HTML page has more than " + std::to_string(limits.max_elements) +
                       " elements; not parsed"};
      }
      bool self_closing = html[tag_end - 1] == '/';
      if (!self_closing && !does_not_nest(name) && ++depth > limits.max_depth) {
        return Failure{"HTML nesting is deeper than " + std::to_string(limits.max_depth) +
                       " elements (at byte " + std::to_string(i) + "); not parsed"};
      }
      if (name == "script" || name == "style") {
        // Raw text: a '<' inside a script is not a tag.
        // (</SCRIPT> and </Style> close them too: tag names are case-insensitive.)
        auto closes = [&](std::size_t at) {
          std::string_view candidate = html.substr(at + 2, name.size());
          return ascii_lower(candidate) == name;
        };
        std::size_t close = html.find("</", tag_end);
        while (close != std::string_view::npos && !closes(close)) {
          close = html.find("</", close + 2);
        }
        i = close == std::string_view::npos ? html.size() : close;
        raw_text.emplace_back(tag_end + 1, i);
        continue;
      }
    }
    i = tag_end + 1;
  }
  return Ok{};
}

// ---- Amendment markup -------------------------------------------------------------------

// Missouri (and other legislatures) mark matter being deleted from the law with bold
// brackets: <span style="font-weight: bold">[</span>old words<span ...bold...>]</span>.
// Returns the position just past a bold bracket element opening at `pos` ('<'), or npos.
std::size_t bold_bracket_end(std::string_view html, std::size_t pos, char bracket) {
  std::size_t tag_end = html.find('>', pos);
  if (tag_end == std::string_view::npos || tag_end - pos > 200) return std::string_view::npos;
  std::string tag = ascii_lower(html.substr(pos, tag_end - pos + 1));
  bool bold = tag.rfind("<b>", 0) == 0 || tag.rfind("<strong", 0) == 0 ||
              (tag.rfind("<span", 0) == 0 && tag.find("bold") != std::string::npos);
  if (!bold || tag_end + 1 >= html.size() || html[tag_end + 1] != bracket) {
    return std::string_view::npos;
  }
  std::size_t close = html.find("</", tag_end + 2);
  if (close != tag_end + 2) return std::string_view::npos;  // the element holds only the bracket
  std::size_t close_end = html.find('>', close);
  return close_end == std::string_view::npos ? close_end : close_end + 1;
}

// The page without its bold-bracketed deletions (brackets included); the page itself when
// it has none.
std::string without_bold_bracketed(std::string_view html) {
  std::string out;
  std::size_t from = 0;
  std::size_t i = 0;
  while ((i = html.find('<', i)) != std::string_view::npos) {
    std::size_t open_end = bold_bracket_end(html, i, '[');
    if (open_end == std::string_view::npos) {
      ++i;
      continue;
    }
    // The matching closing bracket, within reach: deletions are words, not pages.
    std::size_t j = open_end;
    std::size_t close_end = std::string_view::npos;
    while ((j = html.find('<', j)) != std::string_view::npos && j - open_end < 20000) {
      close_end = bold_bracket_end(html, j, ']');
      if (close_end != std::string_view::npos) break;
      ++j;
    }
    if (close_end == std::string_view::npos) {
      i = open_end;
      continue;
    }
    out.append(html.substr(from, i - from));
    from = close_end;
    i = close_end;
  }
  if (from == 0) return std::string(html);
  out.append(html.substr(from));
  return out;
}

// ---- Text assembly ------------------------------------------------------------------

class TextBuilder {
 public:
  void text(std::string_view s, bool preformatted) {
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      bool nbsp = c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0';
      if (preformatted && c == '\n') {
        request_break(1);
        continue;
      }
      if (nbsp || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        if (nbsp) ++i;
        m_pending_space = true;
        continue;
      }
      flush();
      m_out.push_back(c);
    }
  }

  // 1: start a new line; 2: start a new paragraph.
  void request_break(int lines) { m_pending_break = std::max(m_pending_break, lines); }
  void request_space() { m_pending_space = true; }

  std::size_t size() const { return m_out.size(); }
  std::string substr(std::size_t from) const { return m_out.substr(from); }
  std::string take() { return std::move(m_out); }

 private:
  void flush() {
    if (m_out.empty()) {
      m_pending_break = 0;
      m_pending_space = false;
      return;
    }
    if (m_pending_break > 0) {
      m_out.append(static_cast<std::size_t>(m_pending_break), '\n');
    } else if (m_pending_space) {
      m_out.push_back(' ');
    }
    m_pending_break = 0;
    m_pending_space = false;
  }

  std::string m_out;
  int m_pending_break = 0;
  bool m_pending_space = false;
};

bool is_skipped(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_IFRAME:
    case GUMBO_TAG_OBJECT:
    case GUMBO_TAG_SVG:
    case GUMBO_TAG_SELECT:
    case GUMBO_TAG_BUTTON:
    case GUMBO_TAG_TEXTAREA:
    // Struck text in a bill is being removed from the law: it is not operative text (the
    // inserted text, <ins> or <u>, stays).
    case GUMBO_TAG_DEL:
    case GUMBO_TAG_STRIKE:
    case GUMBO_TAG_S:
      return true;
    default:
      return false;
  }
}

// How many line breaks an element forces around itself: 2 paragraph, 1 line, 0 inline.
int break_around(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P:
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
    case GUMBO_TAG_BLOCKQUOTE:
    case GUMBO_TAG_PRE:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_UL:
    case GUMBO_TAG_OL:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_FIELDSET:
      return 2;
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_LI:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_BR:
    case GUMBO_TAG_DT:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_BODY:
      return 1;
    default:
      return 0;
  }
}

std::string collapse_whitespace(std::string_view s) {
  TextBuilder builder;
  builder.text(s, false);
  return builder.take();
}

// Concatenated text of a node's descendants, walked iteratively.
std::string text_content(const GumboNode* root) {
  std::string out;
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
        node->type == GUMBO_NODE_CDATA) {
      out += node->v.text.text;
    } else if (node->type == GUMBO_NODE_ELEMENT) {
      const GumboVector& children = node->v.element.children;
      for (unsigned i = children.length; i > 0; --i) {
        stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
      }
    }
  }
  return collapse_whitespace(out);
}

const GumboNode* find_title(const GumboNode* root) {
  std::vector<const GumboNode*> stack{root};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    if (node->type != GUMBO_NODE_ELEMENT) continue;
    if (node->v.element.tag == GUMBO_TAG_TITLE) return node;
    if (node->v.element.tag == GUMBO_TAG_BODY) continue;  // <title> lives in <head>
    const GumboVector& children = node->v.element.children;
    for (unsigned i = children.length; i > 0; --i) {
      stack.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
    }
  }
  return nullptr;
}

struct GumboDeleter {
  void operator()(GumboOutput* output) const noexcept {
    gumbo_destroy_output(&kGumboDefaultOptions, output);
  }
};

// The element's name as written, lower-cased ("legis-body", "dc:title"): gumbo knows only
// HTML names and calls the rest GUMBO_TAG_UNKNOWN.
std::string element_name(const GumboNode* node) {
  const GumboStringPiece& original = node->v.element.original_tag;
  std::string name;
  for (std::size_t i = 1; i < original.length; ++i) {
    char c = original.data[i];
    if (c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r') break;
    name += ascii_lower(c);
  }
  return name;
}

// Bill XML (the House/Senate bill DTD and USLM, as govinfo publishes them): what is not the
// bill's text, what is struck, and which elements are blocks.
bool is_skipped_xml(const std::string& name) {
  return name == "metadata" || name == "dublincore" || name == "deleted-text" || name == "del" ||
         name == "distribution-code" || name == "toc" || name == "meta" || name == "endmarker";
}

int xml_break_around(const std::string& name) {
  static const std::array<std::string_view, 22> k_blocks = {"section",
                                                            "subsection",
                                                            "paragraph",
                                                            "subparagraph",
                                                            "clause",
                                                            "subclause",
                                                            "item",
                                                            "subitem",
                                                            "level",
                                                            "quoted-block",
                                                            "title",
                                                            "official-title",
                                                            "legis-num",
                                                            "long-title",
                                                            "form",
                                                            "action",
                                                            "p",
                                                            "chapeau",
                                                            "continuation-text",
                                                            "content",
                                                            "legis-body",
                                                            "division"};
  return std::find(k_blocks.begin(), k_blocks.end(), name) != k_blocks.end() ? 2 : 0;
}

Result<HtmlText> markup_to_text(std::string_view utf8_html, const HtmlLimits& limits, bool xml) {
  std::vector<std::pair<std::size_t, std::size_t>> raw_text;
  if (Status status = check_limits(utf8_html, limits, raw_text); !status) {
    return status.failure();
  }
  std::string stripped;
  if (!raw_text.empty()) {
    stripped.reserve(utf8_html.size());
    std::size_t from = 0;
    for (auto [begin, end] : raw_text) {
      stripped.append(utf8_html.substr(from, begin - from));
      from = end;
    }
    stripped.append(utf8_html.substr(from));
    utf8_html = stripped;
  }

  std::string undeleted;
  if (!xml && (utf8_html.find("bold\">[<") != std::string_view::npos ||
               utf8_html.find("<b>[<") != std::string_view::npos ||
               utf8_html.find("bold;\">[<") != std::string_view::npos)) {
    undeleted = without_bold_bracketed(utf8_html);
    utf8_html = undeleted;
  }

  GumboOptions options = kGumboDefaultOptions;
  // We never read parse errors, and gumbo copies the open-element stack into each one it
  // records: on sloppy legislature HTML that was a good part of the parse.
  options.max_errors = 0;
  std::unique_ptr<GumboOutput, GumboDeleter> output(
      gumbo_parse_with_options(&options, utf8_html.data(), utf8_html.size()));
  if (!output) return Failure{"HTML parser returned nothing"};

  HtmlText result;
  if (const GumboNode* title = find_title(output->root)) result.title = text_content(title);

  TextBuilder builder;
  std::string first_h1;
  struct Frame {
    const GumboNode* node;
    bool exiting;
    std::size_t start;  // builder size when the element was entered
  };
  std::vector<Frame> stack{{output->root, false, 0}};
  int pre_depth = 0;
  while (!stack.empty()) {
    Frame frame = stack.back();
    stack.pop_back();
    const GumboNode* node = frame.node;
    if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE ||
        node->type == GUMBO_NODE_CDATA) {
      builder.text(node->v.text.text, pre_depth > 0);
      continue;
    }
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT &&
        node->type != GUMBO_NODE_TEMPLATE) {
      continue;  // comments
    }
    const GumboVector& children =
        node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
    GumboTag tag = node->type == GUMBO_NODE_DOCUMENT ? GUMBO_TAG_UNKNOWN : node->v.element.tag;
    std::string name;
    if (xml && node->type == GUMBO_NODE_ELEMENT) name = element_name(node);
    int breaks =
        xml ? std::max(xml_break_around(name), tag == GUMBO_TAG_P ? 2 : 0) : break_around(tag);
    if (frame.exiting) {
      if (xml && (name == "official-title" || name == "dc:title") && result.title.empty()) {
        result.title = collapse_whitespace(builder.substr(frame.start));
      }
      if (tag == GUMBO_TAG_PRE) --pre_depth;
      if (tag == GUMBO_TAG_H1 && first_h1.empty()) first_h1 = builder.substr(frame.start);
      if (tag == GUMBO_TAG_TD || tag == GUMBO_TAG_TH) builder.request_space();
      // "2." <header>Definitions</header> <text>In this Act ...: words, not "2.DefinitionsIn".
      if (xml && (name == "enum" || name == "header" || name == "num" || name == "heading" ||
                  name == "action-date")) {
        builder.request_space();
      }
      builder.request_break(breaks);
      continue;
    }
    if (node->type != GUMBO_NODE_DOCUMENT) {
      if (xml ? is_skipped_xml(name) || tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE
              : is_skipped(tag)) {
        continue;
      }
    }
    builder.request_break(breaks);
    if (tag == GUMBO_TAG_PRE) ++pre_depth;
    stack.push_back({node, true, builder.size()});
    for (unsigned i = children.length; i > 0; --i) {
      stack.push_back({static_cast<const GumboNode*>(children.data[i - 1]), false, 0});
    }
  }
  result.text = builder.take();
  if (result.title.empty()) result.title = collapse_whitespace(first_h1);
  return result;
}

}  // namespace

Result<HtmlText> html_to_text(std::string_view utf8_html, const HtmlLimits& limits) {
  return markup_to_text(utf8_html, limits, false);
}

Result<HtmlText> bill_xml_to_text(std::string_view utf8_xml, const HtmlLimits& limits) {
  return markup_to_text(utf8_xml, limits, true);
}

namespace detail {

Status check_html_limits(std::string_view html, const HtmlLimits& limits) {
  std::vector<std::pair<std::size_t, std::size_t>> raw_text;
  return check_limits(html, limits, raw_text);
}

std::string node_text(const GumboNode* node) {
  return text_content(node);
}

}  // namespace detail

}  // namespace billwatch::crawler
