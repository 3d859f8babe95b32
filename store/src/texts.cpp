#include "texts.hpp"

#include <map>
#include <stdexcept>
#include <unordered_map>

#include "billwatch/core/hash.hpp"
#include "codec.hpp"

namespace billwatch::store::detail {

namespace {

std::string_view blob_of(const SQLite::Column& column) {
  return std::string_view(static_cast<const char*>(column.getBlob()),
                          static_cast<std::size_t>(column.getBytes()));
}

std::int64_t find_paragraph(StatementCache& statements, const std::string& hash) {
  Prepared find = statements.prepare("SELECT id FROM paragraphs WHERE hash = ?");
  find->bind(1, hash.data(), static_cast<int>(hash.size()));
  return find->executeStep() ? find->getColumn(0).getInt64() : 0;
}

// Stores the paragraphs of `text` that are new, all in one pack; returns every
// paragraph's id in order.
std::vector<std::int64_t> intern_paragraphs(StatementCache& statements, std::string_view text) {
  std::vector<std::string_view> paragraphs = split_paragraphs(text);
  std::vector<std::int64_t> ids(paragraphs.size(), 0);
  std::vector<std::string> hashes(paragraphs.size());
  // New paragraphs: first index of each distinct one, and its place in the pack.
  std::unordered_map<std::string, std::size_t> first_new;
  std::vector<std::size_t> new_order;
  std::string pack;
  std::vector<std::pair<std::size_t, std::size_t>> places;
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    hashes[i] = sha256_bytes(paragraphs[i]);
    ids[i] = find_paragraph(statements, hashes[i]);
    if (ids[i] != 0 || first_new.count(hashes[i])) continue;
    first_new[hashes[i]] = i;
    new_order.push_back(i);
    places.emplace_back(pack.size(), paragraphs[i].size());
    pack.append(paragraphs[i]);
  }
  if (!new_order.empty()) {
    std::string compressed = compress(pack);
    Prepared insert_pack = statements.prepare("INSERT INTO packs (zstd, body) VALUES (?, ?)");
    insert_pack->bind(1, compressed.empty() ? 0 : 1);
    const std::string& body = compressed.empty() ? pack : compressed;
    insert_pack->bind(2, body.data(), static_cast<int>(body.size()));
    insert_pack->exec();
    std::int64_t pack_id = statements.db().getLastInsertRowid();

    Prepared insert = statements.prepare(
        "INSERT INTO paragraphs (hash, pack_id, offset, length) VALUES (?, ?, ?, ?)");
    Prepared index = statements.prepare("INSERT INTO paragraph_fts (rowid, body) VALUES (?, ?)");
    for (std::size_t k = 0; k < new_order.size(); ++k) {
      std::size_t i = new_order[k];
      insert->bind(1, hashes[i].data(), static_cast<int>(hashes[i].size()));
      insert->bind(2, pack_id);
      insert->bind(3, static_cast<std::int64_t>(places[k].first));
      insert->bind(4, static_cast<std::int64_t>(places[k].second));
      insert->exec();
      insert->reset();
      ids[i] = statements.db().getLastInsertRowid();
      index->bind(1, ids[i]);
      index->bind(2, paragraphs[i].data(), static_cast<int>(paragraphs[i].size()));
      index->exec();
      index->reset();
    }
  }
  // Repeats of a new paragraph within the same text.
  for (std::size_t i = 0; i < paragraphs.size(); ++i) {
    if (ids[i] == 0) ids[i] = ids[first_new.at(hashes[i])];
  }
  return ids;
}

// Unpacked packs, kept while one text is rebuilt.
class PackCache {
 public:
  explicit PackCache(StatementCache& statements) : m_statements(statements) {}
  const std::string& unpacked(std::int64_t pack_id) {
    auto it = m_packs.find(pack_id);
    if (it != m_packs.end()) return it->second;
    Prepared q = m_statements.prepare("SELECT zstd, body FROM packs WHERE id = ?");
    q->bind(1, pack_id);
    if (!q->executeStep())
      throw std::runtime_error("pack " + std::to_string(pack_id) + " is missing");
    std::string_view body = blob_of(q->getColumn(1));
    std::string bytes = q->getColumn(0).getInt() != 0 ? decompress(body) : std::string(body);
    return m_packs.emplace(pack_id, std::move(bytes)).first->second;
  }

  std::string paragraph(std::int64_t paragraph_id) {
    std::int64_t pack_id = 0;
    std::size_t offset = 0;
    std::size_t length = 0;
    {
      Prepared q =
          m_statements.prepare("SELECT pack_id, offset, length FROM paragraphs WHERE id = ?");
      q->bind(1, paragraph_id);
      if (!q->executeStep()) {
        throw std::runtime_error("paragraph " + std::to_string(paragraph_id) + " is missing");
      }
      pack_id = q->getColumn(0).getInt64();
      offset = static_cast<std::size_t>(q->getColumn(1).getInt64());
      length = static_cast<std::size_t>(q->getColumn(2).getInt64());
    }
    const std::string& pack = unpacked(pack_id);
    if (offset > pack.size() || length > pack.size() - offset) {
      throw std::runtime_error("paragraph " + std::to_string(paragraph_id) +
                               " lies outside its pack: the database is damaged");
    }
    return pack.substr(offset, length);
  }

 private:
  StatementCache& m_statements;
  std::map<std::int64_t, std::string> m_packs;
};

}  // namespace

StoredText intern_text(StatementCache& statements, std::string_view text) {
  const std::string hash = sha256_hex(text);
  std::int64_t text_id = 0;
  std::vector<std::int64_t> paragraph_ids;
  {
    Prepared find = statements.prepare("SELECT id, paragraphs FROM texts WHERE hash = ?");
    find->bind(1, hash);
    if (find->executeStep()) {
      text_id = find->getColumn(0).getInt64();
      paragraph_ids = decode_ids(blob_of(find->getColumn(1)));
    }
  }
  if (text_id == 0) {
    paragraph_ids = intern_paragraphs(statements, text);
    std::string list = encode_ids(paragraph_ids);
    Prepared insert =
        statements.prepare("INSERT INTO texts (hash, chars, paragraphs) VALUES (?, ?, ?)");
    insert->bind(1, hash);
    insert->bind(2, static_cast<std::int64_t>(text.size()));
    insert->bind(3, list.data(), static_cast<int>(list.size()));
    insert->exec();
    text_id = statements.db().getLastInsertRowid();
  }
  return StoredText{text_id, hash};
}

std::vector<std::int64_t> text_paragraph_ids(StatementCache& statements, std::int64_t text_id) {
  Prepared q = statements.prepare("SELECT paragraphs FROM texts WHERE id = ?");
  q->bind(1, text_id);
  if (!q->executeStep())
    throw std::runtime_error("text " + std::to_string(text_id) + " is missing");
  return decode_ids(blob_of(q->getColumn(0)));
}

std::string load_paragraph(StatementCache& statements, std::int64_t paragraph_id) {
  return PackCache(statements).paragraph(paragraph_id);
}

std::string rebuild_text(StatementCache& statements, std::int64_t text_id) {
  PackCache packs(statements);
  std::vector<std::string> paragraphs;
  for (std::int64_t id : text_paragraph_ids(statements, text_id)) {
    paragraphs.push_back(packs.paragraph(id));
  }
  return join_paragraphs(paragraphs);
}

std::string load_text(StatementCache& statements, std::int64_t text_id) {
  std::string text = rebuild_text(statements, text_id);
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
