#include "billwatch/crawler/robots.hpp"

#include <gtest/gtest.h>

namespace billwatch::crawler {
namespace {

TEST(RobotsTest, OurGroupWinsOverStarAndLongestRuleDecides) {
  auto rules = RobotsRules::parse(
      "# comment\nUser-agent: *\nDisallow: /\n\n"
      "User-agent: OtherBot\nUser-agent: BillWatch\nDisallow: /bills/private\n"
      "Allow: /bills/private/notice\nCrawl-delay: 2.5\n",
      "billwatch");
  EXPECT_TRUE(rules.allowed("/bills/1795"));
  EXPECT_FALSE(rules.allowed("/bills/private/draft"));
  EXPECT_TRUE(rules.allowed("/bills/private/notice?x=1"));
  EXPECT_EQ(rules.crawl_delay(), 2.5);
  auto others = RobotsRules::parse("User-agent: *\nDisallow: /\n", "billwatch");
  EXPECT_FALSE(others.allowed("/anything"));
  EXPECT_TRUE(others.allowed("/robots.txt"));
}

TEST(RobotsTest, WildcardsAndEndAnchor) {
  auto rules = RobotsRules::parse(
      "User-agent: *\nDisallow: /*.pdf$\nDisallow: /search*q=\nAllow: /search/help\n", "bw");
  EXPECT_FALSE(rules.allowed("/bills/1795.pdf"));
  EXPECT_TRUE(rules.allowed("/bills/1795.pdf?download=1"));
  EXPECT_FALSE(rules.allowed("/search?q=restraint"));
  EXPECT_TRUE(rules.allowed("/search/help"));
}

TEST(RobotsTest, EqualLengthTieGoesToAllowAndEmptyDisallowAllowsAll) {
  auto tie = RobotsRules::parse("User-agent: *\nDisallow: /page\nAllow: /page\n", "bw");
  EXPECT_TRUE(tie.allowed("/page"));
  auto empty = RobotsRules::parse("User-agent: *\nDisallow:\n", "bw");
  EXPECT_TRUE(empty.allowed("/x"));
  EXPECT_TRUE(RobotsRules().allowed("/x"));
  EXPECT_FALSE(RobotsRules::disallow_all().allowed("/x"));
}

TEST(RobotsTest, GarbageIsIgnoredAndBadDelaysDropped) {
  auto rules = RobotsRules::parse(
      "\x01\x02 not robots\nUser-agent *\nUser-agent: *\nCrawl-delay: soon\nDisallow: /a\n", "bw");
  EXPECT_FALSE(rules.allowed("/a"));
  EXPECT_FALSE(rules.crawl_delay());
  std::string hostile = "User-agent: *\nDisallow: /" + std::string(5000, '*') + "x$\n";
  EXPECT_TRUE(RobotsRules::parse(hostile, "bw").allowed("/" + std::string(5000, 'a')));
}

TEST(RobotsTest, ProductToken) {
  EXPECT_EQ(product_token("billwatch/0.1 (+mailto:you@example.org)"), "billwatch");
  EXPECT_EQ(product_token("BillWatch-Test"), "billwatch-test");
}

}  // namespace
}  // namespace billwatch::crawler
