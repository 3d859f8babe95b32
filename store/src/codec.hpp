#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// How texts are laid out in the database: paragraphs, paragraph-id lists, compression.
// Pure functions.
namespace billwatch::store::detail {

// The paragraphs of a text: the pieces between "\n\n". Joining them with "\n\n" gives the
// text back byte for byte, whatever the text is (so a stored text can always be rebuilt
// and checked against its hash).
std::vector<std::string_view> split_paragraphs(std::string_view text);
std::string join_paragraphs(const std::vector<std::string>& paragraphs);

// A list of ids as zigzag-encoded deltas in LEB128 varints: the ids of a new text's
// paragraphs are mostly consecutive, so most take one byte.
std::string encode_ids(const std::vector<std::int64_t>& ids);
// Throws std::runtime_error for a truncated or overlong encoding.
std::vector<std::int64_t> decode_ids(std::string_view bytes);

// zstd. compress() returns "" when compression would not save at least a tenth, and
// the caller then stores the bytes as they are.
std::string compress(std::string_view bytes);
// Throws std::runtime_error for data that is not a valid zstd frame.
std::string decompress(std::string_view frame);

}  // namespace billwatch::store::detail
