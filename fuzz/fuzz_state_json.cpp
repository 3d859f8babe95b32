// The state services' JSON: LegiScan getBill, list and text answers (base64 documents),
// Open States API pages and scraper objects, and the state bill identity they feed.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billwatch/sources/legiscan/legiscan.hpp"
#include "billwatch/sources/openstates/openstates.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace billwatch::sources;
  if (auto bill = parse_legiscan_bill(text)) (void)bill.value().bill();
  (void)parse_legiscan_list(text);
  (void)parse_legiscan_text(text);
  if (auto page = parse_openstates_page(text)) {
    for (const auto& bill : page.value().bills) (void)bill.content_hash();
  }
  if (auto bill = parse_openstates_scrape(text, "AL")) {
    (void)bill.value().bill();
    (void)bill.value().content_hash();
  }
  return 0;
}
