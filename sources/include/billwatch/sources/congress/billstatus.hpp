#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/bill.hpp"
#include "billwatch/core/result.hpp"
#include "billwatch/sources/common/stages.hpp"

namespace billwatch::sources {

// A text version govinfo lists for a bill ("Introduced in Senate", its date and XML URL).
struct TextVersionRef {
  std::string type;
  std::string date;  // YYYY-MM-DD, may be empty (enrolled bills often have none)
  std::string url;
};

// What a govinfo BILLSTATUS file says about one bill.
struct BillStatus {
  Bill bill;  // id "US-117-HR-4350", jurisdiction "US", title, session "117", identifier
  int congress = 0;
  std::string type;    // lower case: "hr", "s", "hjres", "sconres", ...
  std::string number;  // "4350"
  std::string introduced_date;
  std::string update_date;
  std::string origin_chamber;
  std::vector<std::string> sponsors;
  int cosponsors = 0;
  std::vector<std::string> titles;  // every title (display, official, short), each once
  std::string summary;              // the latest CRS summary, as plain text
  std::string policy_area;
  std::vector<std::string> subjects;
  std::vector<std::string> committees;
  std::vector<std::string> laws;  // "Public Law 114-70"
  // Oldest first. An action's stage is the stage it moved the bill to ("" when the bill
  // was already as far or further), so the latest action with a stage is the bill's.
  std::vector<Action> actions;
  Action latest_action;  // the bill's own (a direct child of <bill>)
  std::vector<TextVersionRef> text_versions;
  Stage stage = Stage::none;  // normalized, from the actions (see federal_stage) and laws
};

// The chamber of a federal action, from its source system's name ("House floor actions"),
// its action code (H...), or for the Library of Congress's own items its text; "" when
// none says. BILLSTATUS and api.congress.gov give the same three fields.
std::string federal_action_chamber(std::string_view source_name, std::string_view action_code,
                                   std::string_view text);

// The bill as billwatch names it: id "US-117-HR-4350", jurisdiction "US", session "117",
// identifier "H.R. 4350" and its congress.gov page as url.
Bill federal_bill(int congress, std::string_view type, std::string_view number);

// Parses a BILLSTATUS file in any of its generations: the pre-2017 legacy layout, format
// 1.0.0 (billNumber/billType) and 3.0.0 (number/type, as govinfo serves since 2022).
// Not XML, an HTML error page, a truncated file or a file that is not BILLSTATUS is a
// Failure naming what was found. Only the <latestAction> directly under <bill> is the
// bill's (related bills and amendments have their own); empty text-version items are
// skipped. pugixml parses in place, so 4 MB files are read without quadratic copies.
Result<BillStatus> parse_billstatus(std::string_view xml);

// One <url> of a sitemap (or <sitemap> of a sitemap index): where a file is and when it
// last changed. govinfo publishes one per BILLSTATUS collection
// (/sitemap/bulkdata/BILLSTATUS/{congress}{type}/sitemap.xml); a file whose lastmod did not
// move since the last run need not be fetched.
struct SitemapEntry {
  std::string loc;
  std::string lastmod;
};

// Entries of a sitemap (<urlset>) or sitemap index (<sitemapindex>), in document order.
Result<std::vector<SitemapEntry>> parse_sitemap(std::string_view xml);

// The normalized stage one action moves a bill to ("" when it moves nothing), from the
// action's text and type: introduced, in_committee, reported, passed_one_chamber,
// to_executive, enacted, vetoed. (Passing the second chamber is decided over all actions,
// by federal_stage.)
Stage federal_action_stage(const Action& action, std::string_view type);

// The bill's stage after all its actions (furthest_stage).
Stage federal_stage(const std::vector<Action>& actions);

}  // namespace billwatch::sources
