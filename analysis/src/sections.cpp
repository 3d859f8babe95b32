// Sections: headings (Sec. 3, Section 4, § 101, NEW SECTION, 8.1.2) and enumerators nested by
// numbering style, each piece with its citation path.
#include "sections.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include "phrase_index.hpp"

namespace billwatch::analysis::detail {

// i to xxxix: Wyoming's school-board duties run to (xxxix).
bool is_roman(std::string_view token) {
  static const std::array<std::string_view, 10> k_units = {"",  "i",  "ii",  "iii",  "iv",
                                                           "v", "vi", "vii", "viii", "ix"};
  std::size_t tens = 0;
  while (tens < 3 && tens < token.size() && token[tens] == 'x') ++tens;
  std::string_view units = token.substr(tens);
  return !token.empty() && std::find(k_units.begin(), k_units.end(), units) != k_units.end();
}

bool all_of(std::string_view s, int (*predicate)(int)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return predicate(static_cast<unsigned char>(c)) != 0;
  });
}

// The numbering style of an enumerator: 'd' digits, 'a' lower letters, 'i' lower roman,
// 'A' upper letters, 'I' upper roman; 0 when the token is not an enumerator. (i), (v) and
// (x) are letters right after (h), (u) and (w), roman numerals otherwise when a letter
// level is open.
char style_of(std::string_view token, const std::vector<std::pair<char, std::string>>& open) {
  if (token.empty() || token.size() > 5) return 0;
  if (all_of(token, isdigit)) return token.size() <= 3 ? 'd' : 0;
  bool lower = all_of(token, islower);
  bool upper = all_of(token, isupper);
  if (!lower && !upper) return 0;
  std::string lowered = lower_ascii(token);
  char letter = lower ? 'a' : 'A';
  char roman = lower ? 'i' : 'I';
  if (!is_roman(lowered))
    return token.size() == 1 || (token.size() == 2 && token[0] == token[1]) ? letter : 0;
  if (token.size() > 1) return roman;
  for (auto it = open.rbegin(); it != open.rend(); ++it) {
    if (it->first == roman) return roman;
    if (it->first == letter) {
      // After (h) comes the letter (i); otherwise a roman numeral under the letter.
      return it->second.size() == 1 && it->second[0] + 1 == token[0] ? letter : roman;
    }
  }
  return token == "i" || token == "I" ? roman : letter;
}

// A section heading at `pos` ("sec. 3", "section 3", "§ 3", "new section. sec. 3"): its
// number, and where the heading's number ends; "" when there is none.
std::string heading_at(std::string_view lowered, std::size_t pos, std::size_t& after) {
  std::string_view rest = lowered.substr(pos);
  std::size_t skip = 0;
  while (skip < rest.size() && (rest[skip] == '#' || rest[skip] == ' ')) ++skip;
  rest.remove_prefix(skip);
  if (rest.rfind("new section.", 0) == 0) {
    skip += 12;
    rest.remove_prefix(12);
    while (!rest.empty() && rest.front() == ' ') {
      rest.remove_prefix(1);
      ++skip;
    }
  }
  for (std::string_view marker : {"section ", "sec. ", "\xC2\xA7 ", "\xC2\xA7"}) {
    if (rest.rfind(marker, 0) != 0) continue;
    std::size_t i = marker.size();
    std::size_t start = i;
    while (i < rest.size() &&
           (std::isalnum(static_cast<unsigned char>(rest[i])) || rest[i] == '-' ||
            (rest[i] == '.' && i + 1 < rest.size() &&
             std::isdigit(static_cast<unsigned char>(rest[i + 1]))))) {
      ++i;
    }
    if (i == start || !std::isdigit(static_cast<unsigned char>(rest[start]))) return {};
    after = pos + skip + i;
    return std::string(rest.substr(start, i - start));
  }
  return {};
}

// Whether position `pos` may start a subdivision: the start of the text or a line, or after
// the end of a sentence, a colon, a semicolon, a dash or another enumerator.
bool at_boundary(std::string_view text, std::size_t pos) {
  std::size_t i = pos;
  while (i > 0 && text[i - 1] == ' ') --i;
  if (i == 0) return true;
  char c = text[i - 1];
  if (c == '\n' || c == ':' || c == ';' || c == ')') return true;
  // "...students. (b)", "is prohibited.(b)"; not "U.S.C.(a)" (a capital before the dot).
  if (c == '.') return i < pos || (i >= 2 && std::islower(static_cast<unsigned char>(text[i - 2])));
  // An em dash (E2 80 94).
  if (c == '\x94' && i >= 3 && text[i - 3] == '\xE2' && text[i - 2] == '\x80') return true;
  return false;
}

