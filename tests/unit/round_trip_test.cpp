// The record's invariant, as a property: whatever a page is, the text billwatch stores is
// the text it reads back, byte for byte, with its SHA-256 verified (and `check` agrees).
// Inputs: the real fixture pages of every format, each mutated at random in the ways real
// pages differ (printed line numbers, blank-line runs, CRLF, trailing blanks, stray bytes).
#include <gtest/gtest.h>

#include <random>

#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/store/store.hpp"
#include "files.hpp"

namespace billwatch::store {
namespace {

struct Page {
  std::string name;
  std::string body;
  std::string type;
};

std::vector<Page> fixture_pages() {
  return {
      {"wa original (Markdown)", test::read_fixture("states/wa_2025-26_HB1795_text_1_original.md"),
       "text/markdown"},
      {"wy HB0065 (text with line numbers)",
       test::read_fixture("states/wy_2026_HB0065_Introduced_extracted.txt"), "text/plain"},
      {"az (text)", test::read_fixture("states/az_2016_HB2001_text.txt"), "text/plain"},
      {"sc (HTML)", test::read_fixture("states/sc_openstates_494_fulltext.htm"), "text/html"},
      {"mo (HTML)", test::read_fixture("states/mo_openstates_test_billtext-house.html"),
       "text/html"},
      {"wy HB0065 (PDF)", test::read_fixture("states/pdf/wy_2026_HB0065_Introduced.pdf"),
       "application/pdf"},
      {"wy SF0035 (PDF)", test::read_fixture("states/pdf/wy_2026_SF0035_Introduced.pdf"),
       "application/pdf"},
      {"hello", "1 hello world\n", "text/plain"},
  };
}

// One random change of the kind real pages have.
std::string mutate(std::string body, std::mt19937& random) {
  if (body.empty()) return "1 x";
  std::size_t at = random() % body.size();
  switch (random() % 7) {
    case 0:
      return body.insert(at, "\n" + std::to_string(random() % 40) + " ");
    case 1:
      return body.insert(at, "\n\n\n\n");
    case 2:
      return body.insert(at, "\r\n");
    case 3:
      return body.insert(at, "   \t\n");
    case 4:
      return body.insert(at, 1, static_cast<char>(0x80 + random() % 0x80));
    case 5:
      return body.insert(at, "-\nrestraining ");
    default:
      return body.erase(at, random() % 64);
  }
}

void expect_round_trip(Store& store, const std::string& bill_id, const std::string& text,
                       const std::string& what) {
  NewVersion version;
  version.bill.id = bill_id;
  version.bill.jurisdiction = "XX";
  version.text = text;
  store.save_version(version, 1000);
  auto back = store.latest_version(bill_id);
  ASSERT_TRUE(back) << what;
  EXPECT_EQ(back->text, text) << what;
  EXPECT_EQ(back->content_hash, sha256_hex(text)) << what;
  EXPECT_TRUE(store.is_latest_text(bill_id, text)) << what;
}

TEST(RoundTripTest, EveryStoredTextReadsBackByteIdentical) {
  Store store = Store::open_in_memory();
  std::mt19937 random(20261207);
  int n = 0;
  for (const Page& page : fixture_pages()) {
    bool pdf = page.type == "application/pdf";
    // PDFs go through poppler in a child process: a few of them, not hundreds.
    int rounds = pdf ? 2 : 40;
    std::string body = page.body;
    for (int round = 0; round < rounds; ++round) {
      if (round > 0 && !pdf) body = mutate(body, random);
      auto text = crawler::page_to_text(body, page.type, "https://example.org/" + page.name);
      std::string what = page.name + " round " + std::to_string(round);
      if (text)
        expect_round_trip(store, "XX-1-HB-" + std::to_string(n % 5), text.value().text, what);
      // The store keeps any bytes, not only what page_to_text makes.
      expect_round_trip(store, "XX-1-SB-" + std::to_string(n % 3), body, what + " (raw)");
      ++n;
    }
  }
  for (std::string edge :
       {std::string(), std::string("\n"), std::string("\n\n"), std::string("a\n\n\n\nb"),
        std::string("\n\nx\n\n"), std::string("nul\0byte", 8)}) {
    expect_round_trip(store, "XX-1-HB-9", edge, "edge case");
  }
  EXPECT_TRUE(store.check().empty());
}

}  // namespace
}  // namespace billwatch::store
