#include "billwatch/crawler/page_text.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "billwatch/crawler/pdf_text.hpp"
#include "files.hpp"

namespace billwatch::crawler {
namespace {

TEST(PageTextTest, MarkdownPassesThroughWithItsHeadingAsTitle) {
  std::string body = test::read_fixture("states/wa_2025-26_HB1795_text_1_original.md");
  auto page = page_to_text(body, "text/markdown; charset=utf-8", "http://x/hb1795.md");
  ASSERT_TRUE(page) << page.error();
  EXPECT_EQ(page.value().format, PageFormat::Markdown);
  EXPECT_EQ(page.value().title, "HB 1795 - Student restraint, isolation");
  EXPECT_NE(page.value().text.find("## Section 2"), std::string::npos);
}

TEST(PageTextTest, FormatFromExtensionWhenTheServerDoesNotSay) {
  auto md = page_to_text("# Title\n\nbody", "", "http://x/bill.md?v=2");
  ASSERT_TRUE(md);
  EXPECT_EQ(md.value().format, PageFormat::Markdown);
  auto html = page_to_text("<!DOCTYPE html><title>T</title><p>x</p>", "text/plain", "http://x/");
  ASSERT_TRUE(html);
  EXPECT_EQ(html.value().format, PageFormat::Html);
  EXPECT_EQ(html.value().title, "T");
}

TEST(PageTextTest, HtmlMetaCharsetIsHonoured) {
  std::string body = test::read_fixture("states/sc_openstates_bill494.html");
  body += "<p>caf\xE9</p>";  // a Latin-1 byte, as the page's meta charset declares
  auto page = page_to_text(body, "text/html", "http://x/bill494.html");
  ASSERT_TRUE(page) << page.error();
  EXPECT_NE(page.value().text.find("caf\xC3\xA9"), std::string::npos);
}

TEST(PageTextTest, UndeclaredNonUtf8IsReadAsWindows1252) {
  auto page = page_to_text("<p>\x93Seclusion\x94</p>", "text/html", "http://x/");
  ASSERT_TRUE(page) << page.error();
  EXPECT_EQ(page.value().text, "\xE2\x80\x9CSeclusion\xE2\x80\x9D");
}

TEST(PageTextTest, AStrayInvalidByteIsReplacedAndReported) {
  auto page = page_to_text("<p>ok</p><p>bad \xFF byte</p>", "text/html; charset=utf-8", "u");
  ASSERT_TRUE(page) << page.error();
  EXPECT_EQ(page.value().text, "ok\n\nbad \xEF\xBF\xBD byte");
  EXPECT_EQ(page.value().warning,
            "replaced 1 byte(s) invalid in utf-8, the first at byte 16 with U+FFFD");
}

TEST(PageTextTest, MostlyInvalidBytesAreAnError) {
  // Latin-1 text mislabelled as UTF-8 would be sporadic; this is not text in any sense.
  std::string body = "<p>";
  for (int i = 0; i < 100; ++i) body += "\xFF\xFE";
  auto page = page_to_text(body + "</p>", "text/html; charset=utf-8", "u");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error(),
            "the page is not text in its charset: 200 byte(s) invalid in utf-8, the first at "
            "byte 3");
}

TEST(PageTextTest, Latin1LabelsReadAsWindows1252) {
  auto page = page_to_text("<p>\x93quoted\x94</p>", "text/html; charset=ISO-8859-1", "u");
  ASSERT_TRUE(page) << page.error();
  EXPECT_EQ(page.value().text, "\xE2\x80\x9Cquoted\xE2\x80\x9D");
}

TEST(PageTextTest, PdfBillsGiveTheirTextLayer) {
  auto page = page_to_text(test::read_fixture("states/pdf/wy_2026_HB0065_Introduced.pdf"),
                           "application/pdf", "https://wyoleg.gov/HB0065.pdf");
  ASSERT_TRUE(page) << page.error();
  EXPECT_EQ(page.value().format, PageFormat::Pdf);
  EXPECT_NE(page.value().text.find("K-12 public school discipline"), std::string::npos);
  EXPECT_NE(page.value().text.find("seclusion and restraint"), std::string::npos);
  auto other = page_to_text(test::read_fixture("states/pdf/wy_2026_SF0035_Introduced.pdf"), "",
                            "https://wyoleg.gov/SF0035.pdf");
  ASSERT_TRUE(other) << other.error();
  EXPECT_NE(other.value().text.find("cell phone"), std::string::npos);

  std::string damaged = test::read_fixture("states/pdf/wy_2026_SF0035_Introduced.pdf");
  damaged.resize(2000);
  auto bad = page_to_text(damaged, "application/pdf", "u");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().rfind("cannot read the PDF: ", 0), 0u) << bad.error();
  auto too_long = pdf_to_text(test::read_fixture("states/pdf/wy_2026_HB0065_Introduced.pdf"), 3);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error(), "the PDF has 10 pages, more than 3; not read");
}

