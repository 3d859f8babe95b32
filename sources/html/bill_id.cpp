#include "billwatch/sources/html/bill_id.hpp"

#include <cctype>

namespace billwatch::sources {

namespace {

// "https://host/a/b.html?x=1" -> "a-b-html-x-1"
std::string slug_of(const std::string& url) {
  std::size_t start = url.find("://");
  start = start == std::string::npos ? 0 : url.find('/', start + 3);
  std::string slug;
  if (start != std::string::npos) {
    for (std::size_t i = start; i < url.size() && url[i] != '#'; ++i) {
      auto c = static_cast<unsigned char>(url[i]);
      if (std::isalnum(c)) {
        slug.push_back(static_cast<char>(std::tolower(c)));
      } else if (!slug.empty() && slug.back() != '-') {
        slug.push_back('-');
      }
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.size() > 80) slug = slug.substr(slug.size() - 80);
  return slug.empty() ? "index" : slug;
}

}  // namespace

std::string bill_id_for(const config::SourceConfig& source, const std::string& url) {
  if (!source.bill_id.empty()) return source.bill_id;
  if (source.urls.size() == 1) return source.name;
  return source.name + "/" + slug_of(url);
}

}  // namespace billwatch::sources
