// `./run bench store [VERSIONS]`: stores VERSIONS versions (default 10,000) of real bill
// text in a fresh database and reports the insert rate, the database size against the
// raw text, and the latency of the researchers' queries over it.
//
// The corpus: the real bill texts under tests/fixtures. Each simulated bill starts from
// one of them, made its own (every paragraph carries the bill's number, so no two bills
// share paragraphs), then goes through 20 versions; each new version amends about 5% of
// the paragraphs, sometimes inserting or striking one, as committee substitutes and floor
// amendments do.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/store/store.hpp"
#include "files.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using billwatch::store::Store;

std::vector<std::string> corpus() {
  std::vector<std::string> texts;
  for (const char* name :
       {"states/wa_2025-26_HB1795_text_1_original.md",
        "states/wa_2025-26_HB1795_text_S_substitute.md",
        "states/wy_2026_HB0065_Introduced_extracted.txt", "states/az_2016_HB2001_text.txt",
        "states/az_2016_HB2215_text_restraint_of_trade_negative.txt"}) {
    texts.push_back(billwatch::crawler::normalize_text(billwatch::test::read_fixture(name)));
  }
  for (const char* name :
       {"federal/BILLS-119hr9025ih.html", "states/sc_openstates_494_fulltext.htm",
        "states/mo_openstates_test_billtext-house.html"}) {
    auto page =
        billwatch::crawler::page_to_text(billwatch::test::read_fixture(name), "text/html", name);
    if (page) texts.push_back(page.value().text);
  }
  return texts;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::size_t from = 0;
  while (true) {
    std::size_t at = text.find("\n\n", from);
    out.push_back(text.substr(from, at == std::string::npos ? std::string::npos : at - from));
    if (at == std::string::npos) return out;
    from = at + 2;
  }
}

std::string join(const std::vector<std::string>& paragraphs) {
  std::string out;
  for (std::size_t i = 0; i < paragraphs.size(); ++i) out += (i ? "\n\n" : "") + paragraphs[i];
  return out;
}

void amend(std::vector<std::string>& paragraphs, std::mt19937& rng, int version) {
  std::uniform_int_distribution<std::size_t> pick(0, paragraphs.size() - 1);
  std::size_t changes = std::max<std::size_t>(1, paragraphs.size() / 20);
  for (std::size_t c = 0; c < changes; ++c) {
    std::string& p = paragraphs[pick(rng)];
    std::size_t space = p.find(' ', p.size() / 2);
    p.insert(space == std::string::npos ? p.size() : space,
             " (as amended in version " + std::to_string(version) + ")");
  }
  std::uniform_int_distribution<int> dice(0, 9);
  if (dice(rng) == 0) {
    paragraphs.insert(paragraphs.begin() + static_cast<long>(pick(rng)),
                      "NEW SECTION. Sec. " + std::to_string(100 + version) +
                          ". A school shall report each use of restraint or isolation to the "
                          "student's parent on the day it occurs.");
  }
  if (dice(rng) == 1 && paragraphs.size() > 2) {
    paragraphs.erase(paragraphs.begin() + static_cast<long>(pick(rng)));
  }
}

template <typename F>
double median_ms(int repeats, F&& f) {
  std::vector<double> times;
  for (int i = 0; i < repeats; ++i) {
    auto start = Clock::now();
    f();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int versions = argc > 1 ? std::stoi(argv[1]) : 10000;
  constexpr int k_versions_per_bill = 20;
  int bills = std::max(1, versions / k_versions_per_bill);
  billwatch::test::TempDir dir;
  std::string path = dir.file("bench.db");
  std::vector<std::string> texts = corpus();
  std::mt19937 rng(42);

  Store store = Store::open(path);
  std::size_t raw_bytes = 0;
  int stored = 0;
  auto start = Clock::now();
  for (int b = 0; b < bills && stored < versions; ++b) {
    std::vector<std::string> paragraphs = split(texts[static_cast<std::size_t>(b) % texts.size()]);
    for (auto& p : paragraphs) p += " [bill " + std::to_string(b) + "]";
    for (int v = 0; v < k_versions_per_bill && stored < versions; ++v) {
      if (v > 0) amend(paragraphs, rng, v);
      billwatch::store::NewVersion version;
      version.bill.id = "XX-2026-HB-" + std::to_string(1000 + b);
      version.bill.jurisdiction = b % 2 ? "WA" : "US";
      version.bill.title = "Bill " + std::to_string(b);
      version.bill.source = "bench";
      version.bill.url = "https://example.org/bill/" + std::to_string(b);
      version.text = join(paragraphs);
      version.provenance.url = version.bill.url;
      version.provenance.fetched_at = 1767225600 + stored;
      version.provenance.http_status = 200;
      version.label = "v" + std::to_string(v);
      raw_bytes += version.text.size();
      store.save_version(version, 1767225600 + stored);
      ++stored;
    }
  }
  double insert_s = std::chrono::duration<double>(Clock::now() - start).count();

  billwatch::store::BillFilter as_of;
  as_of.as_of = 1767225600 + stored / 2;
  double bills_ms = median_ms(11, [&] { (void)store.bills(); });
  double as_of_ms = median_ms(11, [&] { (void)store.bills(as_of); });
  double search_ms = median_ms(11, [&] { (void)store.search("seclusion"); });
  double phrase_ms = median_ms(11, [&] { (void)store.search("\"physical restraint\""); });
  double latest_ms = median_ms(11, [&] { (void)store.latest_version("XX-2026-HB-1007"); });
  double history_ms = median_ms(11, [&] { (void)store.history("XX-2026-HB-1007"); });

  // Size on disk once the write-ahead log is folded in.
  store = Store::open_in_memory();
  {
    Store reopened = Store::open(path);
    reopened.backup(dir.file("compact.db"));
  }
  auto db_bytes = std::filesystem::file_size(dir.file("compact.db"));

  std::printf(
      "\nstore benchmark: %d versions of %d bills (%d versions each, ~5%% of "
      "paragraphs amended per version)\n\n",
      stored, bills, k_versions_per_bill);
  std::printf("| measure | value |\n|---|---:|\n");
  std::printf("| insert rate | %.0f versions/s (%.2f s) |\n", stored / insert_s, insert_s);
  std::printf("| raw text | %.1f MB |\n", raw_bytes / 1e6);
  std::printf("| database | %.1f MB |\n", static_cast<double>(db_bytes) / 1e6);
  std::printf("| database / raw text | %.3f (target <= 0.35) |\n",
              static_cast<double>(db_bytes) / static_cast<double>(raw_bytes));
  std::printf("| `bills` (all %d) | %.1f ms |\n", bills, bills_ms);
  std::printf("| `bills --as-of` | %.1f ms |\n", as_of_ms);
  std::printf("| `search seclusion` | %.1f ms |\n", search_ms);
  std::printf("| `search \"physical restraint\"` | %.1f ms |\n", phrase_ms);
  std::printf("| latest version with text | %.2f ms |\n", latest_ms);
  std::printf("| `history` of one bill | %.1f ms |\n", history_ms);
  return 0;
}
