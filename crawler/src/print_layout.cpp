// Printed bills (PDF text layers, text renderings of them) carry layout that is not law.
// Removing it is part of turning a page into text: what billwatch stores, hashes and
// compares is the text without it, so a reprint of the same bill is not a new version.
#include "billwatch/crawler/print_layout.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

namespace billwatch::crawler {

namespace {

bool starts_enumerated(std::string_view line) {
  if (line.empty()) return false;
  if (line[0] == '(') return line.find(')') != std::string_view::npos && line.find(')') <= 6;
  for (std::string_view marker : {"Section ", "SECTION ", "Sec. ", "NEW SECTION"}) {
    if (line.rfind(marker, 0) == 0) return true;
  }
  return false;
}

std::string_view trim(std::string_view s) {
  std::size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  std::size_t last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

}  // namespace

std::string remove_print_layout(std::string_view text) {
  std::vector<std::string_view> lines;
  for (std::size_t from = 0; from <= text.size();) {
    std::size_t end = text.find('\n', from);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(trim(text.substr(from, end - from)));
    from = end + 1;
  }
  // Printed line numbers: "12 school district ..." on a good share of the lines.
  auto numbered = [](std::string_view line) {
    std::size_t digits = 0;
    while (digits < line.size() && digits < 3 &&
           std::isdigit(static_cast<unsigned char>(line[digits]))) {
      ++digits;
    }
    return digits > 0 && digits <= 2 && (digits == line.size() || line[digits] == ' ') ? digits : 0;
  };
  std::size_t non_empty = 0;
  std::size_t with_numbers = 0;
  for (auto line : lines) {
    if (line.empty()) continue;
    ++non_empty;
    with_numbers += numbered(line) > 0 ? 1 : 0;
  }
  if (non_empty == 0 || with_numbers * 10 < non_empty * 4) return std::string(text);

  // A numbered line with nothing on it is a paragraph break; an unnumbered empty line is
  // only the spacing of the print (PDF text layers double-space every line).
  std::vector<bool> breaks(lines.size(), false);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (std::size_t digits = numbered(lines[i])) {
      lines[i] = trim(lines[i].substr(digits));
      breaks[i] = lines[i].empty();
    }
  }
  // Running headers and footers: short lines repeated on many pages.
  std::map<std::string_view, int> repeats;
  for (auto line : lines) {
    if (!line.empty() && line.size() < 60) ++repeats[line];
  }
  std::string out;
  bool paragraph_open = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    bool header = !line.empty() && line.size() < 60 && repeats[line] >= 3;
    bool page_number = !line.empty() && std::all_of(line.begin(), line.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    if (header || page_number) continue;
    if (line.empty()) {
      if (breaks[i] && paragraph_open) {
        out += "\n\n";
        paragraph_open = false;
      }
      continue;
    }
    if (paragraph_open) {
      if (starts_enumerated(line)) {
        out += "\n";
      } else if (out.size() >= 2 && out.back() == '-' &&
                 std::isalpha(static_cast<unsigned char>(out[out.size() - 2])) &&
                 std::islower(static_cast<unsigned char>(line[0]))) {
        out.pop_back();  // "restrain-" + "ing" -> "restraining"
      } else {
        out += ' ';
      }
    }
    // Justified print spreads words apart: one space between words is enough.
    for (char ch : line) {
      if (ch == ' ' && !out.empty() && out.back() == ' ') continue;
      out += ch;
    }
    paragraph_open = true;
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace billwatch::crawler