std::vector<TextSection> split_sections(std::string_view text, const std::string& lowered) {
  std::vector<TextSection> out;
  std::string heading;
  // The open subdivisions, outermost first: a style already open closes everything inside
  // it (legislatures nest (1)(a)(i) or (a)(1)(A) as they please).
  std::vector<std::pair<char, std::string>> open;
  auto path = [&] {
    std::string p;
    if (!heading.empty()) p = heading.rfind("\xC2\xA7", 0) == 0 ? heading : "Sec. " + heading;
    for (const auto& [style, token] : open) p += "(" + token + ")";
    return p.empty() ? std::string("(preamble)") : p;
  };
  auto start_piece = [&](std::size_t at) {
    if (!out.empty()) out.back().end = at;
    out.push_back(TextSection{path(), at, text.size()});
  };
  start_piece(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool line_start = i == 0 || text[i - 1] == '\n';
    if ((line_start || (i >= 2 && text[i - 1] == ' ' && text[i - 2] == '.')) &&
        (c == 'S' || c == 's' || c == 'N' || c == '#' || c == '\xC2')) {
      std::size_t after = 0;
      std::string number = heading_at(lowered, i, after);
      // Mid-line, only "Sec. 2. The ..." is a heading, not a citation ("U.S.C. Sec. 1400 et").
      bool heading_like = line_start || (c != 's' && after < text.size() &&
                                         (text[after] == '.' || text[after] == ':'));
      if (!number.empty() && heading_like) {
        heading = lowered.compare(i, 2, "\xC2\xA7") == 0 ? "\xC2\xA7 " + number : number;
        open.clear();
        start_piece(i);
        i = after - 1;
        continue;
      }
    }
    // Administrative codes number their subdivisions "8.1", "8.1.2.1" at the start of a
    // line (DE, WY, IA rules): a heading whose depth is its number of dots.
    if (line_start && std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t end = i;
      int dots = 0;
      while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) ||
                                   (text[end] == '.' && end + 1 < text.size() &&
                                    std::isdigit(static_cast<unsigned char>(text[end + 1]))))) {
        dots += text[end] == '.';
        ++end;
      }
      if (dots > 0 && end < text.size() && text[end] == ' ' && end - i <= 16) {
        heading = std::string(text.substr(i, end - i));
        open.clear();
        start_piece(i);
        i = end - 1;
        continue;
      }
    }
    std::string_view token;
    std::size_t token_end = 0;
    if (c == '(' && at_boundary(text, i)) {
      std::size_t close = text.find(')', i + 1);
      if (close != std::string_view::npos && close - i <= 6) {
        token = text.substr(i + 1, close - i - 1);
        token_end = close + 1;
      }
    } else if ((line_start || text[i - 1] == ' ') && ascii_alnum(c)) {
      // "a. The staff ...", "2. Prohibited ...", "iii.(A) Until ...": up to four letters or
      // digits, a dot, then a capital, a parenthesis or a quote (asked first: most words are
      // not enumerators), at a boundary.
      std::size_t dot = i;
      while (dot < text.size() && dot - i <= 4 && ascii_alnum(text[dot])) ++dot;
      if (dot >= text.size() || text[dot] != '.' || dot - i > 4) continue;
      std::size_t next = dot + 1;
      bool spaced = next < text.size() && (text[next] == ' ' || text[next] == '(');
      while (next < text.size() && text[next] == ' ') ++next;
      if (next < text.size() && spaced &&
          (std::isupper(static_cast<unsigned char>(text[next])) || text[next] == '(' ||
           text[next] == '"' || text[next] == '\xE2') &&
          (line_start || at_boundary(text, i))) {
        token = text.substr(i, dot - i);
        token_end = dot + 1;
      }
    }
    if (token.empty()) continue;
    char style = style_of(token, open);
    if (style == 0) continue;
    auto same =
        std::find_if(open.begin(), open.end(), [&](const auto& o) { return o.first == style; });
    open.erase(same, open.end());
    open.emplace_back(style, std::string(token));
    start_piece(i);
    i = token_end - 1;
  }
  std::vector<TextSection> kept;
  for (auto& piece : out) {
    if (piece.end > piece.start) kept.push_back(std::move(piece));
  }
  return kept;
}

}  // namespace billwatch::analysis::detail

namespace billwatch::analysis {

std::vector<TextSection> split_sections(std::string_view text) {
  return detail::split_sections(text, detail::lower_ascii(text));
}

}  // namespace billwatch::analysis
