// The CSS selector subset over real legislature pages.
#include "billwatch/crawler/html_selectors.hpp"

#include <gtest/gtest.h>

#include "billwatch/crawler/charset.hpp"
#include "files.hpp"

namespace billwatch::crawler {
namespace {

Selector sel(const char* text) {
  auto s = Selector::parse(text);
  EXPECT_TRUE(s) << text << ": " << s.error();
  return s ? s.value() : Selector::parse("*").value();
}

HtmlPage page(const std::string& html) {
  auto p = HtmlPage::parse(html);
  EXPECT_TRUE(p) << p.error();
  return std::move(p.value());
}

TEST(HtmlSelectorsTest, TheSubsetOnASmallPage) {
  HtmlPage p = page(R"(<html><body><div id="bill" class="card main">
      <h1>HB 1795</h1><p class="status">In committee</p>
      <table><tr><td>1/5/2011</td><td>First read</td></tr>
             <tr><td>1/12/2011</td><td>Referred</td></tr></table>
      <a href="S/" data-kind="version">Substitute</a><a href="/x.pdf">PDF</a></div>
      <p class="status">Elsewhere</p></body></html>)");
  EXPECT_EQ(p.select(sel("h1"))[0].text(), "HB 1795");
  EXPECT_EQ(p.select(sel("#bill > .status")).size(), 1u) << "child, not any descendant";
  EXPECT_EQ(p.select(sel(".status")).size(), 2u);
  EXPECT_EQ(p.select(sel("div.card.main h1")).size(), 1u);
  EXPECT_EQ(p.select(sel("a[data-kind=version]"))[0].attribute("href"), "S/");
  EXPECT_EQ(p.select(sel("a[data-kind='version']")).size(), 1u);
  EXPECT_EQ(p.select(sel("a[href]")).size(), 2u);
  auto rows = p.select(sel("table tr"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].select(sel("td:nth-child(2)"))[0].text(), "Referred");
  EXPECT_EQ(p.select(sel("h1, .status")).size(), 3u) << "a list, in document order";
  EXPECT_TRUE(p.select(sel("#nothing")).empty());
}

TEST(HtmlSelectorsTest, BadSelectorsSayWhereTheyAreWrong) {
  EXPECT_EQ(Selector::parse("div >").error(),
            "selector 'div >': expected a tag, '#', '.', '[' or ':' at character 6");
  EXPECT_EQ(Selector::parse("a:hover").error(),
            "selector 'a:hover': unsupported pseudo-class ':hover' (only :nth-child(n)) at "
            "character 8");
  EXPECT_EQ(Selector::parse("td:nth-child(0)").error(),
            "selector 'td:nth-child(0)': :nth-child takes a positive number at character 14");
  EXPECT_EQ(Selector::parse("[href").error(), "selector '[href': expected ']' at character 6");
  EXPECT_FALSE(Selector::parse("a ~ b"));
}

TEST(HtmlSelectorsTest, MissouriSenateActionsTable) {
  auto html = decode_to_utf8(test::read_fixture("states/mo_openstates_test_billactions.html"),
                             "windows-1252");
  ASSERT_TRUE(html) << html.error();
  HtmlPage p = page(html.value().text);
  auto rows = p.select(sel("div > table[border='3'] tr"));
  ASSERT_GE(rows.size(), 10u);
  EXPECT_EQ(parse_page_date(rows[0].select(sel("td:nth-child(1)"))[0].text()), "2010-12-01");
  EXPECT_EQ(rows[0].select(sel("td:nth-child(2)"))[0].text(), "Prefiled");
  EXPECT_EQ(rows[1].select(sel("td:nth-child(2)"))[0].text(), "S First Read--SB 1-Ridgeway");
}

TEST(HtmlSelectorsTest, DatesAndLinks) {
  EXPECT_EQ(parse_page_date("3/14/2011"), "2011-03-14");
  EXPECT_EQ(parse_page_date("02/02/11"), "2011-02-02") << "South Carolina's two-digit years";
  EXPECT_EQ(parse_page_date("2011-03-14"), "2011-03-14");
  EXPECT_EQ(parse_page_date("March 14, 2011"), "2011-03-14");
  EXPECT_EQ(parse_page_date("Mar. 14, 2011"), "2011-03-14");
  EXPECT_EQ(parse_page_date("14 March 2011"), "2011-03-14");
  EXPECT_EQ(parse_page_date("Mon 01/12 01:30 PM"), "") << "no year: not a date";
  EXPECT_EQ(parse_page_date("13/45/2011"), "");
  EXPECT_EQ(resolve_url("http://h/bill/2025-26/hb/1795/", "S/"),
            "http://h/bill/2025-26/hb/1795/S/");
  EXPECT_EQ(resolve_url("https://h/a/b.html?x=1", "../c.pdf"), "https://h/c.pdf");
  EXPECT_EQ(resolve_url("https://h/a/b.html", "/d/e.htm#top"), "https://h/d/e.htm");
  EXPECT_EQ(resolve_url("https://h/a/b.html", "?page=2"), "https://h/a/b.html?page=2");
  EXPECT_EQ(resolve_url("https://h/a/", "//cdn.example.org/x"), "https://cdn.example.org/x");
  EXPECT_EQ(resolve_url("https://h/a/", "mailto:clerk@example.org"), "");
  EXPECT_EQ(resolve_url("https://h/a/", "javascript:void(0)"), "");
}

TEST(HtmlSelectorsTest, AFailingDescendantChainOnADeepPageStaysPolynomial) {
  // 900 nested <div>s and a chain that fails at its first step: tried naively, every
  // combination of four ancestors (about 10^10) would be visited; remembered per node and
  // step it is a few million checks. (Without that, this test runs into ctest's timeout.)
  std::string deep;
  for (int i = 0; i < 900; ++i) deep += "<div>";
  HtmlPage p = page(deep);
  EXPECT_TRUE(p.select(sel("table div div div div")).empty());
  EXPECT_EQ(p.select(sel("div div div div")).size(), 897u);
}

TEST(HtmlSelectorsTest, HostilePagesAreBounded) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "<div>";
  auto p = HtmlPage::parse(deep);
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().find("nest"), std::string::npos) << p.error();
}

}  // namespace
}  // namespace billwatch::crawler
