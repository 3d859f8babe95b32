// Charset detection and conversion on their own (fuzz_page_text reaches them through the
// whole page pipeline, at a fraction of the speed): the Content-Type parameter, the <meta>
// sniffer, the UTF-8 validator and iconv decoding. The first byte picks the charset; with
// a high first byte the charset name is read from the Content-Type parsed out of the input.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "billwatch/crawler/charset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static constexpr std::array<const char*, 10> k_charsets = {
      "utf-8",   "windows-1252", "iso-8859-1", "iso-2022-jp", "shift_jis",
      "gb18030", "big5",         "utf-16",     "utf-16le",    "koi8-r"};
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  namespace crawler = billwatch::crawler;
  std::string from_header = crawler::charset_from_content_type(body.substr(0, 200));
  std::string from_meta = crawler::sniff_meta_charset(body);
  (void)crawler::find_invalid_utf8(body);
  std::string charset = data[0] < 0xF0       ? k_charsets[data[0] % k_charsets.size()]
                        : !from_meta.empty() ? from_meta
                                             : from_header;
  if (charset.empty()) return 0;
  auto decoded = crawler::decode_to_utf8(body, charset);
  if (decoded && crawler::find_invalid_utf8(decoded.value().text) != std::string_view::npos) {
    __builtin_trap();  // the decoder must only ever produce valid UTF-8
  }
  return 0;
}
