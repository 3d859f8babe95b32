#include "billwatch/analysis/text_diff.hpp"

#include <cctype>
#include <dtl/dtl.hpp>
#include <map>

#include "billwatch/core/escape.hpp"

namespace billwatch::analysis {

namespace {

struct Section {
  std::string key;  // "sec 3", or "" for the text before the first heading
  std::string heading;
  std::string text;
};

// "sec 3" for "## Section 3", "Sec. 3.", "NEW SECTION. Sec. 3.", "§ 3", "SEC. 3. …";
// "" when the paragraph does not start a section.
std::string heading_key(std::string_view paragraph) {
  std::string line(paragraph.substr(0, paragraph.find('\n')));
  std::string lowered;
  for (char c : line) lowered += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t i = lowered.find_first_not_of("# ");
  if (i == std::string::npos) return {};
  std::string_view rest = std::string_view(lowered).substr(i);
  if (rest.rfind("new section.", 0) == 0) {
    rest.remove_prefix(12);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  }
  for (std::string_view marker : {"section", "sec.", "sec", "\xC2\xA7"}) {
    if (rest.rfind(marker, 0) != 0) continue;
    std::string_view number = rest.substr(marker.size());
    while (!number.empty() && (number.front() == ' ' || number.front() == '.')) {
      number.remove_prefix(1);
    }
    std::size_t end = 0;
    while (end < number.size() &&
           (std::isalnum(static_cast<unsigned char>(number[end])) || number[end] == '-')) {
      ++end;
    }
    if (end == 0 || !std::isdigit(static_cast<unsigned char>(number[0]))) return {};
    return "sec " + std::string(number.substr(0, end));
  }
  return {};
}

std::vector<Section> sections_of(std::string_view text) {
  std::vector<Section> sections(1);
  std::size_t from = 0;
  while (from <= text.size()) {
    std::size_t at = text.find("\n\n", from);
    std::string_view paragraph =
        text.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from);
    std::string key = heading_key(paragraph);
    if (!key.empty()) {
      sections.push_back(
          Section{key, std::string(paragraph.substr(0, paragraph.find('\n'))), std::string()});
    }
    Section& current = sections.back();
    if (!current.text.empty()) current.text += "\n\n";
    current.text += paragraph;
    if (at == std::string_view::npos) break;
    from = at + 2;
  }
  if (sections.front().text.empty()) sections.erase(sections.begin());
  for (auto& s : sections) {
    if (s.heading.empty()) s.heading = "(before the first section)";
  }
  return sections;
}

// Words and the spaces between them, as separate tokens, so the pieces keep the spacing.
std::vector<std::string> tokens_of(std::string_view text) {
  std::vector<std::string> tokens;
  std::size_t i = 0;
  while (i < text.size()) {
    bool space = std::isspace(static_cast<unsigned char>(text[i])) != 0;
    std::size_t end = i;
    while (end < text.size() &&
           (std::isspace(static_cast<unsigned char>(text[end])) != 0) == space) {
      ++end;
    }
    tokens.emplace_back(text.substr(i, end - i));
    i = end;
  }
  return tokens;
}

void append(std::vector<DiffPiece>& pieces, DiffPiece::Kind kind, const std::string& text) {
  if (!pieces.empty() && pieces.back().kind == kind) {
    pieces.back().text += text;
  } else {
    pieces.push_back(DiffPiece{kind, text});
  }
}

bool is_blank(const std::string& text) {
  for (char c : text) {
    if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "{+on+}[-within-] {+the+}[-24-]" reads badly: a run of changes separated only by spaces
// becomes one removal followed by one addition ("[-within 24 hours.-]{+on the same day.+}").
std::vector<DiffPiece> grouped(const std::vector<DiffPiece>& pieces) {
  std::vector<DiffPiece> out;
  std::size_t i = 0;
  while (i < pieces.size()) {
    if (pieces[i].kind == DiffPiece::Kind::Same) {
      out.push_back(pieces[i++]);
      continue;
    }
    std::string removed;
    std::string added;
    while (i < pieces.size()) {
      const DiffPiece& p = pieces[i];
      if (p.kind == DiffPiece::Kind::Removed) {
        removed += p.text;
      } else if (p.kind == DiffPiece::Kind::Added) {
        added += p.text;
      } else if (is_blank(p.text) && i + 1 < pieces.size()) {
        removed += p.text;
        added += p.text;
      } else {
        break;
      }
      ++i;
    }
    if (!removed.empty()) out.push_back(DiffPiece{DiffPiece::Kind::Removed, removed});
    if (!added.empty()) out.push_back(DiffPiece{DiffPiece::Kind::Added, added});
  }
  return out;
}

std::vector<DiffPiece> word_diff(std::string_view old_text, std::string_view new_text) {
  std::vector<std::string> a = tokens_of(old_text);
  std::vector<std::string> b = tokens_of(new_text);
  // The shortest edit script costs (N+M)·D: past about 5,000 words a section (only a
  // pathological or machine-made text has one) is shown as replaced whole.
  constexpr std::size_t k_max_tokens = 10000;
  if (a.size() + b.size() > k_max_tokens) {
    return {DiffPiece{DiffPiece::Kind::Removed, std::string(old_text)},
            DiffPiece{DiffPiece::Kind::Added, std::string(new_text)}};
  }
  dtl::Diff<std::string, std::vector<std::string>> diff(a, b);
  diff.compose();
  std::vector<DiffPiece> pieces;
  for (const auto& [token, info] : diff.getSes().getSequence()) {
    DiffPiece::Kind kind = info.type == dtl::SES_ADD      ? DiffPiece::Kind::Added
                           : info.type == dtl::SES_DELETE ? DiffPiece::Kind::Removed
                                                          : DiffPiece::Kind::Same;
    append(pieces, kind, token);
  }
  return grouped(pieces);
}

}  // namespace

std::vector<SectionDiff> diff_sections(std::string_view old_text, std::string_view new_text) {
  std::vector<Section> before = sections_of(old_text);
  std::vector<Section> after = sections_of(new_text);
  // Align the sections by key first, keeping their order.
  std::vector<std::string> old_keys;
  std::vector<std::string> new_keys;
  for (const auto& s : before) old_keys.push_back(s.key);
  for (const auto& s : after) new_keys.push_back(s.key);
  dtl::Diff<std::string, std::vector<std::string>> alignment(old_keys, new_keys);
  alignment.compose();

  std::vector<SectionDiff> out;
  for (const auto& [key, info] : alignment.getSes().getSequence()) {
    if (info.type == dtl::SES_COMMON) {
      const Section& a = before[static_cast<std::size_t>(info.beforeIdx - 1)];
      const Section& b = after[static_cast<std::size_t>(info.afterIdx - 1)];
      if (a.text == b.text) continue;
      out.push_back(
          SectionDiff{b.heading, SectionDiff::Status::Changed, word_diff(a.text, b.text)});
    } else if (info.type == dtl::SES_ADD) {
      const Section& b = after[static_cast<std::size_t>(info.afterIdx - 1)];
      out.push_back(SectionDiff{
          b.heading, SectionDiff::Status::Added, {DiffPiece{DiffPiece::Kind::Added, b.text}}});
    } else {
      const Section& a = before[static_cast<std::size_t>(info.beforeIdx - 1)];
      out.push_back(SectionDiff{
          a.heading, SectionDiff::Status::Removed, {DiffPiece{DiffPiece::Kind::Removed, a.text}}});
    }
  }
  return out;
}

namespace {

// Long unchanged runs keep a few words of context on each side.
std::string elide(const std::string& text, bool first, bool last) {
  constexpr std::size_t k_context = 12;  // tokens (words and spaces)
  std::vector<std::string> tokens = tokens_of(text);
  if (tokens.size() <= 4 * k_context) return text;
  std::string out;
  if (!first) {
    for (std::size_t i = 0; i < k_context; ++i) out += tokens[i];
  }
  out += first || last ? "... " : " ... ";
  if (!last) {
    for (std::size_t i = tokens.size() - k_context; i < tokens.size(); ++i) out += tokens[i];
  }
  return out;
}

// The pieces of a section with heading marks removed where they open a line.
std::vector<DiffPiece> readable(const std::vector<DiffPiece>& pieces) {
  std::vector<DiffPiece> out;
  bool line_start = true;
  for (const auto& piece : pieces) {
    out.push_back({piece.kind, without_heading_marks(piece.text, line_start)});
    if (!piece.text.empty()) line_start = piece.text.back() == '\n';
  }
  return out;
}

const char* status_word(SectionDiff::Status status) {
  switch (status) {
    case SectionDiff::Status::Added:
      return " (added)";
    case SectionDiff::Status::Removed:
      return " (removed)";
    case SectionDiff::Status::Changed:
      break;
  }
  return "";
}

}  // namespace

std::string render_diff_text(const std::vector<SectionDiff>& sections, bool color) {
  const char* red = color ? "\x1b[31m" : "";
  const char* green = color ? "\x1b[32m" : "";
  const char* cyan = color ? "\x1b[36m" : "";
  const char* reset = color ? "\x1b[0m" : "";
  std::string out;
  for (const auto& section : sections) {
    out += std::string(cyan) + "@@ " + without_heading_marks(section.heading, true) +
           status_word(section.status) + " @@" + reset + "\n";
    std::vector<DiffPiece> pieces = readable(section.pieces);
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      const DiffPiece& piece = pieces[i];
      switch (piece.kind) {
        case DiffPiece::Kind::Same:
          out += elide(piece.text, i == 0, i + 1 == pieces.size());
          break;
        case DiffPiece::Kind::Added:
          out += std::string(green) + "{+" + piece.text + "+}" + reset;
          break;
        case DiffPiece::Kind::Removed:
          out += std::string(red) + "[-" + piece.text + "-]" + reset;
          break;
      }
    }
    out += "\n\n";
  }
  return out;
}

std::string render_diff_html(const std::vector<SectionDiff>& sections) {
  std::string out = "<div class=\"billwatch-diff\">\n";
  for (const auto& section : sections) {
    out += "<h3>" + html_escape(without_heading_marks(section.heading, true)) +
           html_escape(status_word(section.status)) + "</h3>\n<p class=\"diff-text\">";
    std::vector<DiffPiece> pieces = readable(section.pieces);
    for (std::size_t i = 0; i < pieces.size(); ++i) {
      const DiffPiece& piece = pieces[i];
      switch (piece.kind) {
        case DiffPiece::Kind::Same:
          out += html_escape(elide(piece.text, i == 0, i + 1 == pieces.size()));
          break;
        case DiffPiece::Kind::Added:
          out += "<ins>" + html_escape(piece.text) + "</ins>";
          break;
        case DiffPiece::Kind::Removed:
          out += "<del>" + html_escape(piece.text) + "</del>";
          break;
      }
    }
    out += "</p>\n";
  }
  return out + "</div>\n";
}

}  // namespace billwatch::analysis
