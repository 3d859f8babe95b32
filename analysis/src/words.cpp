#include "words.hpp"

#include <cctype>

namespace billwatch::analysis {

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  auto finish = [&] {
    while (!current.empty() &&
           (current.back() == '.' || current.back() == '-' || current.back() == '/')) {
      current.pop_back();
    }
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  };
  for (char raw : text) {
    auto c = static_cast<unsigned char>(raw);
    if (std::isalnum(c)) {
      current.push_back(static_cast<char>(std::tolower(c)));
    } else if ((c == '-' || c == '.' || c == '/') && !current.empty()) {
      current.push_back(static_cast<char>(c));
    } else {
      finish();
    }
  }
  finish();
  return words;
}

std::vector<std::string_view> paragraphs_of(std::string_view text) {
  std::vector<std::string_view> paragraphs;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find("\n\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view paragraph = text.substr(pos, end - pos);
    while (!paragraph.empty() && paragraph.front() == '\n') paragraph.remove_prefix(1);
    if (!paragraph.empty()) paragraphs.push_back(paragraph);
    pos = end + 2;
  }
  return paragraphs;
}

}  // namespace billwatch::analysis
