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
  auto converted = convert_to_utf8("\x93quoted\x94 caf\xE9", "windows-1252");
  ASSERT_TRUE(converted) << converted.error();
  EXPECT_EQ(converted.value(), "\xE2\x80\x9Cquoted\xE2\x80\x9D caf\xC3\xA9");
  auto unknown = convert_to_utf8("x", "klingon-8");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error(), "unknown charset 'klingon-8'");
  auto invalid = convert_to_utf8("ab\xFF", "utf-8");
  ASSERT_FALSE(invalid);
  EXPECT_EQ(invalid.error(), "invalid utf-8 byte sequence at byte 2");
}

}  // namespace
}  // namespace billwatch::crawler
