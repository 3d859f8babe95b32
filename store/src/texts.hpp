#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "statements.hpp"

// Content-addressed text storage. A text is a list of paragraphs; each distinct paragraph
// is stored once (zstd-compressed when that saves space) and indexed once for full-text
// search, and each distinct text once. Successive versions of a bill share most
// paragraphs, so a new version costs little more than what changed.
namespace billwatch::store::detail {

// A text as stored: its row and its identity. The hash is always computed here, from the
// exact bytes kept, so that every stored text reads back byte-identical with its hash.
struct StoredText {
  std::int64_t id = 0;
  std::string hash;  // SHA-256 (hex) of the text
};

// Stores `text` when no identical text is stored yet. Call inside a transaction.
StoredText intern_text(StatementCache& statements, std::string_view text);

// The stored text, rebuilt from its paragraphs and checked against its hash. Throws
// std::runtime_error naming the text when it is missing or does not match.
std::string load_text(StatementCache& statements, std::int64_t text_id);

// The stored text rebuilt from its paragraphs, not checked (for repairs and `check`).
// Throws std::runtime_error when a paragraph or pack is missing or damaged.
std::string rebuild_text(StatementCache& statements, std::int64_t text_id);

// The paragraph ids of a stored text, in order.
std::vector<std::int64_t> text_paragraph_ids(StatementCache& statements, std::int64_t text_id);

// One stored paragraph's text.
std::string load_paragraph(StatementCache& statements, std::int64_t paragraph_id);

}  // namespace billwatch::store::detail
