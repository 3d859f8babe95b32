// The provision analyzer: sections with citation paths, then rules per category over each
// clause (with its list lead-in), following docs/provision-taxonomy.md. Every rule is a
// set of phrase cues on lower-cased text; the comments name the taxonomy rule they follow.
#include "billwatch/analysis/provisions.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>

#include "billwatch/analysis/relevance.hpp"

namespace billwatch::analysis {

const std::vector<std::string>& provision_categories() {
  static const std::vector<std::string> k_categories = {"definition",
                                                        "use_conditions",
                                                        "prone_restraint_ban",
                                                        "mechanical_restraint_ban",
                                                        "chemical_restraint_ban",
                                                        "seclusion_ban",
                                                        "seclusion_conditions",
                                                        "aversive_ban",
                                                        "no_punitive_use",
                                                        "parent_notification",
                                                        "incident_reporting",
                                                        "debriefing",
                                                        "data_reporting",
                                                        "staff_training",
                                                        "oversight_enforcement",
                                                        "scope",
                                                        "permissive_use"};
  return k_categories;
}

std::vector<std::string> ProvisionAnalysis::categories() const {
  std::vector<std::string> out;
  for (const auto& category : provision_categories()) {
    for (const auto& p : provisions) {
      if (p.category == category) {
        out.push_back(category);
        break;
      }
    }
  }
  return out;
}

namespace {

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
  static std::array<const BigramIndex*, k_slots>& active() {
    static thread_local std::array<const BigramIndex*, k_slots> slots{};
    return slots;
  }
  // One table per slot, and one for the current lead-in.
  static Bits& table(std::size_t slot) {
    static thread_local std::array<Bits, k_slots + 1> tables{};
    return tables[slot];
  }

  std::string_view m_text;
  const BigramIndex* m_own = nullptr;  // composite: the clause's own index
  std::size_t m_slot = k_slots;
};

bool has(std::string_view text, std::string_view phrase) {
  if (const BigramIndex* index = BigramIndex::of(text); index && !index->may_contain(phrase)) {
    return false;
  }
  // glibc's memmem (two-way, vectorised) beats find's memchr-then-memcmp on phrases that
  // start with common letters.
  return memmem(text.data(), text.size(), phrase.data(), phrase.size()) != nullptr;
}

bool has_any(std::string_view text, Phrases phrases) {
  for (auto p : phrases) {
    if (has(text, p)) return true;
  }
  return false;
}

bool ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
  return out;
}

// ---- Sections ---------------------------------------------------------------------------

// i to xxxix: Wyoming's school-board duties run to (xxxix).
bool is_roman(std::string_view token) {
  static const std::array<std::string_view, 10> k_units = {"",  "i",  "ii",  "iii",  "iv",
                                                           "v", "vi", "vii", "viii", "ix"};
  std::size_t tens = 0;
  while (tens < 3 && tens < token.size() && token[tens] == 'x') ++tens;
  std::string_view units = token.substr(tens);
  return !token.empty() && std::find(k_units.begin(), k_units.end(), units) != k_units.end();
}

bool all_of(std::string_view s, int (*predicate)(int)) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) {
    return predicate(static_cast<unsigned char>(c)) != 0;
  });
}

// The numbering style of an enumerator: 'd' digits, 'a' lower letters, 'i' lower roman,
// 'A' upper letters, 'I' upper roman; 0 when the token is not an enumerator. (i), (v) and
// (x) are letters right after (h), (u) and (w), roman numerals otherwise when a letter
// level is open.
char style_of(std::string_view token, const std::vector<std::pair<char, std::string>>& open) {
  if (token.empty() || token.size() > 5) return 0;
  if (all_of(token, isdigit)) return token.size() <= 3 ? 'd' : 0;
  bool lower = all_of(token, islower);
  bool upper = all_of(token, isupper);
  if (!lower && !upper) return 0;
  std::string lowered = lower_ascii(token);
  char letter = lower ? 'a' : 'A';
  char roman = lower ? 'i' : 'I';
  if (!is_roman(lowered))
    return token.size() == 1 || (token.size() == 2 && token[0] == token[1]) ? letter : 0;
  if (token.size() > 1) return roman;
  for (auto it = open.rbegin(); it != open.rend(); ++it) {
    if (it->first == roman) return roman;
    if (it->first == letter) {
      // After (h) comes the letter (i); otherwise a roman numeral under the letter.
      return it->second.size() == 1 && it->second[0] + 1 == token[0] ? letter : roman;
    }
  }
  return token == "i" || token == "I" ? roman : letter;
}

// A section heading at `pos` ("sec. 3", "section 3", "§ 3", "new section. sec. 3"): its
// number, and where the heading's number ends; "" when there is none.
std::string heading_at(std::string_view lowered, std::size_t pos, std::size_t& after) {
  std::string_view rest = lowered.substr(pos);
  std::size_t skip = 0;
  while (skip < rest.size() && (rest[skip] == '#' || rest[skip] == ' ')) ++skip;
  rest.remove_prefix(skip);
  if (rest.rfind("new section.", 0) == 0) {
    skip += 12;
    rest.remove_prefix(12);
    while (!rest.empty() && rest.front() == ' ') {
      rest.remove_prefix(1);
      ++skip;
    }
  }
  for (std::string_view marker : {"section ", "sec. ", "\xC2\xA7 ", "\xC2\xA7"}) {
    if (rest.rfind(marker, 0) != 0) continue;
    std::size_t i = marker.size();
    std::size_t start = i;
    while (i < rest.size() &&
           (std::isalnum(static_cast<unsigned char>(rest[i])) || rest[i] == '-' ||
            (rest[i] == '.' && i + 1 < rest.size() &&
             std::isdigit(static_cast<unsigned char>(rest[i + 1]))))) {
      ++i;
    }
    if (i == start || !std::isdigit(static_cast<unsigned char>(rest[start]))) return {};
    after = pos + skip + i;
    return std::string(rest.substr(start, i - start));
  }
  return {};
}

// Whether position `pos` may start a subdivision: the start of the text or a line, or after
// the end of a sentence, a colon, a semicolon, a dash or another enumerator.
bool at_boundary(std::string_view text, std::size_t pos) {
  std::size_t i = pos;
  while (i > 0 && text[i - 1] == ' ') --i;
  if (i == 0) return true;
  char c = text[i - 1];
  if (c == '\n' || c == ':' || c == ';' || c == ')') return true;
  // "...students. (b)", "is prohibited.(b)"; not "U.S.C.(a)" (a capital before the dot).
  if (c == '.') return i < pos || (i >= 2 && std::islower(static_cast<unsigned char>(text[i - 2])));
  // An em dash (E2 80 94).
  if (c == '\x94' && i >= 3 && text[i - 3] == '\xE2' && text[i - 2] == '\x80') return true;
  return false;
}

}  // namespace

namespace {
std::vector<TextSection> split_sections(std::string_view text, const std::string& lowered);
}  // namespace

std::vector<TextSection> split_sections(std::string_view text) {
  return split_sections(text, lower_ascii(text));
}

