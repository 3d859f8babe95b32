// `./run bench analyze [MB]`: provision-analyzer throughput on one core, in MB/s of
// normalized text, over the fixture bills repeated to at least MB megabytes (default 50).
// Absolute MB/s varies between runs of these shared machines, so it is also reported as a
// ratio to a baseline measured in the same run on the same text: a case-insensitive scan
// for the restraint/seclusion stems, the least any analyzer must do.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "billwatch/analysis/provisions.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "files.hpp"

namespace {

// The baseline: lower-case a copy of the text and count the restraint/seclusion stems.
std::size_t scan_for_stems(const std::string& text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::size_t hits = 0;
  for (const char* stem : {"restrain", "seclu", "isolat", "aversive", "prone"}) {
    std::size_t n = std::strlen(stem);
    for (std::size_t at = lowered.find(stem); at != std::string::npos;
         at = lowered.find(stem, at + n)) {
      ++hits;
    }
  }
  return hits;
}

}  // namespace

int main(int argc, char** argv) {
  double target_mb = argc > 1 ? std::stod(argv[1]) : 50;
  std::vector<std::string> bills;
  for (const char* name :
       {"states/wa_2025-26_HB1795_text_1_original.md",
        "states/wa_2025-26_HB1795_text_S_substitute.md",
        "states/wy_2026_HB0065_Introduced_extracted.txt", "states/az_2016_HB2001_text.txt",
        "states/az_2016_HB2215_text_restraint_of_trade_negative.txt",
        "federal/BILLS-119hr9025ih.html", "states/sc_openstates_494_fulltext.htm",
        "states/mo_openstates_test_billtext-house.html"}) {
    auto page = billwatch::crawler::page_to_text(billwatch::test::read_fixture(name), "", name);
    if (page) bills.push_back(page.value().text);
  }
  std::size_t corpus = 0;
  for (const auto& b : bills) corpus += b.size();
  std::size_t rounds = static_cast<std::size_t>(target_mb * 1e6 / static_cast<double>(corpus)) + 1;

  // The two are timed in turns, five times each over a fifth of the rounds, and the median
  // of the five ratios is reported: a machine that slows down for a second then slows both
  // sides of one ratio, not the analyzer alone.
  constexpr std::size_t k_turns = 5;
  std::size_t per_turn = std::max<std::size_t>(1, rounds / k_turns);
  std::size_t bytes = 0;
  std::size_t provisions = 0;
  std::size_t stems = 0;
  double seconds = 0;
  double baseline_seconds = 0;
  std::vector<double> ratios;
  auto elapsed = [](auto since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
  };
  for (std::size_t turn = 0; turn < k_turns; ++turn) {
    auto start = std::chrono::steady_clock::now();
    for (std::size_t r = 0; r < per_turn; ++r) {
      for (const auto& bill : bills) {
        provisions += billwatch::analysis::analyze_provisions(bill).provisions.size();
        bytes += bill.size();
      }
    }
    double analyzer = elapsed(start);
    start = std::chrono::steady_clock::now();
    for (std::size_t r = 0; r < per_turn; ++r) {
      for (const auto& bill : bills) stems += scan_for_stems(bill);
    }
    double baseline = elapsed(start);
    seconds += analyzer;
    baseline_seconds += baseline;
    ratios.push_back(baseline / analyzer);
  }
  std::sort(ratios.begin(), ratios.end());
  std::printf(
      "\nanalyze benchmark: %zu fixture bills (%.1f kB) x %zu = %.1f MB of normalized text, "
      "one core\n\n",
      bills.size(), static_cast<double>(corpus) / 1e3, per_turn * k_turns,
      static_cast<double>(bytes) / 1e6);
  std::printf("| measure | value |\n|---|---:|\n");
  std::printf("| time | %.2f s |\n", seconds);
  std::printf("| throughput | %.1f MB/s (target >= 50) |\n",
              static_cast<double>(bytes) / 1e6 / seconds);
  std::printf("| provisions found | %zu (%zu per round) |\n", provisions,
              provisions / (per_turn * k_turns));
  std::printf("| baseline: stem scan, same text, same run | %.1f MB/s (%zu stems) |\n",
              static_cast<double>(bytes) / 1e6 / baseline_seconds, stems);
  std::printf("| analyzer / baseline, median of %zu turns | %.3f (%.3f to %.3f) |\n", k_turns,
              ratios[k_turns / 2], ratios.front(), ratios.back());
  return 0;
}
