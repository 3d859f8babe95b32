// What the store reads back from its own blobs: paragraph-id lists and zstd packs. A
// damaged database must give an error, never a crash or a runaway allocation.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

#include "codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace billwatch::store::detail;
  try {
    auto ids = decode_ids(input);
    if (decode_ids(encode_ids(ids)) != ids) __builtin_trap();
  } catch (const std::runtime_error&) {
  }
  try {
    (void)decompress(input);
  } catch (const std::runtime_error&) {
  }
  std::string packed = compress(input);
  if (!packed.empty() && decompress(packed) != input) __builtin_trap();
  std::vector<std::string> parts;
  for (auto p : split_paragraphs(input)) parts.emplace_back(p);
  if (join_paragraphs(parts) != input) __builtin_trap();
  return 0;
}