// A one-page PDF whose page tree claims `count` pages, with a correct xref table.
std::string pdf_claiming(long count) {
  std::string stream = "BT /F1 12 Tf 72 720 Td (No seclusion room may be used.) Tj ET";
  std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count " + std::to_string(count) + " >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << "
      "/Font << /F1 5 0 R >> >> >>",
      "<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream + "\nendstream",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  std::size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (std::size_t offset : offsets) {
    std::string digits = std::to_string(offset);
    pdf += std::string(10 - digits.size(), '0') + digits + " 00000 n \n";
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

TEST(PageTextTest, APdfClaimingABillionPagesIsAClearErrorNotACrash) {
  // The same file with an honest count reads: the construction is a valid PDF.
  auto honest = pdf_to_text(pdf_claiming(1));
  ASSERT_TRUE(honest) << honest.error();
  EXPECT_NE(honest.value().find("No seclusion room may be used."), std::string::npos);
  // Regression: poppler reports the bad count while counting pages, after loading, and
  // billwatch's error handler then pointed at nothing (a crash, found by hand while
  // writing the PDF fuzz target). Both ways of reading now say what is wrong.
  for (bool isolated : {true, false}) {
    auto claimed = isolated ? pdf_to_text(pdf_claiming(1000000000))
                            : pdf_to_text_in_process(pdf_claiming(1000000000));
    ASSERT_FALSE(claimed);
    EXPECT_EQ(claimed.error(),
              "the PDF has no readable text (error: Page count (1000000000) larger than number "
              "of objects (6))")
        << (isolated ? "isolated" : "in process");
  }
}

TEST(PageTextTest, APdfWithOneByteInsertedStillReads) {
  // Regression, found by fuzz_pdf_text in its fifth run: one byte inserted into a real
  // Wyoming bill shifts every xref offset; poppler rebuilds the table and reports it while
  // counting pages, which crashed billwatch's error handler. Now the text is read.
  std::string pdf = test::read_fixture("states/pdf/wy_2026_SF0035_Introduced.pdf");
  pdf.insert(55398, "?");
  auto in_process = pdf_to_text_in_process(pdf);
  ASSERT_TRUE(in_process) << in_process.error();
  EXPECT_NE(in_process.value().find("smart watches"), std::string::npos);
  auto isolated = pdf_to_text(pdf);
  ASSERT_TRUE(isolated) << isolated.error();
  EXPECT_EQ(isolated.value(), in_process.value());
}

TEST(PageTextTest, BinaryAndPdfAreErrors) {
  auto image = page_to_text("\x89PNG\r\n", "image/png", "u");
  ASSERT_FALSE(image);
  EXPECT_EQ(image.error(), "the response is binary content (image/png), not a text page");
  auto nul = page_to_text(std::string("abc\0def", 7), "text/html", "u");
  ASSERT_FALSE(nul);
  EXPECT_NE(nul.error().find("NUL bytes"), std::string::npos);
  auto pdf = page_to_text("%PDF-1.7\n", "", "u");
  ASSERT_FALSE(pdf);
  EXPECT_NE(pdf.error().find("PDF"), std::string::npos);
  auto json = page_to_text("{}", "application/json", "u");
  ASSERT_FALSE(json);
  EXPECT_NE(json.error().find("unsupported content type 'application/json'"), std::string::npos);
}

TEST(PageTextTest, EmptyPageIsAnError) {
  auto page = page_to_text("<html><body><script>x()</script></body></html>", "text/html", "u");
  ASSERT_FALSE(page);
  EXPECT_EQ(page.error(), "the page has no text");
}

TEST(NormalizeTextTest, WhitespaceOnlyDifferencesVanish) {
  EXPECT_EQ(normalize_text("\r\n\n a  \r\nb\t\n\n\n\nc  \n\n"), " a\nb\n\nc");
  EXPECT_EQ(normalize_text("x\r\ny"), normalize_text("x  \ny\n\n"));
}

}  // namespace
}  // namespace billwatch::crawler
