// Alert mail building: RFC 2047 header encoding and the text and HTML bodies, from a bill
// title, URL, change samples and actions that come from crawled pages. The input is split
// at NUL bytes into those fields.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "billwatch/notifier/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> fields(5);
  std::size_t field = 0;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0 && field + 1 < fields.size()) {
      ++field;
    } else {
      fields[field].push_back(static_cast<char>(data[i]));
    }
  }
  (void)billwatch::notifier::encode_header_value(fields[0]);
  billwatch::ChangeEvent event;
  event.id = 7;
  event.kind = billwatch::EventKind::NewVersion;
  event.bill.id = "WA-2025-HB-1795";
  event.bill.jurisdiction = "WA";
  event.bill.title = fields[0];
  event.bill.url = fields[1];
  event.change = billwatch::ChangeSummary{10, 20, 1, 1, {fields[2]}, {fields[3]}};
  event.new_actions = {{"2025-03-04", "House", fields[4], billwatch::Stage::passed_one_chamber}};
  try {
    (void)billwatch::notifier::build_message(event, "alerts@example.org", "parent@example.org", 3,
                                             1764325500);
  } catch (const std::invalid_argument&) {
    // A title or URL with a line break is refused by design.
  }
  return 0;
}
