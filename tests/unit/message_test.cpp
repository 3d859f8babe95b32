#include "billwatch/notifier/message.hpp"

#include <gtest/gtest.h>

#include "billwatch/notifier/address.hpp"

namespace billwatch::notifier {
namespace {

ChangeEvent changed_event() {
  ChangeEvent e;
  e.id = 7;
  e.kind = EventKind::NewVersion;
  e.created_at = 1764325500;  // 2025-11-28T10:25:00Z
  e.bill = Bill{};
  e.bill.id = "wa-hb1795";
  e.bill.jurisdiction = "WA";
  e.bill.title = "HB 1795 - Student restraint, isolation";
  e.bill.source = "wa";
  e.bill.url = "https://example.org/hb1795?a=1&b=<2>";
  e.relevant = true;
  e.change = ChangeSummary{60912, 12782, 43, 240, {"Added <b>text</b>"}, {"Old text"}};
  return e;
}

TEST(MessageTest, NewVersionSaysWhatChanged) {
  Message m = build_message(changed_event(), "Bill alerts <alerts@example.org>",
                            "parent@example.org", 3, 1764325500);
  EXPECT_EQ(m.envelope_from, "alerts@example.org");
  EXPECT_EQ(m.envelope_to, "parent@example.org");
  EXPECT_EQ(m.subject, "[billwatch] WA HB 1795 - Student restraint, isolation: new version");
  EXPECT_EQ(m.date, "Fri, 28 Nov 2025 10:25:00 +0000");
  EXPECT_EQ(m.message_id, "<billwatch.event7.sub3@example.org>");
  EXPECT_NE(m.text.find("The text went from 60,912 to 12,782 characters: 43 paragraphs added, "
                        "240 paragraphs removed.\r\n"),
            std::string::npos);
  EXPECT_NE(m.text.find("  + Added <b>text</b>\r\n"), std::string::npos);
  EXPECT_NE(m.text.find("  - Old text\r\n"), std::string::npos);
  EXPECT_NE(m.text.find("Source: https://example.org/hb1795?a=1&b=<2>"), std::string::npos);
  EXPECT_EQ(m.text.find("\n\n"), std::string::npos) << "bare LF in a mail body";
  // Bill text is escaped in HTML, links included.
  EXPECT_NE(m.html.find("<li>Added &lt;b&gt;text&lt;/b&gt;</li>"), std::string::npos);
  EXPECT_NE(m.html.find("href=\"https://example.org/hb1795?a=1&amp;b=&lt;2&gt;\""),
            std::string::npos);
}

TEST(MessageTest, NewBillHasNoChangeSection) {
  ChangeEvent e = changed_event();
  e.kind = EventKind::NewBill;
  e.change.reset();
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_EQ(m.subject, "[billwatch] WA HB 1795 - Student restraint, isolation: now watching");
  EXPECT_NE(m.text.find("billwatch is now watching this bill"), std::string::npos);
  EXPECT_EQ(m.text.find("paragraphs added"), std::string::npos);
}

TEST(MessageTest, NonAsciiSubjectIsEncodedInShortWords) {
  ChangeEvent e = changed_event();
  e.bill.title =
      "Proyecto de ley: restricci\xC3\xB3n y aislamiento de estudiantes \xE2\x80\x94 "
      "escuelas p\xC3\xBA"
      "blicas de Washington";
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_EQ(m.subject.rfind("=?UTF-8?B?", 0), 0u);
  std::size_t pos = 0;
  while (pos < m.subject.size()) {
    std::size_t end = m.subject.find("\r\n ", pos);
    std::string word = m.subject.substr(pos, end == std::string::npos ? end : end - pos);
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_EQ(word.substr(word.size() - 2), "?=");
    pos = end == std::string::npos ? m.subject.size() : end + 3;
  }
}

TEST(MessageTest, EncodeHeaderValueLeavesAsciiAlone) {
  EXPECT_EQ(encode_header_value("plain"), "plain");
  EXPECT_EQ(encode_header_value("caf\xC3\xA9"), "=?UTF-8?B?Y2Fmw6k=?=");
}

TEST(MessageTest, HeaderInjectionIsRejected) {
  EXPECT_THROW(build_message(changed_event(), "alerts@example.org",
                             "p@example.org\r\nBcc: victim@example.org", 1, 0),
               std::invalid_argument);
  EXPECT_THROW(build_message(changed_event(), "a@example.org\nX: y", "p@example.org", 1, 0),
               std::invalid_argument);
  EXPECT_THROW(build_message(changed_event(), "alerts@example.org", "not an address", 1, 0),
               std::invalid_argument);
}

TEST(AddressTest, Validation) {
  EXPECT_TRUE(is_valid_address("parent@example.org"));
  EXPECT_TRUE(is_valid_address("first.last+tag@sub.example.org"));
  EXPECT_FALSE(is_valid_address("no-at-sign"));
  EXPECT_FALSE(is_valid_address("a@b@c"));
  EXPECT_FALSE(is_valid_address("a b@example.org"));
  EXPECT_FALSE(is_valid_address("a@example.org\r\n"));
  EXPECT_FALSE(is_valid_address("<a@example.org>"));
  EXPECT_FALSE(is_valid_address("a@.example.org"));
  EXPECT_EQ(address_of("Bill alerts <alerts@example.org>"), "alerts@example.org");
  EXPECT_EQ(address_of(" alerts@example.org "), "alerts@example.org");
}

TEST(MessageTest, LegiscanDataIsAttributed) {
  ChangeEvent e = changed_event();
  Message plain = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_EQ(plain.text.find("LegiScan"), std::string::npos);
  e.bill.legiscan_id = "1885997";
  Message attributed = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_NE(
      attributed.text.find("Bill data from LegiScan (https://legiscan.com), licensed CC BY 4.0."),
      std::string::npos);
  EXPECT_NE(attributed.html.find("licensed CC BY 4.0"), std::string::npos);
}

}  // namespace
}  // namespace billwatch::notifier
