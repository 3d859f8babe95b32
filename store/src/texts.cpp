#include "texts.hpp"

#include <stdexcept>

#include "billwatch/core/hash.hpp"
#include "codec.hpp"

namespace billwatch::store::detail {

namespace {

std::int64_t intern_paragraph(StatementCache& statements, std::string_view paragraph) {
  std::string hash = sha256_bytes(paragraph);
  {
    Prepared find = statements.prepare("SELECT id FROM paragraphs WHERE hash = ?");
    find->bind(1, hash.data(), static_cast<int>(hash.size()));
    if (find->executeStep()) return find->getColumn(0).getInt64();
  }
  std::string compressed = compress(paragraph);
  Prepared insert = statements.prepare("INSERT INTO paragraphs (hash, zstd, body) VALUES (?, ?, ?)");
  insert->bind(1, hash.data(), static_cast<int>(hash.size()));
  insert->bind(2, compressed.empty() ? 0 : 1);
  const std::string_view body = compressed.empty() ? paragraph : std::string_view(compressed);
  insert->bind(3, body.data(), static_cast<int>(body.size()));
  insert->exec();
  std::int64_t id = statements.db().getLastInsertRowid();
  Prepared index = statements.prepare("INSERT INTO paragraph_fts (rowid, body) VALUES (?, ?)");
  index->bind(1, id);
  index->bind(2, paragraph.data(), static_cast<int>(paragraph.size()));
  index->exec();
  return id;
}

void note_bill(StatementCache& statements, const std::vector<std::int64_t>& paragraph_ids,
               const std::string& bill_id) {
  Prepared note = statements.prepare(
      "INSERT OR IGNORE INTO paragraph_bills (paragraph_id, bill_id) VALUES (?, ?)");
  for (std::int64_t id : paragraph_ids) {
    note->bind(1, id);
    note->bind(2, bill_id);
    note->exec();
    note->reset();
  }
}

}  // namespace

std::int64_t intern_text(StatementCache& statements, const std::string& bill_id,
                         std::string_view text, const std::string& hash) {
  std::int64_t text_id = 0;
  std::vector<std::int64_t> paragraph_ids;
  {
    Prepared find = statements.prepare("SELECT id, paragraphs FROM texts WHERE hash = ?");
    find->bind(1, hash);
    if (find->executeStep()) {
      text_id = find->getColumn(0).getInt64();
      const auto& column = find->getColumn(1);
      paragraph_ids =
          decode_ids(std::string_view(static_cast<const char*>(column.getBlob()),
                                      static_cast<std::size_t>(column.getBytes())));
    }
  }
  if (text_id == 0) {
    for (std::string_view paragraph : split_paragraphs(text)) {
      paragraph_ids.push_back(intern_paragraph(statements, paragraph));
    }
    std::string list = encode_ids(paragraph_ids);
    Prepared insert =
        statements.prepare("INSERT INTO texts (hash, chars, paragraphs) VALUES (?, ?, ?)");
    insert->bind(1, hash);
    insert->bind(2, static_cast<std::int64_t>(text.size()));
    insert->bind(3, list.data(), static_cast<int>(list.size()));
    insert->exec();
    text_id = statements.db().getLastInsertRowid();
  }
  note_bill(statements, paragraph_ids, bill_id);
  return text_id;
}

std::vector<std::int64_t> text_paragraph_ids(StatementCache& statements, std::int64_t text_id) {
  Prepared q = statements.prepare("SELECT paragraphs FROM texts WHERE id = ?");
  q->bind(1, text_id);
  if (!q->executeStep()) throw std::runtime_error("text " + std::to_string(text_id) + " is missing");
  const auto& column = q->getColumn(0);
  return decode_ids(std::string_view(static_cast<const char*>(column.getBlob()),
                                     static_cast<std::size_t>(column.getBytes())));
}

std::string load_paragraph(StatementCache& statements, std::int64_t paragraph_id) {
  Prepared q = statements.prepare("SELECT zstd, body FROM paragraphs WHERE id = ?");
  q->bind(1, paragraph_id);
  if (!q->executeStep()) {
    throw std::runtime_error("paragraph " + std::to_string(paragraph_id) + " is missing");
  }
  const auto& body = q->getColumn(1);
  std::string_view bytes(static_cast<const char*>(body.getBlob()),
                         static_cast<std::size_t>(body.getBytes()));
  return q->getColumn(0).getInt() != 0 ? decompress(bytes) : std::string(bytes);
}

std::string load_text(StatementCache& statements, std::int64_t text_id) {
  std::vector<std::string> paragraphs;
  for (std::int64_t id : text_paragraph_ids(statements, text_id)) {
    paragraphs.push_back(load_paragraph(statements, id));
  }
  std::string text = join_paragraphs(paragraphs);
  Prepared q = statements.prepare("SELECT hash FROM texts WHERE id = ?");
  q->bind(1, text_id);
  q->executeStep();
  if (sha256_hex(text) != q->getColumn(0).getString()) {
    throw std::runtime_error("text " + std::to_string(text_id) +
                             " does not match its SHA-256: the database is damaged");
  }
  return text;
}

}  // namespace billwatch::store::detail
