#include "billwatch/analysis/change_summary.hpp"

#include <cctype>
#include <map>
#include <string>

#include "words.hpp"

namespace billwatch::analysis {

namespace {

std::string shorten(std::string_view paragraph, std::size_t max_chars) {
  std::string out;
  for (char c : paragraph) out.push_back(c == '\n' ? ' ' : c);
  if (out.size() <= max_chars) return out;
  std::size_t cut = out.rfind(' ', max_chars);
  if (cut == std::string::npos || cut < max_chars / 2) cut = max_chars;
  // Never cut inside a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
  return out.substr(0, cut) + " …";
}

// Paragraphs of `a` that `b` lacks (as a multiset), in `a`'s order.
std::vector<std::string_view> missing_from(const std::vector<std::string_view>& a,
                                           const std::vector<std::string_view>& b) {
  std::map<std::string_view, int> available;
  for (auto p : b) ++available[p];
  std::vector<std::string_view> out;
  for (auto p : a) {
    auto it = available.find(p);
    if (it != available.end() && it->second > 0) {
      --it->second;
    } else {
      out.push_back(p);
    }
  }
  return out;
}

// Prose: long enough to say something, and mostly words. Breadcrumbs, link lists and
// headings are neither, and say little about what changed in the law.
bool is_prose(std::string_view paragraph) {
  if (paragraph.size() < 80) return false;
  std::size_t wordy = 0;
  for (char c : paragraph) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalpha(u) || c == ' ' || c == ',' || c == '.' || u >= 0x80) ++wordy;
  }
  return wordy * 10 >= paragraph.size() * 9;
}

// Samples favour prose; other paragraphs fill in when no prose is left.
std::vector<std::string> samples(const std::vector<std::string_view>& paragraphs,
                                 std::size_t max_samples, std::size_t sample_chars) {
  std::vector<std::string> out;
  for (bool prose : {true, false}) {
    for (auto p : paragraphs) {
      if (out.size() >= max_samples) return out;
      if (is_prose(p) == prose) out.push_back(shorten(p, sample_chars));
    }
  }
  return out;
}

}  // namespace

ChangeSummary summarize_change(std::string_view old_text, std::string_view new_text,
                               std::size_t max_samples, std::size_t sample_chars) {
  auto old_paragraphs = paragraphs_of(old_text);
  auto new_paragraphs = paragraphs_of(new_text);
  auto added = missing_from(new_paragraphs, old_paragraphs);
  auto removed = missing_from(old_paragraphs, new_paragraphs);

  ChangeSummary summary;
  summary.old_chars = old_text.size();
  summary.new_chars = new_text.size();
  summary.paragraphs_added = added.size();
  summary.paragraphs_removed = removed.size();
  summary.added_samples = samples(added, max_samples, sample_chars);
  summary.removed_samples = samples(removed, max_samples, sample_chars);
  return summary;
}

}  // namespace billwatch::analysis
