#include "codec.hpp"

#include <zstd.h>

#include <stdexcept>

namespace billwatch::store::detail {

std::vector<std::string_view> split_paragraphs(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t from = 0;
  while (true) {
    std::size_t at = text.find("\n\n", from);
    if (at == std::string_view::npos) {
      out.push_back(text.substr(from));
      return out;
    }
    out.push_back(text.substr(from, at - from));
    from = at + 2;
  }
}

std::string join_paragraphs(const std::vector<std::string>& paragraphs) {
  std::string out;
  std::size_t size = 0;
  for (const auto& p : paragraphs) size += p.size() + 2;
  out.reserve(size);
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    if (i > 0) out += "\n\n";
    out += paragraphs[i];
  }
  return out;
}

std::string encode_ids(const std::vector<std::int64_t>& ids) {
  std::string out;
  std::int64_t previous = 0;
  for (std::int64_t id : ids) {
    std::int64_t delta = id - previous;
    previous = id;
    auto zigzag =
        (static_cast<std::uint64_t>(delta) << 1) ^ static_cast<std::uint64_t>(delta >> 63);
    do {
      auto byte = static_cast<unsigned char>(zigzag & 0x7F);
      zigzag >>= 7;
      if (zigzag != 0) byte |= 0x80;
      out.push_back(static_cast<char>(byte));
    } while (zigzag != 0);
  }
  return out;
}

std::vector<std::int64_t> decode_ids(std::string_view bytes) {
  std::vector<std::int64_t> out;
  std::int64_t previous = 0;
  std::size_t i = 0;
  while (i < bytes.size()) {
    std::uint64_t zigzag = 0;
    int shift = 0;
    while (true) {
      if (i >= bytes.size()) throw std::runtime_error("truncated paragraph list");
      if (shift > 63) throw std::runtime_error("overlong varint in paragraph list");
      auto byte = static_cast<unsigned char>(bytes[i++]);
      zigzag |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      shift += 7;
      if ((byte & 0x80) == 0) break;
    }
    auto delta = static_cast<std::int64_t>((zigzag >> 1) ^ (~(zigzag & 1) + 1));
    previous += delta;
    out.push_back(previous);
  }
  return out;
}

std::string compress(std::string_view bytes) {
  // Level 9: versions are written once and read many times; paragraphs are small.
  constexpr int k_level = 9;
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  std::size_t size = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), k_level);
  if (ZSTD_isError(size) || size * 10 > bytes.size() * 9) return {};
  out.resize(size);
  return out;
}

std::string decompress(std::string_view frame) {
  unsigned long long size = ZSTD_getFrameContentSize(frame.data(), frame.size());
  if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > (1ull << 31)) {
    throw std::runtime_error("not a zstd frame with a known size");
  }
  std::string out(static_cast<std::size_t>(size), '\0');
  std::size_t got = ZSTD_decompress(out.data(), out.size(), frame.data(), frame.size());
  if (ZSTD_isError(got) || got != out.size()) {
    throw std::runtime_error(std::string("zstd: ") +
                             (ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short frame"));
  }
  return out;
}

}  // namespace billwatch::store::detail
