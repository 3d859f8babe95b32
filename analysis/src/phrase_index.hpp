#pragma once

// Phrase questions the analyzer asks of lower-cased text, and the index that answers most
// of them without a search.
#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <string>
#include <string_view>

namespace billwatch::analysis::detail {

using Phrases = std::initializer_list<std::string_view>;

// Which runs of four bytes occur in a text, so that a phrase with a run the text lacks is
// rejected without a search. The rules ask a few hundred phrases of every clause; most are absent,
// and this makes the analyzer about six times faster. Up to three texts (the whole text, a
// clause and its context) are indexed at a time, by the RAII guard below. Each index is a
// set of 2^16 bits (8 KiB, so that the hundreds of lookups per clause stay in the L1 cache),
// emptied again when its text is done with.
class BigramIndex {
 public:
  explicit BigramIndex(std::string_view text) : m_text(text) {
    m_slot = free_slot();
    if (m_slot == k_slots) return;  // not indexed: plain searches
    active()[m_slot] = this;
    fill(table(m_slot), text, true);
  }
  // The index of `lead + own` without reading it again: the items of one list share their
  // lead-in, whose own index is kept between them. (A phrase straddling the two parts is
  // missed; a lead-in ends with ':' and the item starts with its enumerator.)
  BigramIndex(std::string_view text, std::string_view lead, const BigramIndex& own)
      : m_text(text), m_own(&own) {
    m_slot = free_slot();
    if (m_slot == k_slots) return;
    active()[m_slot] = this;
    static thread_local std::string cached_lead;
    static thread_local bool lead_indexed = false;
    auto& bits = table(k_slots);  // the lead-in's table
    if (!lead_indexed || lead != cached_lead) {
      if (lead_indexed) fill(bits, cached_lead, false);
      cached_lead.assign(lead);
      fill(bits, cached_lead, true);
      lead_indexed = true;
    }
  }
  ~BigramIndex() {
    if (m_slot >= k_slots) return;
    active()[m_slot] = nullptr;
    if (!m_own) fill(table(m_slot), m_text, false);
  }
  BigramIndex(const BigramIndex&) = delete;
  BigramIndex& operator=(const BigramIndex&) = delete;

  // nullptr when `text` is not an indexed text (same bytes, same length).
  static const BigramIndex* of(std::string_view text) {
    for (const BigramIndex* index : active()) {
      if (index && index->m_text.data() == text.data() && index->m_text.size() == text.size()) {
        return index;
      }
    }
    return nullptr;
  }

  bool may_contain(std::string_view phrase) const {
    if (phrase.size() < 4) return true;
    if (m_own) return m_own->may_contain(phrase) || contains_all(table(k_slots), phrase);
    return contains_all(table(m_slot), phrase);
  }

 private:
  static constexpr std::size_t k_slots = 3;
  using Bits = std::array<std::uint64_t, 1024>;
  // Four bytes hashed into 16 bits: a collision only costs a search.
  static std::uint32_t quad(const char* p) {
    std::uint32_t x;
    std::memcpy(&x, p, sizeof x);
    return (x * 2654435761u) >> 16;
  }
  // Sets (or, when the text is done with, clears) the bit of every run of four bytes; all but
  // the shortest texts are cleared at once (8 KiB of stores costs less than hashing again).
  static void fill(Bits& bits, std::string_view text, bool set) {
    if (!set && text.size() > 64) {
      bits.fill(0);
      return;
    }
    for (std::size_t i = 0; i + 3 < text.size(); ++i) {
      std::uint32_t q = quad(text.data() + i);
      if (set) {
        bits[q >> 6] |= std::uint64_t{1} << (q & 63);
      } else {
        bits[q >> 6] = 0;
      }
    }
  }
  static bool contains_all(const Bits& bits, std::string_view phrase) {
    auto present = [&](const char* p) {
      std::uint32_t q = quad(p);
      return (bits[q >> 6] >> (q & 63)) & 1;
    };

    // The phrase's last four bytes first: they tell absent phrases apart most often.
    if (!present(phrase.data() + phrase.size() - 4)) return false;
    for (std::size_t i = 0; i + 4 < phrase.size(); ++i) {
      if (!present(phrase.data() + i)) return false;
    }
    return true;
  }
  static std::size_t free_slot() {
    std::size_t slot = 0;
    while (slot < k_slots && active()[slot] != nullptr) ++slot;
    return slot;
  }
  static std::array<const BigramIndex*, k_slots>& active();
  // One table per slot, and one for the current lead-in.
  static Bits& table(std::size_t slot);

  std::string_view m_text;
  const BigramIndex* m_own = nullptr;  // composite: the clause's own index
  std::size_t m_slot = k_slots;
};

// The indexes in use and their tables, per thread. constinit: every translation unit reads
// them directly, without the TLS wrapper call a dynamically initialised thread_local costs
// on each of the hundreds of questions per clause.
constinit inline thread_local std::array<const BigramIndex*, 3> g_active_indexes{};
constinit inline thread_local std::array<std::array<std::uint64_t, 1024>, 4> g_index_tables{};

inline std::array<const BigramIndex*, 3>& BigramIndex::active() {
  return g_active_indexes;
}
inline BigramIndex::Bits& BigramIndex::table(std::size_t slot) {
  return g_index_tables[slot];
}

inline bool has(std::string_view text, std::string_view phrase) {
  if (const BigramIndex* index = BigramIndex::of(text); index && !index->may_contain(phrase)) {
    return false;
  }
  // glibc's memmem (two-way, vectorised) beats find's memchr-then-memcmp on phrases that
  // start with common letters.
  return memmem(text.data(), text.size(), phrase.data(), phrase.size()) != nullptr;
}

// The text's index is looked up once for the whole list.
inline bool has_any(std::string_view text, Phrases phrases) {
  const BigramIndex* index = BigramIndex::of(text);
  for (auto p : phrases) {
    if (index && !index->may_contain(p)) continue;
    if (memmem(text.data(), text.size(), p.data(), p.size()) != nullptr) return true;
  }
  return false;
}

inline bool ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

inline std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  return out;
}

}  // namespace billwatch::analysis::detail
