// The web side, whole: a page's title and text (what an outsider writes) are stored as a
// bill, then the site answers a fuzzed request target beside its fixed pages. What must
// always hold: nothing throws and nothing is a 500 (bad input is a 400 or a 404); no page
// or feed carries a <script> element or a javascript: link, whatever the bill said (the
// JSON API carries it as a string).
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "billwatch/store/store.hpp"
#include "billwatch/web/site.hpp"

namespace {

void check(const billwatch::web::Response& r, const std::string& target) {
  if (r.status == 500) throw std::logic_error("500 for " + target);
  // JSON carries what the page said as data (served as application/json with nosniff);
  // markup is what must never carry it as markup.
  if (r.content_type.rfind("application/json", 0) == 0) return;
  if (r.body.find("<script") != std::string::npos) throw std::logic_error("<script> in " + target);
  if (r.body.find("href=\"javascript") != std::string::npos) {
    throw std::logic_error("javascript: link in " + target);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace billwatch;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // "title \x00 text \x00 target"
  std::size_t first = input.find('\0');
  std::size_t second = first == std::string_view::npos ? first : input.find('\0', first + 1);
  std::string title(input.substr(0, first));
  std::string text = first == std::string_view::npos
                         ? std::string("No school may place a student in seclusion.")
                         : std::string(input.substr(first + 1, second - first - 1));
  std::string target =
      second == std::string_view::npos ? "/" : std::string(input.substr(second + 1));

  store::Store db = store::Store::open_in_memory();
  store::NewVersion v;
  v.bill.id = "OR-2025-SB-9";
  v.bill.jurisdiction = "OR";
  v.bill.title = title;
  v.bill.url = title;  // a URL the page chose
  v.text = text;
  v.label = title;
  v.provenance.url = title;
  db.save_version(v, 1000);
  web::SiteOptions options;
  options.base_url = "https://alerts.example.org";
  options.link_secret = "secret";
  web::Site site(db, db, options);
  for (const std::string& t : {target, std::string("/"), std::string("/bills/OR-2025-SB-9"),
                               std::string("/bills/OR-2025-SB-9/versions/1"),
                               std::string("/feeds/all.atom"), std::string("/api/v1/events")}) {
    std::string error;
    web::Request request{"GET", t, "", "", "f", ""};
    web::Response response = site.handle(request, &error);
    if (!error.empty()) throw std::logic_error(error + " (for " + t + ")");
    check(response, t);
  }
  return 0;
}
