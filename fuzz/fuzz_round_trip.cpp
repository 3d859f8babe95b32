// The record's round trip, whole: a page (HTML, Markdown, text, govinfo XML, chosen by the
// first byte) is turned into text and stored; the text read back must be byte-identical
// with its hash verified. The raw bytes are stored too, since the store must keep any text.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/store/store.hpp"

namespace {

std::unique_ptr<billwatch::store::Store> g_store;

billwatch::store::Store& store() {
  return *g_store;
}

// A fresh database every 500 inputs, so it does not grow for the whole run (between
// inputs: a store replaced in the middle of one would look like a lost text).
void next_input() {
  static int inputs = 0;
  if (!g_store || ++inputs % 500 == 0) {
    g_store = std::make_unique<billwatch::store::Store>(billwatch::store::Store::open_in_memory());
  }
}

void round_trip(const std::string& bill_id, const std::string& text) {
  billwatch::store::NewVersion version;
  version.bill.id = bill_id;
  version.bill.jurisdiction = "XX";
  version.text = text;
  store().save_version(version, 1000);
  auto back = store().latest_version(bill_id);
  if (!back || back->text != text || back->content_hash != billwatch::sha256_hex(text)) {
    __builtin_trap();
  }
  if (!store().is_latest_text(bill_id, text)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  next_input();
  static const char* const k_types[] = {"text/html; charset=utf-8", "text/markdown", "text/plain",
                                        "application/xml", ""};
  const char* type = k_types[data[0] % 5];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  auto page = billwatch::crawler::page_to_text(body, type, "https://example.org/bill");
  if (page) round_trip("XX-1-HB-1", page.value().text);
  round_trip("XX-1-HB-2", std::string(body));
  return 0;
}
