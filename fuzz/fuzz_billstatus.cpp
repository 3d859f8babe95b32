// govinfo BILLSTATUS parsing (pugixml) on hostile XML.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billwatch/sources/congress/billstatus.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto status = billwatch::sources::parse_billstatus(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (status) (void)billwatch::sources::federal_stage(status.value().actions);
  return 0;
}
