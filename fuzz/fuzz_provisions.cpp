// The provision analyzer on hostile text: printed-layout cleanup, section splitting, the
// rules, and the provision diff between the input's two halves (split at the first NUL).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "billwatch/analysis/provisions.hpp"
#include "billwatch/crawler/print_layout.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t nul = input.find('\0');
  std::string first = billwatch::crawler::remove_print_layout(input.substr(0, nul));
  std::string second = billwatch::crawler::remove_print_layout(
      nul == std::string_view::npos ? std::string_view() : input.substr(nul + 1));
  auto a = billwatch::analysis::analyze_provisions(first);
  auto b = billwatch::analysis::analyze_provisions(second);
  for (const auto& p : a.provisions) {
    // Every excerpt lies inside the analysed text.
    if (p.start > p.end || p.end > first.size()) __builtin_trap();
  }
  (void)billwatch::analysis::diff_provisions(a.provisions, b.provisions);
  (void)billwatch::analysis::split_sections(first);
  return 0;
}