namespace {

std::vector<TextSection> split_sections(std::string_view text, const std::string& lowered) {
  std::vector<TextSection> out;
  std::string heading;
  // The open subdivisions, outermost first: a style already open closes everything inside
  // it (legislatures nest (1)(a)(i) or (a)(1)(A) as they please).
  std::vector<std::pair<char, std::string>> open;
  auto path = [&] {
    std::string p;
    if (!heading.empty()) p = heading.rfind("\xC2\xA7", 0) == 0 ? heading : "Sec. " + heading;
    for (const auto& [style, token] : open) p += "(" + token + ")";
    return p.empty() ? std::string("(preamble)") : p;
  };
  auto start_piece = [&](std::size_t at) {
    if (!out.empty()) out.back().end = at;
    out.push_back(TextSection{path(), at, text.size()});
  };
  start_piece(0);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool line_start = i == 0 || text[i - 1] == '\n';
    if ((line_start || (i >= 2 && text[i - 1] == ' ' && text[i - 2] == '.')) &&
        (c == 'S' || c == 's' || c == 'N' || c == '#' || c == '\xC2')) {
      std::size_t after = 0;
      std::string number = heading_at(lowered, i, after);
      // Mid-line, only "Sec. 2. The ..." is a heading, not a citation ("U.S.C. Sec. 1400 et").
      bool heading_like = line_start || (c != 's' && after < text.size() &&
                                         (text[after] == '.' || text[after] == ':'));
      if (!number.empty() && heading_like) {
        heading = lowered.compare(i, 2, "\xC2\xA7") == 0 ? "\xC2\xA7 " + number : number;
        open.clear();
        start_piece(i);
        i = after - 1;
        continue;
      }
    }
    // Administrative codes number their subdivisions "8.1", "8.1.2.1" at the start of a
    // line (DE, WY, IA rules): a heading whose depth is its number of dots.
    if (line_start && std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t end = i;
      int dots = 0;
      while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) ||
                                   (text[end] == '.' && end + 1 < text.size() &&
                                    std::isdigit(static_cast<unsigned char>(text[end + 1]))))) {
        dots += text[end] == '.';
        ++end;
      }
      if (dots > 0 && end < text.size() && text[end] == ' ' && end - i <= 16) {
        heading = std::string(text.substr(i, end - i));
        open.clear();
        start_piece(i);
        i = end - 1;
        continue;
      }
    }
    std::string_view token;
    std::size_t token_end = 0;
    if (c == '(' && at_boundary(text, i)) {
      std::size_t close = text.find(')', i + 1);
      if (close != std::string_view::npos && close - i <= 6) {
        token = text.substr(i + 1, close - i - 1);
        token_end = close + 1;
      }
    } else if ((line_start || text[i - 1] == ' ') && ascii_alnum(c)) {
      // "a. The staff ...", "2. Prohibited ...", "iii.(A) Until ...": up to four letters or
      // digits, a dot, then a capital, a parenthesis or a quote (asked first: most words are
      // not enumerators), at a boundary.
      std::size_t dot = i;
      while (dot < text.size() && dot - i <= 4 && ascii_alnum(text[dot])) ++dot;
      if (dot >= text.size() || text[dot] != '.' || dot - i > 4) continue;
      std::size_t next = dot + 1;
      bool spaced = next < text.size() && (text[next] == ' ' || text[next] == '(');
      while (next < text.size() && text[next] == ' ') ++next;
      if (next < text.size() && spaced &&
          (std::isupper(static_cast<unsigned char>(text[next])) || text[next] == '(' ||
           text[next] == '"' || text[next] == '\xE2') &&
          (line_start || at_boundary(text, i))) {
        token = text.substr(i, dot - i);
        token_end = dot + 1;
      }
    }
    if (token.empty()) continue;
    char style = style_of(token, open);
    if (style == 0) continue;
    auto same =
        std::find_if(open.begin(), open.end(), [&](const auto& o) { return o.first == style; });
    open.erase(same, open.end());
    open.emplace_back(style, std::string(token));
    start_piece(i);
    i = token_end - 1;
  }
  std::vector<TextSection> kept;
  for (auto& piece : out) {
    if (piece.end > piece.start) kept.push_back(std::move(piece));
  }
  return kept;
}

}  // namespace

