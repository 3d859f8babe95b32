#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/bill.hpp"
#include "billwatch/core/result.hpp"
#include "billwatch/sources/congress/billstatus.hpp"

namespace billwatch::sources {

// Answers of the two optional, keyed federal APIs, as values. Both sit behind
// api.data.gov keys, sent in the X-Api-Key header. Shapes: data-sources §1.3 and §1.4 and
// the fixtures in tests/fixtures/federal/api-congress-gov and govinfo-api.

// One bill of an api.congress.gov list (/v3/bill/{congress}/{type}?fromDateTime=...).
struct ApiBill {
  int congress = 0;
  std::string type;    // lower case: hr, s, ...
  std::string number;  // digits
  std::string update_date;
  std::string title;
  std::string bill_id() const;  // "US-117-HR-3617"
};

// A page of a list, and the URL of the next page ("" on the last one).
template <typename T>
struct ApiPage {
  std::vector<T> items;
  std::string next;
  std::int64_t stated = -1;  // pagination.count: how many the whole listing has; -1 unsaid
  int skipped = 0;           // entries not read as what the page lists
};

Result<ApiPage<ApiBill>> parse_congress_bill_list(std::string_view json);

// /v3/bill/{congress}/{type}/{number}/actions: the page's actions oldest first (the API
// lists them newest first: T8), each with federal_action_stage's stage; the caller runs
// keep_stage_moves over all pages.
Result<ApiPage<Action>> parse_congress_actions(std::string_view json);

// /v3/bill/{congress}/{type}/{number}/text: the text versions, each with its XML URL when
// there is one (else the first format's). The URLs point at www.congress.gov; text_files()
// maps them to govinfo by their package id (T6).
Result<ApiPage<TextVersionRef>> parse_congress_text_versions(std::string_view json);

// One package of api.govinfo.gov /collections/{collection}/{since}: "BILLSTATUS-117hr4350"
// and when it last changed.
struct GovinfoPackage {
  std::string package_id;
  std::string last_modified;
};
// nextPage is followed as given (offsetMark paging).
Result<ApiPage<GovinfoPackage>> parse_govinfo_collection(std::string_view json);

}  // namespace billwatch::sources
