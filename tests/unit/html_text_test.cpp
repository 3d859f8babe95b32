#include "billwatch/crawler/html_text.hpp"

#include <gtest/gtest.h>

#include "files.hpp"

namespace billwatch::crawler {
namespace {

HtmlText parse(std::string_view html) {
  auto result = html_to_text(html);
  EXPECT_TRUE(result) << result.error();
  return result ? result.value() : HtmlText{};
}

TEST(HtmlTextTest, DropsChromeKeepsHeadingsAndParagraphs) {
  HtmlText page = parse(R"(<html><head><title> HB  1795 </title><style>p{}</style>
    <script>var x = "<p>not text</p>";</script></head>
    <body><header>Site banner</header><nav><a href="/">Home</a></nav>
    <h1>Student   restraint</h1><p>Line one<br>line two</p>
    <ul><li>first</li><li>second</li></ul><footer>Contact us</footer></body></html>)");
  EXPECT_EQ(page.title, "HB 1795");
  EXPECT_EQ(page.text, "Student restraint\n\nLine one\nline two\n\nfirst\nsecond");
}

TEST(HtmlTextTest, TitleFallsBackToFirstH1AndKeepsPreformattedLines) {
  HtmlText page = parse("<body><h1>Bill <b>S. 494</b></h1><pre>a  b\nc</pre></body>");
  EXPECT_EQ(page.title, "Bill S. 494");
  EXPECT_EQ(page.text, "Bill S. 494\n\na b\nc");
}

TEST(HtmlTextTest, TableCellsAreSeparated) {
  HtmlText page = parse(
      "<table><tr><td>1/5/2011</td><td>Introduced</td></tr>"
      "<tr><td>1/6/2011</td><td>Referred</td></tr></table>");
  EXPECT_EQ(page.text, "1/5/2011 Introduced\n1/6/2011 Referred");
}

TEST(HtmlTextTest, RealFederalBillPage) {
  HtmlText page = parse(test::read_fixture("federal/BILLS-119hr9025ih.html"));
  EXPECT_EQ(page.title, "H. R. 9025 (Introduced-in-House)");
  EXPECT_NE(page.text.find("John Madden Memorial Post Office"), std::string::npos);
  EXPECT_EQ(page.text.find("text-decoration"), std::string::npos) << "CSS leaked into text";
  EXPECT_EQ(page.text.find("<"), std::string::npos);
}

TEST(HtmlTextTest, StruckTextIsNotOperativeTextInsertedTextIs) {
  HtmlText page = parse(
      "<p>Staff <del>may use</del><ins>shall not use</ins> seclusion; <strike>except in an "
      "emergency</strike> <s>ever</s>no exceptions.</p>");
  EXPECT_EQ(page.text, "Staff shall not use seclusion; no exceptions.");
}

TEST(HtmlTextTest, BillXmlKeepsTheTextAndDropsMetadataAndStruckText) {
  auto page = bill_xml_to_text(
      "<?xml version=\"1.0\"?><bill><metadata><dublinCore><dc:title>118 HR 1</dc:title>"
      "</dublinCore></metadata><form><official-title>To protect students.</official-title>"
      "</form><legis-body><section><enum>2.</enum><header>Seclusion</header><text>No school "
      "shall <deleted-text>ever </deleted-text>use seclusion.</text><subsection><enum>(a)"
      "</enum><text>Report each use.</text></subsection></section></legis-body></bill>");
  ASSERT_TRUE(page) << page.error();
  EXPECT_EQ(page.value().title, "To protect students.");
  EXPECT_EQ(page.value().text,
            "To protect students.\n\n2. Seclusion No school shall use seclusion.\n\n(a) Report "
            "each use.");
}

TEST(HtmlTextTest, MissouriBoldBracketedDeletionsAreNotOperativeText) {
  HtmlText page = parse(
      "<p>A <span style=\"font-weight: bold\">[</span>four-year<span style=\"font-weight: "
      "bold\">]</span> <u>five-year</u> term; [plain brackets stay].</p>");
  EXPECT_EQ(page.text, "A five-year term; [plain brackets stay].");
  std::string raw = test::read_fixture("states/mo_openstates_test_billtext-house.html");
  HtmlText bill = parse(raw);
  EXPECT_EQ(bill.text.find("four-year"), std::string::npos) << "deleted twice in this bill";
  EXPECT_NE(raw.find("four-year"), std::string::npos);
}

TEST(HtmlTextTest, UpperCaseScriptAndStyleEndTagsEndThem) {
  HtmlText page = parse(
      "<HTML><HEAD><STYLE>p { color: red }</STYLE><SCRIPT>var a = 1 < 2;</Script></HEAD>"
      "<BODY><P>Seclusion is prohibited.</P></BODY></HTML>");
  EXPECT_EQ(page.text, "Seclusion is prohibited.");
}

TEST(HtmlTextTest, RealMissouriBillPage) {
  HtmlText page = parse(test::read_fixture("states/mo_openstates_test_billdetail.html"));
  EXPECT_NE(page.text.find("Signed by Governor"), std::string::npos);
  EXPECT_EQ(page.text.find("function("), std::string::npos) << "script leaked into text";
}

TEST(HtmlTextTest, RealSouthCarolinaFullText) {
  HtmlText page = parse(test::read_fixture("states/sc_openstates_494_fulltext.htm"));
  EXPECT_NE(page.text.find("494"), std::string::npos);
  EXPECT_EQ(page.text.find("FONT-FAMILY"), std::string::npos);
}

TEST(HtmlTextTest, DeepNestingIsRefusedBeforeParsing) {
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<div>";
  html += "deep";
  auto result = html_to_text(html);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().find("nesting is deeper than 1000"), std::string::npos);
}

TEST(HtmlTextTest, OrdinaryUnclosedParagraphsAreNotCountedAsNesting) {
  std::string html = "<body>";
  for (int i = 0; i < 5000; ++i) html += "<p>para<li>item<td>cell<br>";
  auto result = html_to_text(html);
  EXPECT_TRUE(result) << result.error();
}

TEST(HtmlTextTest, TooManyElementsIsRefused) {
  std::string html;
  for (int i = 0; i < 20; ++i) html += "<span>x</span>";
  auto result = html_to_text(html, HtmlLimits{1000, 10});
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().find("more than 10 elements"), std::string::npos);
}

}  // namespace
}  // namespace billwatch::crawler