namespace {

// ---- Cues ---------------------------------------------------------------------------------

// Restraint, seclusion and kindred practices (§6 stage 1).
bool has_rs_term(std::string_view s) {
  if (has_any(s, {"seclu", "isolat", "aversive", "noxious", "time-out room", "timeout room",
                  "prone", "supine", "physical control", "physical escort"})) {
    return true;
  }
  if (!has(s, "restrain")) return has(s, "confine") && has(s, "locked");
  for (std::size_t at = s.find("restrain"); at != std::string_view::npos;
       at = s.find("restrain", at + 8)) {
    // False friends (§4): trade, orders, passenger systems, the press's prior restraint.
    bool false_friend = at >= 6 && s.substr(at - 6, 6) == "prior ";
    for (std::string_view phrase :
         {"restraint of trade", "restraining order", "restraint system", "restrained from"}) {
      false_friend = false_friend || s.compare(at, phrase.size(), phrase) == 0;
    }
    if (!false_friend) return true;
  }
  return has(s, "confine") && has(s, "locked");
}

int count_of(std::string_view s, Phrases phrases) {
  int n = 0;
  for (auto p : phrases) {
    for (std::size_t at = s.find(p); at != std::string_view::npos; at = s.find(p, at + p.size()))
      ++n;
  }
  return n;
}

bool has_education_cue(std::string_view s) {
  return has_any(s, {"student",
                     "pupil",
                     "school",
                     "educational",
                     "education program",
                     "special education",
                     "individualized education",
                     " iep",
                     "charter",
                     "local educational agency",
                     "teacher",
                     "classroom",
                     "head start",
                     "program personnel",
                     "education code",
                     "8vac20",
                     "603 cmr",
                     "ors 339",
                     "28a.",
                     "49-10-"});
}

// Other settings that use the same words (§4), counted.
int negative_cues(std::string_view s) {
  int n = 0;
  for (std::string_view cue :
       {"inmate", "prisoner", "offender", "corrections", "detention", "vehicle", "passenger",
        "juvenile court", "court proceeding", "courtroom", "judicial officer", "patient",
        "hospital", "resident", "nursing", "long term care", "peace officer",
        "law enforcement agenc", "suspect", "dog", "animal", "tether", "motor vehicle",
        "child passenger", "seat belt", "booster", "trade", "commerce", "contract by which",
        "lawful profession", "protective order", "restraining order", "petition", "enjoin",
        "chokehold", "covered juvenile", "juvenile facility", "delinquen",
        // §9: hazing statutes and child-care or foster-care rules
        // name restraint, but are not school restraint law.
        "hazing", "foster", "child care", "child-care", "day care"}) {
    if (!has(s, cue)) continue;
    for (std::size_t at = s.find(cue); at != std::string_view::npos; at = s.find(cue, at + 1)) {
      ++n;
    }
  }
  return n;
}

// A prohibition governing the practice: the verb within reach of the term (§5). §9: a ban
// however it is phrased: passive, active, "may not", "no ... may", a policy's "should
// never", and a policy mandate's "a prohibition on the use of".
bool prohibits_as_written(std::string_view s);

// Wordings that share a ban's verb but ban nothing: a prohibition named, not enacted ("a
// waiver of the prohibition on the use of ...", a policy "to limit or prohibit"); a
// permission ("No employee is prohibited from: ... using reasonable and necessary force");
// applicability and construction ("shall not apply", "shall not be construed").
constexpr std::array<std::string_view, 14> k_not_bans = {
    "waiver of the prohibition", "exception to the prohibition",
    "limit or prohibit",         "limit and prohibit",
    "no employee is prohibited", "is not prohibited",
    "are not prohibited",        "shall not be prohibited",
    "not prohibited from",       "shall not apply",
    "shall not be construed",    "shall not be limited",
    "shall not be deemed",       "shall not include"};

bool prohibits(std::string_view s) {
  // Every such wording has one of these two; most clauses have neither.
  if (!has(s, "prohibit") && !has(s, "shall not")) return prohibits_as_written(s);
  for (std::string_view phrase : k_not_bans) {
    if (!has(s, phrase)) continue;
    // Blank those wordings out and ask again (rare: a copy only when one is present).
    std::string rest(s);
    for (std::string_view p : k_not_bans) {
      for (std::size_t at = rest.find(p); at != std::string::npos; at = rest.find(p, at)) {
        rest.replace(at, p.size(), p.size(), ' ');
      }
    }
    return prohibits_as_written(rest);
  }
  return prohibits_as_written(s);
}

bool prohibits_as_written(std::string_view s) {
  // Every wording below has one of these stems; most clauses have none of them.
  if (!has_any(s, {" not", "prohibit", "never", "no ", "subjected", "remove"})) return false;
  return has_any(s, {"shall not",
                     "may not",
                     "must not",
                     "is prohibited",
                     "are prohibited",
                     "be prohibited",
                     "prohibited from",
                     "no student shall",
                     "shall be subjected",
                     "not be subjected",
                     "shall not use",
                     "no school",
                     "is not permitted",
                     "shall not be used",
                     "never be used",
                     "shall remove",
                     "prohibit the use",
                     "prohibition on the use",
                     "prohibition of the use",
                     "should never",
                     "should not be used",
                     "must never",
                     "no physical restraint may",
                     "no restraint may",
                     "no mechanical restraint may",
                     "no seclusion may",
                     "under no circumstances",
                     "expressly prohibited",
                     "strictly prohibited"}) ||
         has(s, "\"prohibited") || has(s, "\xE2\x80\x9cprohibited");
}

// The sentences of a clause that define nothing: §9 counts a ban or duty written beside a
// definition ("... is prohibited. Seclusion is defined as ...") as what it is.
std::string undefined_sentences(std::string_view s) {
  std::string out;
  for (std::size_t from = 0; from < s.size();) {
    std::size_t end = s.find(". ", from);
    end = end == std::string_view::npos ? s.size() : end + 1;
    std::string_view sentence = s.substr(from, end - from);
    if (!has_any(sentence, {" means", "defined as", "not include", " includes", "include:"})) {
      out.append(sentence);
      out += ' ';
    }
    from = end;
  }
  return out;
}

bool has_exception(std::string_view s) {
  return has_any(s, {"except", "unless", "provided, that", "provided that", "does not apply",
                     "do not apply", "until "});
}

// "X" means / the term X means / X shall mean / "X" includes / "X", using...
bool is_definition(std::string_view s) {
  auto quoted_term_before = [&](std::size_t at) {
    std::string_view before = s.substr(at > 120 ? at - 120 : 0, at > 120 ? 120 : at);
    return has(before, "\"") || has(before, "\xE2\x80\x9d") || has(before, "the term");
  };
  if (!has_any(s, {"mean", "defined", "include"})) {
    std::size_t first = s.find_first_not_of(" ");  // only the Missouri style below
    if (first == std::string_view::npos ||
        (s[first] != '"' && s.substr(first, 3) != "\xE2\x80\x9c")) {
      return false;
    }
  }
  for (std::string_view verb :
       {" means ", " means:", " shall mean ", " is defined as ", " includes, but is not limited to",
        " does not include", " shall not include", " includes:", "\" includes ",
        "\xE2\x80\x9d includes "}) {
    if (!has(s, verb)) continue;
    for (std::size_t at = s.find(verb); at != std::string_view::npos; at = s.find(verb, at + 1)) {
      if (verb == " means " && at >= 2 && s.substr(at - 2, 2) == " a") continue;  // "a means of"
      if (verb.find("mean") != std::string_view::npos && verb != " shall mean " &&
          !quoted_term_before(at)) {
        // "Mechanical restraint means" without quotes: accept a short subject.
        std::size_t start = s.rfind('.', at);
        start = start == std::string_view::npos ? 0 : start;
        if (at - start > 60) continue;
      }
      return true;
    }
  }
  // Missouri style: (3) "Prone restraint", using ...
  std::size_t first = s.find_first_not_of(" ");
  if (first != std::string_view::npos &&
      (s[first] == '"' || s.substr(first, 3) == "\xE2\x80\x9c")) {
    std::size_t close = s.find_first_of("\"", first + 1);
    if (close != std::string_view::npos && close < first + 80 && close + 1 < s.size() &&
        (s[close + 1] == ',' || s.substr(close + 1, 2) == " -")) {
      return true;
    }
  }
  return false;
}

// WA HB 1479-S §1(12)(m): '"Prohibited isolation or restraint" means ...' lists banned
// practices (taxonomy rule 2): the items carry the bans, not a definition.
bool defines_prohibited_practices(std::string_view s) {
  return has_any(s, {"\"prohibited", "\xE2\x80\x9cprohibited"}) && has(s, " means");
}

// Deadline wording for notices, reports and reviews (§6).
std::string find_deadline(std::string_view s) {
  for (std::string_view fixed :
       {"same day", "end of the school day", "one hour after the end of the school day",
        "as soon as possible", "immediately"}) {
    if (has(s, fixed)) {
      if (fixed == "end of the school day" && has(s, "one hour after the end of the school day")) {
        return "one hour after the end of the school day";
      }
      return std::string(fixed);
    }
  }
  for (std::string_view lead : {"within ", "not later than ", "no later than "}) {
    std::size_t at = s.find(lead);
    if (at == std::string_view::npos) continue;
    std::string_view rest = s.substr(at, 60);
    for (std::string_view unit : {" hours", " hour", " school days", " school day",
                                  " business days", " business day", " days", " day", " week"}) {
      std::size_t u = rest.find(unit);
      if (u != std::string_view::npos && u < 45)
        return std::string(rest.substr(0, u + unit.size()));
    }
  }
  return {};
}

// ---- Rules per category -------------------------------------------------------------------

// §2.17 and §9: a permission to use force or restraint on students (reasonable-force and
// teacher-immunity laws, "may use reasonable and necessary physical restraint"). Both
// slots must be filled: a force wording and a permission operator, so a ban on
// unreasonable force or a policy's "procedures for the use of reasonable ... restraint"
// is not a permission. Matched in CA, IA, ND, NE and UT law and district policies.
bool authorizes_force(std::string_view c) {
  // The stems first: every force wording has one of them, and most clauses none.
  bool force =
      has_any(c, {"force", "quell", "control", "contact", "reasonable"}) &&
      has_any(c, {"quell a", "physical control over", "reasonable and necessary force",
                  "reasonable and necessary physical", "degree of force", "reasonable force",
                  "necessary physical contact", "physical contact with the body of a student"});
  return force &&
         has_any(
             c, {"may use", "not prohibited from", "does not prohibit", "shall not prohibit",
                 "shall not be subject to", "shall not be considered corporal", "is not prohibited",
                 "are not prohibited", "no employee is prohibited", "no employee subject to",
                 "nothing in this section prohibits", "nothing in this policy prohibits"});
}

// §2.15 and §9: a mandate to adopt a policy, plan, rules or procedures (a board "shall
// adopt a policy", a school "must adopt a ... plan", a commission's duty "to adopt rules",
// schools "shall establish policies and procedures"): a duty verb, then within a few
// words the instrument it creates. Procedures alone ("shall establish procedures to be
// followed after an incident") are the duty they serve, not a policy mandate.
// `duty_lead`: the clause is an item of a list whose lead-in carries the duty ("The board
// shall: ... (xxx) adopt a policy"), so the bare verb is the duty. A plan for one student
// (a behavior or response plan) is not a policy.
bool mandates_policy(std::string_view c, bool duty_lead = false) {
  auto mandates = [&](std::string_view duty) {
    if (!has(c, duty)) return false;  // the clause's index rejects most duties without a search
    for (std::size_t at = c.find(duty); at != std::string_view::npos;
         at = c.find(duty, at + duty.size())) {
      std::string_view after = c.substr(at, duty.size() + 90);
      if (has_any(after, {"policy", "policies", " plan", "rules", "regulations"}) &&
          !has_any(after, {"for the student", "student's", "behavior"})) {
        return true;
      }
    }
    return false;
  };
  if (!has_any(c, {"adopt", "develop", "establish", "promulgate", "specify", "revise"}))
    return false;
  for (std::string_view duty :
       {"shall adopt", "must adopt", "shall develop", "must develop", "shall establish",
        "must establish", "shall promulgate", "shall specify", "to adopt rules", "adopt or revise",
        "shall revise", "shall develop and implement"}) {
    if (mandates(duty)) return true;
  }
  if (duty_lead) {
    for (std::string_view duty : {"adopt ", "develop ", "establish ", "promulgate "}) {
      if (mandates(duty)) return true;
    }
  }
  return false;
}

// Whether a lead-in ends by handing its duty to the items ("The board of trustees in each
// school district shall:", "The commission has the following duties:").
bool is_duty_lead(std::string_view last_lead) {
  std::size_t end = last_lead.find_last_not_of(" \n:");
  if (end == std::string_view::npos) return false;
  std::string_view body = last_lead.substr(0, end + 1);
  for (std::string_view tail :
       {" shall", " must", "the following", "following duties", "all of the following", "duties"}) {
    if (body.size() >= tail.size() && body.substr(body.size() - tail.size()) == tail) return true;
  }
  return false;
}

// A lead-in that lists what one report, notice, document or training must contain ("the
// incident report must include:", "Training will cover the following topics:"): its items
// are contents, not duties of their own. A policy's or rules' list is not one (§9).
bool lists_contents(std::string_view last_lead) {
  if (!has_any(last_lead, {"includ", "contain", "cover"})) return false;
  for (std::string_view verb : {"includ", "contain", "cover"}) {
    std::size_t at = last_lead.find(verb);
    if (at == std::string_view::npos) continue;
    std::string_view before = last_lead.substr(at > 120 ? at - 120 : 0, at > 120 ? 120 : at);
    if (has_any(before, {"polic", " plan", "rules", "regulations", "request"})) return false;
    if (has_any(before, {"report", "documentation", "training", "notice", "notification", "letter",
                         "record"})) {
      return true;
    }
  }
  return false;
}

// §9: the list a policy or rulemaking mandate says the instrument must cover ("the policy
// shall contain the following", "each plan shall include", "policies ... shall include").
// The instrument must be what includes: it stands just before the verb.
// `context` is the indexed lead-in + clause; `lead` its start.
bool lists_what_a_policy_covers(std::string_view context, std::string_view lead) {
  for (std::string_view verb :
       {"shall contain", "shall include", "must include", "must contain", "shall address",
        "include, at a minimum", "concerning the following", "regarding the following",
        "on the following"}) {
    if (!has(context, verb)) continue;
    for (std::size_t at = lead.find(verb); at != std::string_view::npos;
         at = lead.find(verb, at + verb.size())) {
      std::size_t from = at > 80 ? at - 80 : 0;
      if (has_any(lead.substr(from, at - from), {"polic", " plan", "rules", "regulations"})) {
        return true;
      }
    }
  }
  return false;
}

// §2.16 and §9: who is covered: a statement of applicability, or a definition of the
// covered people or institutions for the section.
// Matched in RI, VT, WY, MS, ME and federal wording.
bool states_coverage(std::string_view own) {
  // Every wording has one of these; most clauses have none.
  if (!has_any(own, {"appl", "govern", " means", "group"})) return false;
  return has_any(
      own, {"are applicable to", "is applicable to", "shall apply to all", "should apply to all",
            "applies to all", "apply to all", "govern the use of", "\"covered entity\" means",
            "\xE2\x80\x9c"
            "covered entity\xE2\x80\x9d means",
            "\"student\" means", "\"school\" means", "\"educational program\" means",
            "shall apply any time", "apply to any student", "group of students",
            "subgroups of students", "subgroup of students"});
}

// §2.16: police, SROs, guards or private and home schools carved out or brought in ("does
// not prohibit the lawful exercise of law enforcement duties", "Nothing ... prohibits a
// school resource officer", "This policy does not prohibit law enforcement from"). Both
// slots: who, and the carve-out. Matched in KY, ID, WA and federal wording.
bool carves_out_coverage(std::string_view own) {
  return has_any(own, {"school resource officer", "school security guard", "security guard",
                       "law enforcement", "peace officer", "police", "private school",
                       "home school", "nonpublic school"}) &&
         has_any(own, {"nothing in", "does not apply", "do not apply", "shall not apply",
                       "shall not be construed", "does not prohibit", "do not prohibit",
                       "not intended to", "by any program personnel"});
}

// §2.11 administrator_notification: staff tell an administrator ("immediately contact
// appropriate school personnel", "notify the principal", "seek out the assistance of the
// school's administration"): the act, then within a few words who is told. An
// administrator who acts ("the principal ... shall review") is not told anything.
bool tells_an_administrator(std::string_view own) {
  for (std::string_view act :
       {"notify the", "inform the", "contact the", "contact appropriate", "seek out the assistance",
        "alert the", "report to the", "report it to", "notify a", "notify an"}) {
    if (!has(own, act)) continue;
    for (std::size_t at = own.find(act); at != std::string_view::npos;
         at = own.find(act, at + act.size())) {
      if (has_any(own.substr(at, act.size() + 50),
                  {"administrator", "administration", "principal", "school personnel"})) {
        return true;
      }
    }
  }
  return false;
}

// §2.13: aggregate data, reported up or published: an act (summarize, compile, publish,
// submit, report) on aggregated data (summaries, totals, data) going to the state or the
// public, or every year. One incident's report to a parent is not this (§2.10, §2.11).
// Matched in WA, WY, KS, MO and federal wording.
bool reports_aggregate_data(std::string_view own) {
  bool act = has_any(own, {"summarize", "compile", "publish", "post ", "submit", "report"});
  // Reports of incidents or data, summarized: "summarizing the information" of a discipline
  // report is not restraint data.
  bool aggregate =
      has_any(own, {"summarize the written reports", "summarize the reports", "summaries",
                    "aggregate", "total number", "number of incidents", " data"});
  bool upward = has_any(own, {"annually", "each year", "website", "web site", "publish",
                              "office of the superintendent", "department", "state board",
                              "legislature", "secretary"});
  return act && aggregate && upward;
}

// What a list's lead-in makes of its items (§9), decided once per lead-in: what a policy or
// rules must cover establishes those provisions (`policy`, any enclosing lead-in); what a
// definition, a report or a training covers is contents, not duties (`definition`,
// `contents`); "The board shall:" hands its duty to the items (`duty`).
struct LeadIn {
  bool policy = false;
  bool definition = false;
  bool contents = false;
  bool duty = false;
};

LeadIn read_lead_in(std::string_view sentence) {
  LeadIn lead;
  lead.policy = lists_what_a_policy_covers(sentence, sentence);
  // "No employee is prohibited from:" introduces permissions, not a definition.
  bool operative = has_any(sentence, {"prohibit", "shall", "must", "may "});
  lead.definition =
      is_definition(sentence) && !operative && !defines_prohibited_practices(sentence);
  lead.contents = lists_contents(sentence);
  lead.duty = is_duty_lead(sentence);
  return lead;
}

struct Clause {
  std::size_t start = 0;
  std::size_t end = 0;
  std::string section;
  std::string lowered;            // the clause
  std::string context;            // lead-in + clause, lower-cased; empty without a lead-in
  std::size_t lead_size = 0;      // the lead-in's length at the start of `context`
  LeadIn lead;                    // what the lead-ins say of their items
  bool section_rs = false;        // the enclosing section (or the whole text) names R/S
  bool section_findings = false;  // ... is a findings or purpose section (§3)
  bool force_law = false;         // the whole text lets school staff use force (§9)
};

// The clause without its enumerator ("1. The purpose ...", "(a) The board ...").
std::string_view after_enumerator(std::string_view own) {
  std::size_t i = 0;
  if (i < own.size() && own[i] == '(') {
    std::size_t close = own.find(')');
    if (close != std::string_view::npos && close <= 6) i = close + 1;
  } else {
    while (i < own.size() && i < 5 && ascii_alnum(own[i])) ++i;
    i = i < own.size() && own[i] == '.' ? i + 1 : 0;
  }
  while (i < own.size() && (own[i] == ' ' || own[i] == '\n')) ++i;
  return own.substr(i);
}

// §3: a sentence that describes what the instrument does ("These rules clarify that ...
// are prohibited", "This chapter describes ..."), as purpose sections and summaries do.
bool describes_the_law(std::string_view own) {
  std::string_view body = after_enumerator(own);
  for (std::string_view subject : {"these rules ", "this chapter ", "these regulations ",
                                   "this act ", "this section ", "this policy ", "this rule "}) {
    if (body.rfind(subject, 0) != 0) continue;
    std::string_view verb = body.substr(subject.size(), 20);
    return has_any(verb, {"clarif", "describ", "explain", "summariz", "intended", "outline"});
  }
  return false;
}

void add(std::vector<std::pair<std::string, double>>& found, std::string_view category,
         double confidence) {
  found.emplace_back(std::string(category), confidence);
}

std::vector<std::pair<std::string, double>> classify(const Clause& clause, bool in_findings) {
  std::vector<std::pair<std::string, double>> found;
  // Without a lead-in the context is the clause itself (one string, one index).
  const std::string& c = clause.context.empty() ? clause.lowered : clause.context;
  const std::string& own = clause.lowered;
  if (in_findings) return found;  // §3: findings establish nothing
  if (describes_the_law(own)) return found;
  // §3 and §9: a purpose clause describes what the law does without enacting it, also when
  // it is a paragraph of its own ("The purpose of this chapter is to ... These rules clarify
  // that ... are prohibited") or the lead-in of a list of purposes.
  std::string_view body = after_enumerator(own);
  std::string_view lead_body = clause.lead_size > 0 ? after_enumerator(c) : std::string_view();
  for (std::string_view start :
       {"the purpose of this", "the purposes of this", "the purpose of these",
        "the purposes of these", "the intent of this"}) {
    if (body.rfind(start, 0) == 0 || lead_body.rfind(start, 0) == 0) return found;
  }
  BigramIndex own_index(own);
  std::optional<BigramIndex> context_index;
  if (!clause.context.empty()) {
    context_index.emplace(c, std::string_view(c).substr(0, clause.lead_size), own_index);
  }
  bool rs_context = has_rs_term(c);
  bool rs = rs_context || clause.section_rs;
  std::string_view lead = std::string_view(c).substr(0, clause.lead_size);
  // Items of a list take their meaning from its lead-in (§9): what a policy or rules must
  // cover establishes those provisions; what a definition, a report or a training covers is
  // contents, not duties.
  bool policy_list = clause.lead.policy;
  if (!policy_list && clause.lead.definition) return found;
  bool contents_item = !policy_list && clause.lead.contents;
  bool duty_lead = clause.lead.duty;
  bool topic_data = policy_list && has(own, "report") &&
                    has_any(own, {"annual", "performance report", "public", "data"});
  // "prone restraint, defined as physical pressure ...": a ban that defines its object in
  // passing is both (§9).
  bool inline_definition = has_any(own, {", defined as ", "(defined as "});
  bool definition = (is_definition(own) || inline_definition) && !defines_prohibited_practices(own);
  // A definition beside a ban in one clause: both are reported (§9).
  bool ban_beside_definition = false;
  if (definition) {
    // One sentence that defines leaves nothing beside the definition.
    std::string rest = has(own, ". ") ? undefined_sentences(own) : std::string();
    ban_beside_definition = (prohibits(rest) && has_rs_term(rest)) || inline_definition;
  }
  bool defined_prohibitions = defines_prohibited_practices(c);
  // The lead-in of a list of prohibited practices: its items carry the bans.
  if (defines_prohibited_practices(own) && own.find_last_not_of(" \n") == own.rfind(':')) {
    return found;
  }
  bool prohibition =
      (prohibits(c) || defined_prohibitions) && (!definition || ban_beside_definition);
  bool punitive_purpose =
      has_any(own, {"discipline", "punishment", "punitive", "convenience", "coercion"}) &&
      !has(own, "discipline management") && !has(own, "retaliate against") &&
      !has(own, "corporal punishment");

  // 2.17 permissive use: immunity for physical control, reasonable force, restraint
  // planned into an IEP.
  if (has_any(c, {"physical control over", "shall not be subject to criminal prosecution",
                  "may be included in a student", "provided for in the student's individual",
                  "restraint may be included in", "isolation may be included in"}) ||
      (authorizes_force(c) && (clause.force_law || has_any(c, {"student", "pupil", "school"})))) {
    add(found, "permissive_use", 0.8);
  }
  // §2.16 and §9: who is covered, stated for the whole text ("These rules are applicable to
  // all learning environments"), also in a section that names no practice.
  if (states_coverage(own) && !definition) add(found, "scope", 0.7);
  bool defines_time_out = definition && has_any(own, {"time-out", "time out", "timeout"});
  if (!rs && !defines_time_out && !has_any(c, {"incident", "physical control"})) return found;

  // 2.1 definition (a definition alone is only a definition; exclusions count too).
  // Only R/S terms: "school district property" means ... is not a restraint definition.
  // A definition establishes no duty, whatever it defines ("Behavioral intervention plan"
  // means ...); only definitions of restraint and seclusion terms are reported.
  if (definition) {
    if (has_rs_term(own) || has_any(own, {"time out", "timeout", "time-out", "escort"})) {
      add(found, "definition", 0.9);
    }
    // §9: who is covered, defined for the section ("Student" means ...): scope too.
    if (states_coverage(own)) add(found, "scope", 0.7);
    if (!ban_beside_definition) return found;
  }
  // 2.3 dangerous restraint bans.
  if (prohibition && has_any(c, {"prone", "supine", "wall restraint", "breathing", "airway",
                                 "asphyxia", "chest", "life threatening", "life-threatening",
                                 "blood flow", "contraindicated", "respiratory"})) {
    add(found, "prone_restraint_ban", 0.85);
  }
  // 2.4, 2.5 device and drug bans.
  if (prohibition && has(c, "mechanical restraint") && !has(own, "mechanical restraint does not")) {
    add(found, "mechanical_restraint_ban", 0.85);
  }
  if (prohibition &&
      has_any(c, {"chemical restraint", "medication restraint", "pharmacological restraint",
                  "psychopharmacologic", "chemical and mechanical restraint",
                  "chemical or mechanical restraint"})) {
    add(found, "chemical_restraint_ban", 0.85);
  }
  // A ban for a purpose ("may not be used as a therapeutic intervention", "should not be
  // used to manage behavior") says when the practice may not be used, not that it may never
  // be: a use condition (§9), or no_punitive_use when the purpose is punishment.
  bool purpose_restricted =
      has_any(own, {"be used", "be utilized", "be implemented"}) &&  // one of these, or none
      has_any(own,
              {"not be used to", "not be used for", "not be used as", "never be used to",
               "never be used for", "never be used as", "not be utilized as", "not be utilized for",
               "not be utilized to", "not be implemented as", "not be implemented for"});
  // 2.6 seclusion bans, including locked spaces and removing isolation rooms.
  bool seclusion_words =
      has_any(c, {"seclu", "isolat", "lock", "confine", "alone"}) &&  // stems of the words below
      has_any(c, {"seclusion", "isolation", "locked box", "locked closet", "locked space",
                  "isolation room", "locked door", "locking a student", "isolating", "secluding",
                  "confinement of a student", "locked alone", "confined alone", "alone in a room"});
  bool room_construction =
      has_any(own, {"construct", "remodel", "design"}) &&
      has_any(own, {"isolation room", "seclusion room", "enclosed area", "room or other"});
  if (seclusion_words && !room_construction && !punitive_purpose &&
      (has_any(c,
               {"shall not use seclusion", "no student shall be subjected",
                "shall remove or repurpose", "may not be confined", "locked box",
                "seclusion shall be prohibited", "seclusion is prohibited",
                "isolation is prohibited", "shall not be secluded", "use seclusion on any student",
                "not use seclusion", "beginning september 1", "with a locked door"}) ||
       (prohibition && has_any(own, {"locked door", "locking a student"})) ||
       (defined_prohibitions && has(own, "isolation") && !has(own, "contraindicated")) ||
       (prohibits(own) &&
        has_any(own,
                {"seclusion", "isolation", "isolating", "secluding", "confinement of a student",
                 "locked alone", "confined alone", "alone in a room"}) &&
        !has(own, "only") && !purpose_restricted &&
        !has_any(own, {"restraint or seclusion", "seclusion or restraint", "isolation or restraint",
                       "restraint or isolation"})))) {
    add(found, "seclusion_ban", 0.8);
  }
  // 2.7 conditions on seclusion (and restraint): monitoring, rooms, duration. Minutes that
  // trigger a notice or are counted in data are not a duration limit.
  bool duration = (has(own, "minutes") && !has_any(own, {"notif", "notice", "report"}) &&
                   !has(own, "number of")) ||
                  has_any(own, {"minimum time necessary", "short time period", "shortest of",
                                "maximum duration", "time limit"});
  if (room_construction || duration ||
      (has_any(own,
               {"contin", "consta", "obser", "monit", "sight", "ceil", "lock", "bath", "every"}) &&
       has_any(own,
               {"continuous", "constant, direct", "direct observation", "visual monitoring",
                "line of sight", "observed by", "monitored by", "be monitored",
                "continuously monitored", "ceiling height", "unlocked", "incapable of being locked",
                "locking mechanism", "every 30 minutes", "bathroom"}))) {
    add(found, "seclusion_conditions", 0.7);
  }
  // 2.8 aversives.
  if ((prohibition || defined_prohibitions) &&
      has_any(c, {"aversive", "noxious", "inflict pain", "cause pain", "causes pain",
                  "electric shock"})) {
    add(found, "aversive_ban", 0.85);
  }
  // 2.9 never as punishment, never planned in an IEP, no consent to prohibited practices.
  if ((punitive_purpose && rs_context && (prohibition || has_any(own, {"never", " not "}))) ||
      has_any(own, {"written into a student", "may consent, or be asked to consent",
                    "shall not be included in a student's", "be asked to consent"})) {
    add(found, "no_punitive_use", 0.8);
  }
  // 2.2 when restraint or seclusion is permitted: a restriction operator ("only when",
  // "may be used only", "except in those situations") and a standard (danger, less
  // restrictive or intrusive measures, least force, ending when the danger ends). §5: a
  // named practice banned with an exception is the ban (with `exceptions`), not a use
  // condition; §9: an exception that points elsewhere ("except as provided in") is too.
  bool named_ban = false;
  for (const auto& [category, confidence] : found) {
    named_ban =
        named_ban || (category.size() > 4 && category.substr(category.size() - 4) == "_ban");
  }
  bool use_condition_setting =
      !has(own, "complaint") && !has(c, "report") && !has(own, "no less restrictive than");
  auto exception_elsewhere = [&] {
    return has_any(own, {"except as provided", "except as described", "except as permitted",
                         "except as otherwise", "except as set forth", "except as allowed",
                         "conditions described in"});
  };
  bool standard =
      use_condition_setting &&
      has_any(own, {"imminent", "immediate danger", "clear and present danger", "less restrictive",
                    "least restrictive", "less intrusive", "least intrusive", "less intensive",
                    "least amount of force", "no longer an imminent", "no longer an immediate",
                    "ends immediately", "last resort", "from communicating"});
  bool restriction = use_condition_setting && has_any(own, {"only", "terminat"}) &&
                     has_any(own, {"only if", "only when", "only in emergency", "only to control",
                                   "only for as long as", "only be used", "be used only",
                                   "only be utilized", "terminated when", "terminated as soon"});
  bool conditional_ban = use_condition_setting && prohibition &&
                         has_any(own, {"except when", "except in", "unless"}) &&
                         !exception_elsewhere();
  // The exception qualifies the named practice, unless the clause bans physical restraint
  // as such (603 CMR 46.03(1)(c), §5).
  bool named_exception = named_ban && !restriction && (standard || conditional_ban) &&
                         has_exception(own) &&
                         !has_any(own, {"physical restraint", "use of restraint"});
  if (use_condition_setting && !named_exception &&
      (standard || restriction || conditional_ban ||
       (purpose_restricted && !punitive_purpose && prohibition && rs_context))) {
    add(found, "use_conditions", 0.75);
  }
  // 2.10 telling the parent.
  // The notice may be in the lead-in and the parent in the item ("shall provide notice ...
  // to: (a) the student's parent").
  bool parent = has_any(c, {"parent", "guardian"});
  // A notice or letter to a parent is about restraint or seclusion only when the clause
  // says so: a discipline bill's "written notice to the student's parent" is not (§2.10).
  Phrases notify_words = {"notify",
                          "notified",
                          "notification",
                          "copy to the parent",
                          "documentation to the parent",
                          "provided to a parent",
                          "electronic communication"};
  Phrases notice_words = {"provide notice", "notice to", "receive notice", "letter", "mailed"};
  bool about_an_incident = rs_context || has_any(own, {"incident", "occurrence"});
  auto tells = [&](std::string_view s) {
    return has_any(s, notify_words) || (about_an_incident && has_any(s, notice_words));
  };
  if (parent && (tells(own) || (!lead.empty() && has_any(own, {"parent", "guardian"}) &&
                                about_an_incident && tells(lead)))) {
    add(found, "parent_notification", 0.8);
  }
  // 2.11 incident reports and telling administrators.
  bool documents =
      has_any(own, {"report", "document", "principal", "advocacy", "injury", "prepare"});
  if (((documents &&
        has_any(own,
                {"written report", "incident report shall", "report of the incident",
                 "documentation of the incident", "written documentation", "maintain the report",
                 "copy of each incident report", "documentation and reporting",
                 "notify the principal", "shall be documented", "must be documented",
                 "protection and advocacy", "injury or death", "report the incident",
                 "report shall be completed", "documentation of the use", "shall prepare"})) ||
       // A written notification to whom? To the parent it is 2.10.
       (has(own, "written notification") && !parent) ||
       // A policy list's topic: documenting or reporting each incident (§9).
       (policy_list && !topic_data && has_any(own, {"document", "report", "record"}) &&
        has_any(own, {"incident", "occurrence"})) ||
       // Telling an administrator (§2.11 administrator_notification).
       tells_an_administrator(own) ||
       // A notice or report whose contents are listed is incident documentation (§2.11).
       (has_any(own, {"incident", "occurrence"}) && lists_contents(own))) &&
      !has(own, "incident report data")) {
    add(found, "incident_reporting", 0.75);
  }
  // 2.12 debriefing and follow-up.
  bool assessment =
      has_any(own, {"functional behavior assessment", "functional behavioral assessment",
                    "behavioral intervention plan", "behavior intervention plan"}) &&
      has_any(own, {"complete", "develop", "conduct", "review", "contain", "modify"}) &&
      // §2.12: a duty to assess or plan ("shall also contain a ... functional behavior
      // assessment"), not a condition that mentions a plan the student has.
      has_any(own, {"shall", "must", "will be", "is required", "are required"});
  if ((assessment || has_any(own, {"review the incident", "debrief", "discuss the incident",
                                   "meeting", "prevent future", "de-escalate"})) &&
      !has(own, "behavioral interventions and supports")) {
    add(found, "debriefing", 0.7);
  }
  // 2.13 aggregate data. In a list of what rules must cover, a topic of reporting incidents
  // in a yearly or public report is this too (§9).
  if (has_any(own, {"total number", "core data", "data system", "report data", "publish the",
                    "compile and maintain", "disaggregat", "annual report"}) ||
      reports_aggregate_data(own) || topic_data ||
      (has(own, "incident report") && has(own, "department of") && has(own, "within"))) {
    add(found, "data_reporting", 0.75);
  }
  // 2.14 training duties: training as what staff provide, receive, complete or attend, or
  // what training shall be (not "only trained staff may", which is a use condition). In a
  // list of what rules must cover, training as a topic (§9).
  if (has(own, "training") && ((!has(own, "only") && has_any(own, {"complete mandatory",
                                                                   "annually complete",
                                                                   "shall receive",
                                                                   "must receive",
                                                                   "initial and advanced",
                                                                   "shall be trained",
                                                                   "training program for",
                                                                   "provide training",
                                                                   "with training",
                                                                   "shall complete",
                                                                   "refresher",
                                                                   "participate in",
                                                                   "attend",
                                                                   "undergo",
                                                                   "training shall",
                                                                   "training must",
                                                                   "training should",
                                                                   "training will",
                                                                   "advanced training",
                                                                   "recurrent",
                                                                   "shall cover",
                                                                   "must cover",
                                                                   "will cover",
                                                                   "curricul"})) ||
                               policy_list)) {
    add(found, "staff_training", 0.75);
  }
  // 2.15 oversight, rules, policies, complaints, enforcement, anti-retaliation; §9: a
  // mandate to adopt a policy or rules, and the items such a mandate lists.
  if (has_any(own, {"adopt regulations", "promulgate rules", "file a complaint",
                    "complaint shall be investigated", "shall withhold", "civil action",
                    "shall not retaliate", "state oversight", "monitoring compliance",
                    "site visits", "sufficient progress", "develop and implement written polic",
                    "shall adopt a policy", "shall adopt policies", "rules adopted by",
                    "investigation of complaints", "complaint procedure"}) ||
      (mandates_policy(own, duty_lead) && rs_context) || policy_list) {
    add(found, "oversight_enforcement", 0.75);
  }
  // 2.16 coverage: police, SROs and guards, private schools, exclusions.
  if (carves_out_coverage(own)) add(found, "scope", 0.7);
  // An item of a report's or training's contents ("the total number of such incidents"):
  // only what such a report is about.
  if (contents_item) {
    std::erase_if(found, [](const auto& f) {
      return f.first != "data_reporting" && f.first != "incident_reporting";
    });
  }
  return found;
}

// Whether the dot at `dot` ends an abbreviation ("R.I. Gen. Laws", "U.S.C. 1400", "Sec. 3",
// "Stat. Ann."), not a sentence.
bool is_abbreviation(std::string_view s, std::size_t dot) {
  std::size_t word = s.find_last_of(" \n(", dot == 0 ? 0 : dot - 1);
  std::string_view last = s.substr(word == std::string_view::npos ? 0 : word + 1,
                                   dot - (word == std::string_view::npos ? 0 : word + 1));
  if (last.size() <= 1 || last.find('.') != std::string_view::npos) return true;
  for (std::string_view abbreviation : {"gen", "stat", "rev", "ann", "sec", "art", "ch", "no",
                                        "seq", "cf", "admin", "reg", "regs", "code", "subd"}) {
    if (last == abbreviation) return true;
  }
  return false;
}

// How deep a piece is: its parenthesised subdivisions, and the dots of a numbered heading
// ("Sec. 8.1.2" is inside "Sec. 8.1"; "Sec. 28A.155.210" names a section, not a depth).
std::size_t depth_of(const std::string& path) {
  if (path == "(preamble)") return 0;
  std::size_t depth = static_cast<std::size_t>(std::count(path.begin(), path.end(), '('));
  std::string number = path.rfind("Sec. ", 0) == 0 ? path.substr(5, path.find('(') - 5) : "";
  if (!number.empty() && number.find_first_not_of("0123456789.") == std::string::npos) {
    depth += static_cast<std::size_t>(std::count(number.begin(), number.end(), '.'));
  }
  return depth;
}

std::vector<Clause> clauses_of(std::string_view text, const std::string& lowered) {
  std::vector<Clause> clauses;
  std::vector<TextSection> sections = split_sections(text, lowered);
  // Whether each top-level section (the path before its first parenthesis) names R/S:
  // "these interventions" in a sentence inherits the section's subject.
  struct TopSection {
    bool rs = false;
    bool findings = false;
    std::size_t asked = 0;
  };
  std::map<std::string, TopSection> tops;
  std::vector<TopSection*> top_of_piece;  // per piece, its top-level section
  for (const auto& section : sections) {
    TopSection& top =
        tops[section.path == "(preamble)" ? std::string()
                                          : section.path.substr(0, section.path.find('('))];
    top_of_piece.push_back(&top);
    // A findings or purpose section says so at its start: its first pieces are asked.
    bool ask_findings = !top.findings && top.asked < 3;
    if (top.rs && !ask_findings) continue;
    std::string_view piece =
        std::string_view(lowered).substr(section.start, section.end - section.start);
    std::string_view start = piece.substr(0, 300);
    BigramIndex piece_index(start);  // most pieces are shorter; the rest are asked of their start
    top.rs = top.rs || has_rs_term(piece.size() <= 300 ? start : piece);
    if (ask_findings) {
      ++top.asked;
      top.findings =
          has_any(start, {"finds and declares", "legislature finds", "findings and purpose",
                          "purposes of this act", "purpose of this act",
                          "intent of the legislature", "legislative findings"});
    }
  }
  // Open list lead-ins ("... shall not use any restraint technique that:"), each with the
  // depth of its first item: later pieces at that depth or deeper are its items.
  struct OpenLeadIn {
    std::size_t depth = 0;  // of its first item
    std::string text;
    LeadIn facts;
  };
  std::vector<OpenLeadIn> lead_ins;
  bool pending = false;  // the previous piece ended with ':' or a dash
  for (std::size_t piece_number = 0; piece_number < sections.size(); ++piece_number) {
    const TextSection& section = sections[piece_number];
    const TopSection& top = *top_of_piece[piece_number];
    std::string_view own =
        std::string_view(lowered).substr(section.start, section.end - section.start);
    std::size_t depth = depth_of(section.path);
    if (pending) {
      lead_ins.back().depth = depth;
      pending = false;
    }
    while (!lead_ins.empty() && depth < lead_ins.back().depth) lead_ins.pop_back();
    std::string lead;
    LeadIn facts;
    // The innermost lead-ins only, each cut short: a hostile text of thousands of nested
    // "...:" lines must not make every clause carry all of them (quadratic time).
    constexpr std::size_t k_max_leads = 3;
    constexpr std::size_t k_max_lead = 600;
    std::size_t first_lead = lead_ins.size() > k_max_leads ? lead_ins.size() - k_max_leads : 0;
    for (std::size_t l = first_lead; l < lead_ins.size(); ++l) {
      lead += lead_ins[l].text.substr(0, k_max_lead) + " ";
      facts = lead_ins[l].facts;  // the innermost decides ...
    }
    for (std::size_t l = first_lead; l < lead_ins.size(); ++l) {
      facts.policy = facts.policy || lead_ins[l].facts.policy;  // ... but a policy list encloses
    }
    std::size_t last = own.find_last_not_of(" \n");
    if (last != std::string_view::npos &&
        (own[last] == ':' || (last >= 2 && own.substr(last - 2, 3) == "\xE2\x80\x94"))) {
      // The sentence that opens the list is its lead-in, not the whole paragraph before it
      // ("Corporal punishment ... is prohibited. ... No employee is prohibited from:").
      std::size_t opens = own.rfind(". ");
      while (opens != std::string_view::npos && is_abbreviation(own, opens)) {
        opens = opens == 0 ? std::string_view::npos : own.rfind(". ", opens - 1);
      }
      std::string sentence(opens == std::string_view::npos ? own : own.substr(opens + 2));
      LeadIn read = read_lead_in(sentence);
      lead_ins.push_back({0, std::move(sentence), read});
      pending = true;
    }
    // Sentences within the piece.
    // The enumerator itself ("a. ", "iii. ") does not end a sentence.
    std::size_t from = 0;
    std::size_t token = 0;
    while (token < own.size() && token < 5 && std::isalnum(static_cast<unsigned char>(own[token])))
      ++token;
    std::size_t search_from = token > 0 && token < own.size() && own[token] == '.' ? token + 1 : 0;
    while (from < own.size()) {
      std::size_t end = own.size();
      for (std::size_t i = std::max(from + 1, search_from); i + 2 < own.size(); ++i) {
        // A sentence ends at a dot or semicolon, then spaces or line breaks, then a capital
        // or a parenthesis ("... this policy.\n\nUse of Seclusion").
        if (own[i] != '.' && own[i] != ';') continue;
        std::size_t next = i + 1;
        while (next < own.size() && (own[next] == ' ' || own[next] == '\n')) ++next;
        if (next > i + 1 && next < own.size() &&
            (std::isupper(static_cast<unsigned char>(text[section.start + next])) ||
             own[next] == '(')) {
          // Not after an abbreviation such as "U.S.C." or "Sec.".
          std::size_t word = own.rfind(' ', i);
          std::string_view last_word =
              own.substr(word == std::string_view::npos ? 0 : word + 1,
                         i - (word == std::string_view::npos ? 0 : word + 1));
          if (last_word.find('.') != std::string_view::npos || last_word == "sec" ||
              last_word == "no" || last_word == "seq" || last_word.size() <= 1) {
            continue;
          }
          end = i + 1;
          break;
        }
      }
      Clause clause;
      clause.start = section.start + from;
      clause.end = section.start + end;
      clause.section = section.path;
      clause.lowered = std::string(own.substr(from, end - from));
      if (!lead.empty()) clause.context = lead + clause.lowered;
      clause.lead_size = lead.size();
      clause.lead = facts;
      clause.section_findings = top.findings;
      clause.section_rs = top.rs;
      clauses.push_back(std::move(clause));
      from = end;
      while (from < own.size() && (own[from] == ' ' || own[from] == '\n')) ++from;
    }
  }
  return clauses;
}

std::string trimmed(std::string s) {
  std::size_t first = s.find_first_not_of(" \n");
  std::size_t last = s.find_last_not_of(" \n");
  return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

}  // namespace

ProvisionAnalysis analyze_provisions(std::string_view text) {
  ProvisionAnalysis analysis;
  std::string lowered = lower_ascii(text);
  BigramIndex whole(lowered);  // every whole-text question below asks it first
  // Cheap decisions first; the paragraph-level relevance screen only for mixed texts.
  // §9: reasonable-force and immunity laws are relevant without naming restraint.
  // §2.1 (def_time_out): a time-out defined for students is an R/S definition even where the
  // text names no other practice.
  auto defines_time_out = [&] {
    return has_any(lowered,
                   {"time-out\" means", "time-out\xE2\x80\x9d means", "time out\" means",
                    "time out\xE2\x80\x9d means", "timeout\" means", "timeout\xE2\x80\x9d means"});
  };
  bool force_text = authorizes_force(lowered);
  if (!has_rs_term(lowered) && !force_text && !defines_time_out()) return analysis;
  // The whole text decides the setting: a school text may quote facility law, but a text
  // about residents, inmates or vehicles with no school in it is never relevant.
  bool education = has_education_cue(lowered);
  bool force_law = force_text && education;
  bool permissive =
      (has_any(lowered, {"physical control over a pupil", "physical control over a student"}) &&
       education) ||
      force_law;
  // Definitions often carry no setting of their own ("a person"); with no other setting
  // named, restraint terms defined are taken as the school law they usually are.
  bool defines = has_any(lowered, {" means ", "shall mean", "for purposes of this section"});
  // A school text may quote facility or police law; a few such words among many school
  // words do not make it a prison or hospital text.
  int negatives = negative_cues(lowered);
  // ... but not when the text speaks of children in another setting and of no school at
  // all (a child-care centre's or a foster facility's rules, §9).
  bool other_children = !education && has_any(lowered, {"the child", "children", "a child"});
  bool clearly_school = (education || (defines && !other_children)) && negatives == 0;
  if (!clearly_school && education && negatives > 0) {
    clearly_school = count_of(lowered, {"student", "pupil", "school"}) >= 10 * negatives;
  }
  // §9: hazing statutes and child-care or foster-care rules name restraint but are another
  // setting's law; unless the text is plainly school law, they are not relevant.
  bool other_setting =
      has_any(lowered, {"hazing", "foster", "child care", "child-care", "day care", "childcare"});
  if (clearly_school || permissive) {
    analysis.relevant = true;
    analysis.score = 1;
  } else if (other_setting) {
    return analysis;
  } else {
    Relevance relevance = screen_relevance("", text);
    analysis.relevant = relevance.relevant;
    analysis.score = relevance.score;
  }
  if (!analysis.relevant) return analysis;

  std::set<std::pair<std::string, std::string>> seen;  // (category, section)
  // A provision found in a list's lead-in is not repeated for each of its items.
  auto seen_above = [&](const std::string& category, std::string path) {
    while (true) {
      if (seen.count({category, path})) return true;
      std::size_t open = path.rfind('(');
      if (open == std::string::npos || open == 0) return false;
      path.erase(open);
    }
  };
  std::vector<Clause> clauses = clauses_of(text, lowered);
  for (Clause& clause : clauses) clause.force_law = force_law;
  for (const Clause& clause : clauses) {
    for (auto& [category, confidence] : classify(clause, clause.section_findings)) {
      if (seen_above(category, clause.section)) continue;
      seen.insert({category, clause.section});
      FoundProvision p;
      p.category = category;
      p.section = clause.section;
      p.excerpt = trimmed(std::string(text.substr(clause.start, clause.end - clause.start)));
      p.start = clause.start;
      p.end = clause.end;
      p.confidence = confidence;
      bool ban = category.size() > 4 && category.substr(category.size() - 4) == "_ban";
      p.exceptions = ban && has_exception(clause.context.empty() ? clause.lowered : clause.context);
      if (category == "parent_notification" || category == "incident_reporting" ||
          category == "debriefing" || category == "data_reporting") {
        p.deadline = find_deadline(clause.lowered);
      }
      analysis.provisions.push_back(std::move(p));
    }
  }
  return analysis;
}

namespace {

std::set<std::string> word_set(const std::string& text) {
  std::set<std::string> words;
  std::string word;
  for (char c : text + " ") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      words.insert(std::move(word));
      word.clear();
    }
  }
  return words;
}

