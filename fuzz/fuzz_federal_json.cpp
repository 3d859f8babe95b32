// The keyed federal APIs' JSON answers (api.congress.gov lists, actions and text
// versions; api.govinfo.gov collections) and the bounded JSON reader under them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billwatch/sources/congress/congress_api.hpp"
#include "billwatch/sources/congress/govinfo.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace billwatch::sources;
  if (auto list = parse_congress_bill_list(text)) {
    for (const auto& bill : list.value().items) (void)bill.bill_id();
  }
  if (auto actions = parse_congress_actions(text)) {
    auto items = actions.value().items;
    (void)federal_stage(items);
    keep_stage_moves(items);
  }
  if (auto versions = parse_congress_text_versions(text)) {
    for (const auto& version : versions.value().items) {
      (void)text_files("https://www.govinfo.gov", version.url);
    }
  }
  if (auto packages = parse_govinfo_collection(text)) {
    for (const auto& package : packages.value().items) {
      (void)parse_billstatus_name(package.package_id + ".xml");
    }
  }
  return 0;
}
