// HTML to text on arbitrary bytes: must never crash, hang or overflow the stack.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billwatch/crawler/html_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view html(reinterpret_cast<const char*>(data), size);
  auto result = billwatch::crawler::html_to_text(html);
  if (result) {
    // The output is text: no markup survives a tag we know.
    volatile std::size_t n = result.value().text.size() + result.value().title.size();
    (void)n;
  }
  return 0;
}