double similarity(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() && b.empty()) return 1;
  std::size_t common = 0;
  for (const auto& w : a) common += b.count(w);
  return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

}  // namespace

std::vector<ProvisionChange> diff_provisions(const std::vector<FoundProvision>& before,
                                             const std::vector<FoundProvision>& after) {
  // Within each category, pair old and new provisions by the words they share (bills
  // renumber their sections between versions); a pair with different words is Changed,
  // what is left unpaired was Removed or Added.
  std::vector<ProvisionChange> changes;
  for (const auto& category : provision_categories()) {
    std::vector<const FoundProvision*> olds;
    std::vector<const FoundProvision*> news;
    for (const auto& p : before) {
      if (p.category == category) olds.push_back(&p);
    }
    for (const auto& p : after) {
      if (p.category == category) news.push_back(&p);
    }
    std::vector<std::set<std::string>> old_words;
    std::vector<std::set<std::string>> new_words;
    for (const auto* p : olds) old_words.push_back(word_set(p->excerpt));
    for (const auto* p : news) new_words.push_back(word_set(p->excerpt));
    struct Pair {
      double score;
      std::size_t o;
      std::size_t n;
    };
    std::vector<Pair> pairs;
    // Word-overlap pairing is quadratic; past a bound (a hostile or enormous text) only
    // identical excerpts pair up.
    bool fuzzy = olds.size() * news.size() <= 250000;
    for (std::size_t o = 0; o < olds.size(); ++o) {
      for (std::size_t n = 0; n < news.size(); ++n) {
        if (!fuzzy && olds[o]->excerpt != news[n]->excerpt) continue;
        double s = similarity(old_words[o], new_words[n]);
        if (s >= 0.5) pairs.push_back({s, o, n});
      }
    }
    std::stable_sort(pairs.begin(), pairs.end(),
                     [](const Pair& a, const Pair& b) { return a.score > b.score; });
    std::vector<bool> old_used(olds.size());
    std::vector<bool> new_used(news.size());
    for (const auto& pair : pairs) {
      if (old_used[pair.o] || new_used[pair.n]) continue;
      old_used[pair.o] = true;
      new_used[pair.n] = true;
      const FoundProvision& o = *olds[pair.o];
      const FoundProvision& n = *news[pair.n];
      if (o.excerpt != n.excerpt) {
        changes.push_back(
            {ProvisionChange::Kind::Changed, category, n.section, o.excerpt, n.excerpt, o.section});
      }
    }
    for (std::size_t o = 0; o < olds.size(); ++o) {
      if (old_used[o]) continue;
      changes.push_back({ProvisionChange::Kind::Removed, category, olds[o]->section,
                         olds[o]->excerpt, "", olds[o]->section});
    }
    for (std::size_t n = 0; n < news.size(); ++n) {
      if (new_used[n]) continue;
      changes.push_back(
          {ProvisionChange::Kind::Added, category, news[n]->section, "", news[n]->excerpt});
    }
  }
  return changes;
}

}  // namespace billwatch::analysis
