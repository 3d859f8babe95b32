#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "billwatch/core/clock.hpp"

namespace billwatch::sources {

// Where govinfo keeps things, and what its file names say. Pure string work, so the
// Congress source can be pointed at a mirror or a loopback server by changing `base`
// ("https://www.govinfo.gov").

// The Congress in session at `t`: the 119th from 2025-01-03 to 2027-01-03.
int congress_at(Timestamp t);
// The day a Congress ends, YYYY-MM-DD (noon on January 3rd of the year after its second).
std::string congress_end_date(int congress);

// /sitemap/bulkdata/BILLSTATUS/{congress}{type}/sitemap.xml
std::string billstatus_sitemap_url(std::string_view base, int congress, std::string_view type);
// /bulkdata/BILLSTATUS/{congress}/{type}/BILLSTATUS-{congress}{type}{number}.xml
std::string billstatus_url(std::string_view base, int congress, std::string_view type,
                           std::string_view number);

// A bill named by a file or package: BILLSTATUS-117hr4350.xml, BILLS-117hr4350ih.
struct BillRef {
  int congress = 0;
  std::string type;    // lower case: hr, s, hjres, ...
  std::string number;  // digits
  // The text version code (ih, eh, enr, pcs2, ...; "pl" for a Public Law); "" for BILLSTATUS.
  std::string version;
  std::string bill_id() const;  // "US-117-HR-4350"
};

// The bill of a BILLSTATUS file URL or name; nullopt when it is not one.
std::optional<BillRef> parse_billstatus_name(std::string_view url_or_name);
// The bill and version of a BILLS package id or of any URL that contains one
// (case-insensitive: govinfo's USLM samples are mixed case); nullopt when none.
std::optional<BillRef> parse_bills_package(std::string_view url_or_name);
// "US-119-HR-6617" (or "us-119-hr-6617") -> the bill; nullopt when it is not a federal id.
std::optional<BillRef> parse_federal_bill_id(std::string_view id);

// A text version's files on govinfo: the XML, and the HTML to fall back on when there is
// no XML (usgpo/api#125). Whatever host the BILLSTATUS file names (govinfo, or
// congress.gov, which answers robots with Cloudflare challenges: data-sources T6), the
// files are taken from `base` by their package id.
struct TextFiles {
  BillRef ref;
  std::string package;  // "BILLS-117hr4350ih"
  std::string xml_url;
  std::string html_url;
};
// A Public Law entry (congress.gov's .../plaws/publ108/PLAW-117publ108.htm) is govinfo's PLAW
// package: its USLM XML, and HTML to fall back on, with version code "pl".
std::optional<TextFiles> text_files(std::string_view base, std::string_view url);

// The day of an api.congress.gov timestamp in Washington: "2022-02-15T05:00:00Z" is
// 2022-02-15 (midnight EST) and "2022-04-07T03:59:59Z" is 2022-04-06, the day Public Law
// 117-108 was signed. Taken as UTC-4 (EDT), which keeps midnight EST (05:00Z) on its day;
// a date without a time is returned as it is, and "" stays "".
std::string washington_date(std::string_view timestamp);

// The usual name of a version code ("ih" -> "Introduced in House"); "" when unknown.
std::string version_name(std::string_view code);

}  // namespace billwatch::sources
