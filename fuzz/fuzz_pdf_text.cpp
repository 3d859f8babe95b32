// PDF text extraction through poppler, in this process so the fuzzer sees it (billwatch
// itself runs it in a child process: crawler/isolated). poppler comes from Debian without
// coverage instrumentation, so the fuzzer's guidance is our code's; ASan still catches heap
// misuse inside poppler through its allocator. A small page limit keeps inputs fast.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billwatch/crawler/pdf_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)billwatch::crawler::pdf_to_text_in_process(bytes, 50);
  return 0;
}
