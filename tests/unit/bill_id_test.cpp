#include "billwatch/sources/html/bill_id.hpp"

#include <gtest/gtest.h>

namespace billwatch::sources {
namespace {

TEST(BillIdTest, ExplicitThenNameThenUrlSlug) {
  config::SourceConfig one;
  one.type = "html";
  one.name = "wa-hb1795";
  one.jurisdiction = "WA";
  one.urls = {"https://a/x"};
  EXPECT_EQ(bill_id_for(one, "https://a/x"), "wa-hb1795");
  one.bill_id = "WA-2025-HB-1795";
  EXPECT_EQ(bill_id_for(one, "https://a/x"), "WA-2025-HB-1795");

  config::SourceConfig many;
  many.type = "html";
  many.name = "mo";
  many.jurisdiction = "MO";
  many.urls = {"https://a/b", "https://c/d"};
  EXPECT_EQ(bill_id_for(many, "https://senate.mo.gov/11info/BTS_Web/Bill.aspx?BillID=123#top"),
            "mo/11info-bts-web-bill-aspx-billid-123");
  EXPECT_EQ(bill_id_for(many, "https://example.org/"), "mo/index");
}

}  // namespace
}  // namespace billwatch::sources
