#include "codec.hpp"

#include <zstd.h>

#include <algorithm>
#include <memory>
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
    // Wrapping arithmetic: defined for any ids, and exactly undone by decode_ids.
    auto delta = static_cast<std::int64_t>(static_cast<std::uint64_t>(id) -
                                           static_cast<std::uint64_t>(previous));
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
    previous = static_cast<std::int64_t>(static_cast<std::uint64_t>(previous) +
                                         static_cast<std::uint64_t>(delta));
    out.push_back(previous);
  }
  return out;
}

std::string compress(std::string_view bytes) {
  // Level 6: close to the best ratio on bill text at a fraction of level 9's time, which
  // the first crawl of a thousand bills pays for every page.
  constexpr int k_level = 6;
  std::string out(ZSTD_compressBound(bytes.size()), '\0');
  std::size_t size = ZSTD_compress(out.data(), out.size(), bytes.data(), bytes.size(), k_level);
  if (ZSTD_isError(size) || size * 10 > bytes.size() * 9) return {};
  out.resize(size);
  return out;
}

std::string decompress(std::string_view frame) {
  // Streamed into a growing buffer, so a damaged frame claiming a huge size costs nothing
  // until it delivers the bytes; a pack is never more than one text's new paragraphs.
  constexpr std::size_t k_max_size = 256u << 20;
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> context(ZSTD_createDCtx(), ZSTD_freeDCtx);
  if (!context) throw std::runtime_error("zstd: out of memory");
  std::string out;
  ZSTD_inBuffer in{frame.data(), frame.size(), 0};
  std::size_t last = 1;
  while (true) {
    if (out.size() >= k_max_size) throw std::runtime_error("zstd: pack larger than 256 MiB");
    std::size_t used = out.size();
    out.resize(std::min(k_max_size, std::max<std::size_t>(used * 2, 64 * 1024)));
    ZSTD_outBuffer output{out.data() + used, out.size() - used, 0};
    last = ZSTD_decompressStream(context.get(), &output, &in);
    out.resize(used + output.pos);
    if (ZSTD_isError(last))
      throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(last));
    if (last == 0) break;  // the frame is complete
    if (in.pos == in.size && output.pos < output.size) {
      throw std::runtime_error("zstd: truncated frame");
    }
  }
  if (in.pos != in.size) throw std::runtime_error("zstd: bytes after the frame");
  return out;
}

}  // namespace billwatch::store::detail
