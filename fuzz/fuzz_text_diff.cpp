// The section-aware word diff and its renderers. The input is split at its first NUL into
// the old and the new text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billwatch/analysis/text_diff.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // dtl's edit script is O((N+M)·D): bound the texts as page_text bounds pages.
  if (size > 64 * 1024) return 0;
  std::size_t nul = input.find('\0');
  std::string_view old_text = input.substr(0, nul);
  std::string_view new_text = nul == std::string_view::npos ? "" : input.substr(nul + 1);
  auto sections = billwatch::analysis::diff_sections(old_text, new_text);
  (void)billwatch::analysis::render_diff_text(sections, true);
  (void)billwatch::analysis::render_diff_html(sections);
  return 0;
}
