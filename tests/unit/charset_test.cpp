#include "billwatch/crawler/charset.hpp"

#include <gtest/gtest.h>

namespace billwatch::crawler {
namespace {

TEST(CharsetTest, FromContentType) {
  EXPECT_EQ(charset_from_content_type("text/html; charset=UTF-8"), "utf-8");
  EXPECT_EQ(charset_from_content_type("text/html;charset=\"windows-1252\""), "windows-1252");
  EXPECT_EQ(charset_from_content_type("text/html"), "");
}

TEST(CharsetTest, MetaSniffing) {
  EXPECT_EQ(sniff_meta_charset("<html><head><meta charset=\"ISO-8859-1\">"), "iso-8859-1");
  EXPECT_EQ(sniff_meta_charset("<META http-equiv=\"Content-Type\" content=\"text/html; "
                               "charset=UTF-8\">"),
            "utf-8");
  EXPECT_EQ(sniff_meta_charset("<html><body>charset=nothing</body>"), "");
}

TEST(CharsetTest, Utf8Validation) {
  EXPECT_EQ(find_invalid_utf8("plain ascii"), std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("caf\xC3\xA9 \xE2\x80\x9Cquoted\xE2\x80\x9D"),
            std::string_view::npos);
  EXPECT_EQ(find_invalid_utf8("ab\xFF"), 2u);
  EXPECT_EQ(find_invalid_utf8("a\xC0\xAF"), 1u);         // overlong '/'
  EXPECT_EQ(find_invalid_utf8("a\xED\xA0\x80"), 1u);     // surrogate
  EXPECT_EQ(find_invalid_utf8("abc\xE2\x80"), 3u);       // truncated
  EXPECT_EQ(find_invalid_utf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
}

TEST(CharsetTest, ConvertsLegacyCharsets) {
  auto converted = decode_to_utf8("\x93quoted\x94 caf\xE9", "windows-1252");
  ASSERT_TRUE(converted) << converted.error();
  EXPECT_EQ(converted.value().text, "\xE2\x80\x9Cquoted\xE2\x80\x9D caf\xC3\xA9");
  EXPECT_EQ(converted.value().invalid_bytes, 0u);
  auto unknown = decode_to_utf8("x", "klingon-8");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error(), "unknown charset 'klingon-8'");
}

TEST(CharsetTest, InvalidBytesBecomeReplacementCharacters) {
  auto utf8 = decode_to_utf8(
      "ab\xFF"
      "c\xC3\xA9\xE2\x80",
      "utf-8");
  ASSERT_TRUE(utf8);
  EXPECT_EQ(utf8.value().text,
            "ab\xEF\xBF\xBD"
            "c\xC3\xA9\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(utf8.value().invalid_bytes, 3u);
  EXPECT_EQ(utf8.value().first_invalid, 2u);

  // 0x81 and 0x8D are undefined in windows-1252.
  auto cp1252 = decode_to_utf8("x\x81y\x8Dz", "windows-1252");
  ASSERT_TRUE(cp1252);
  EXPECT_EQ(cp1252.value().text, "x\xEF\xBF\xBDy\xEF\xBF\xBDz");
  EXPECT_EQ(cp1252.value().invalid_bytes, 2u);
  EXPECT_EQ(cp1252.value().first_invalid, 1u);

  // A multi-byte charset cut off at the end of the body.
  auto sjis = decode_to_utf8("ok\x82", "shift_jis");
  ASSERT_TRUE(sjis);
  EXPECT_EQ(sjis.value().text, "ok\xEF\xBF\xBD");
  EXPECT_EQ(sjis.value().first_invalid, 2u);

  auto valid = decode_to_utf8("caf\xC3\xA9", "utf-8");
  ASSERT_TRUE(valid);
  EXPECT_EQ(valid.value().text, "caf\xC3\xA9");
  EXPECT_EQ(valid.value().first_invalid, std::string_view::npos);
}

}  // namespace
}  // namespace billwatch::crawler
