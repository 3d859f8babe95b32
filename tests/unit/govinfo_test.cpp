#include "billwatch/sources/congress/govinfo.hpp"

#include <gtest/gtest.h>

namespace billwatch::sources {
namespace {

TEST(GovinfoTest, CongressInSessionTurnsOverOnJanuaryThirdOfOddYears) {
  EXPECT_EQ(congress_at(*parse_date("2026-11-28")), 119);
  EXPECT_EQ(congress_at(*parse_date("2025-01-03")), 119);
  EXPECT_EQ(congress_at(*parse_date("2025-01-02")), 118);
  EXPECT_EQ(congress_at(*parse_date("2022-03-10")), 117);
  EXPECT_EQ(congress_end_date(117), "2023-01-03");
  EXPECT_EQ(congress_end_date(119), "2027-01-03");
}

TEST(GovinfoTest, BillstatusPathsAndNames) {
  EXPECT_EQ(billstatus_sitemap_url("https://www.govinfo.gov/", 119, "hr"),
            "https://www.govinfo.gov/sitemap/bulkdata/BILLSTATUS/119hr/sitemap.xml");
  EXPECT_EQ(billstatus_url("http://127.0.0.1:8080", 117, "sconres", "7"),
            "http://127.0.0.1:8080/bulkdata/BILLSTATUS/117/sconres/BILLSTATUS-117sconres7.xml");
  auto ref = parse_billstatus_name(
      "https://www.govinfo.gov/bulkdata/BILLSTATUS/117/hr/BILLSTATUS-117hr4350.xml");
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->congress, 117);
  EXPECT_EQ(ref->type, "hr");
  EXPECT_EQ(ref->number, "4350");
  EXPECT_EQ(ref->bill_id(), "US-117-HR-4350");
  EXPECT_EQ(parse_billstatus_name("BILLSTATUS-117hjres37.xml")->type, "hjres");
  EXPECT_FALSE(parse_billstatus_name("BILLSTATUS-117hr4350.zip"));
  EXPECT_FALSE(parse_billstatus_name("BILLSTATUS-117xx4350.xml")) << "unknown bill type";
  EXPECT_FALSE(parse_billstatus_name("/bulkdata/BILLSTATUS/117/hr/"));
}

TEST(GovinfoTest, PackagesAndFederalIds) {
  auto ref = parse_bills_package("BILLS-119hr6617ih");
  ASSERT_TRUE(ref);
  EXPECT_EQ(ref->bill_id(), "US-119-HR-6617");
  EXPECT_EQ(ref->version, "ih");
  EXPECT_EQ(parse_bills_package("bills-116sconres10RS.xml")->version, "rs")
      << "USLM samples are mixed case";
  EXPECT_FALSE(parse_bills_package("BILLS-119hr6617")) << "a package names its version";
  EXPECT_EQ(parse_federal_bill_id("US-119-HR-6617")->number, "6617");
  EXPECT_EQ(parse_federal_bill_id("US-117-SJRES-4")->type, "sjres");
  EXPECT_FALSE(parse_federal_bill_id("WA-2025-HB-1795"));
  EXPECT_FALSE(parse_federal_bill_id("US-119-HB-6617"));
}

TEST(GovinfoTest, TextFilesComeFromTheBaseWhateverHostTheStatusFileNames) {
  auto files = text_files("http://127.0.0.1:9/",
                          "https://www.govinfo.gov/content/pkg/BILLS-117s35es/xml/"
                          "BILLS-117s35es.xml");
  ASSERT_TRUE(files);
  EXPECT_EQ(files->package, "BILLS-117s35es");
  EXPECT_EQ(files->xml_url, "http://127.0.0.1:9/content/pkg/BILLS-117s35es/xml/BILLS-117s35es.xml");
  EXPECT_EQ(files->html_url,
            "http://127.0.0.1:9/content/pkg/BILLS-117s35es/html/BILLS-117s35es.htm");
  // congress.gov's copy (Cloudflare challenges robots: data-sources T6) maps by file name.
  auto mirrored = text_files("https://www.govinfo.gov",
                             "https://www.congress.gov/117/bills/hr21/BILLS-117hr21ih.xml");
  ASSERT_TRUE(mirrored);
  EXPECT_EQ(mirrored->xml_url,
            "https://www.govinfo.gov/content/pkg/BILLS-117hr21ih/xml/BILLS-117hr21ih.xml");
  EXPECT_FALSE(text_files("https://www.govinfo.gov", "https://example.org/bill.pdf"));
  EXPECT_EQ(version_name("enr"), "Enrolled Bill");
  EXPECT_EQ(version_name("pcs"), "Placed on Calendar Senate");
  EXPECT_EQ(version_name("zz"), "") << "unknown codes are kept, unnamed";
}

}  // namespace
}  // namespace billwatch::sources

namespace billwatch::sources {
namespace {

// Version codes as the real H.R. 3076 text list has them (real-api/congress_api).
TEST(GovinfoTest, VersionCodesKeepTheirDigitAndPublicLawsAreTheirOwnPackage) {
  auto pcs = text_files("https://g.example",
                        "https://www.congress.gov/117/bills/hr3076/BILLS-117hr3076pcs.xml");
  auto pcs2 = text_files("https://g.example",
                         "https://www.congress.gov/117/bills/hr3076/BILLS-117hr3076pcs2.xml");
  ASSERT_TRUE(pcs && pcs2);
  EXPECT_EQ(pcs->package, "BILLS-117hr3076pcs");
  EXPECT_EQ(pcs2->package, "BILLS-117hr3076pcs2");
  EXPECT_EQ(pcs2->ref.version, "pcs2");
  EXPECT_EQ(pcs2->xml_url,
            "https://g.example/content/pkg/BILLS-117hr3076pcs2/xml/BILLS-117hr3076pcs2.xml");
  EXPECT_EQ(version_name("pcs2"), "Placed on Calendar Senate");
  EXPECT_EQ(parse_bills_package("BILLS-117hr4350ih.htm")->version, "ih");
  auto law = text_files("https://g.example",
                        "https://www.congress.gov/117/plaws/publ108/PLAW-117publ108_uslm.xml");
  ASSERT_TRUE(law);
  EXPECT_EQ(law->package, "PLAW-117publ108");
  EXPECT_EQ(law->ref.version, "pl");
  EXPECT_EQ(law->xml_url, "https://g.example/content/pkg/PLAW-117publ108/uslm/PLAW-117publ108.xml");
  EXPECT_EQ(law->html_url,
            "https://g.example/content/pkg/PLAW-117publ108/html/PLAW-117publ108.htm");
  EXPECT_EQ(version_name("pl"), "Public Law");
  EXPECT_FALSE(text_files("https://g.example", "https://example.org/PLAW-117xx108.htm"));
}

TEST(GovinfoTest, TimestampsAreDaysInWashington) {
  EXPECT_EQ(washington_date("2022-02-15T05:00:00Z"), "2022-02-15") << "midnight EST";
  EXPECT_EQ(washington_date("2021-05-11T04:00:00Z"), "2021-05-11") << "midnight EDT";
  EXPECT_EQ(washington_date("2022-04-07T03:59:59Z"), "2022-04-06");
  EXPECT_EQ(washington_date("2022-04-07"), "2022-04-07");
  EXPECT_EQ(washington_date(""), "");
  EXPECT_EQ(washington_date("2022-04-07Tgarbage99Z"), "2022-04-07");
}

}  // namespace
}  // namespace billwatch::sources
