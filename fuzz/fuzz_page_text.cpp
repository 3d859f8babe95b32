// Content-type dispatch, charset detection and conversion, then text extraction. The first
// byte picks the declared Content-Type, the rest is the body.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "billwatch/crawler/page_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<std::string_view, 8> k_types = {"",
                                                              "text/html",
                                                              "text/html; charset=utf-8",
                                                              "text/html; charset=windows-1252",
                                                              "text/html; charset=iso-2022-jp",
                                                              "text/markdown; charset=utf-8",
                                                              "text/plain; charset=utf-16",
                                                              "application/octet-stream"};
  if (size == 0) return 0;
  std::string_view type = k_types[data[0] % k_types.size()];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  (void)billwatch::crawler::page_to_text(body, type, "http://fuzz.invalid/page");
  return 0;
}
