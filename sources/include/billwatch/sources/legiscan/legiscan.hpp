#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/bill.hpp"
#include "billwatch/core/result.hpp"

namespace billwatch::sources {

// LegiScan's answers as values (data-sources §1.6). getBill and getBillText are verified
// shapes (tests/fixtures/states); getMasterListRaw and getSearchRaw are documented ones.
// Every answer with "status": "ERROR" is a Failure carrying LegiScan's own message.

// One document of a bill (texts[]). Fiscal notes, analyses and veto messages are
// documents about the bill, not versions of it.
struct LegiscanText {
  std::int64_t doc_id = 0;
  std::string date;
  std::string type;  // "Introduced", "Engrossed", ...
  int type_id = 0;
  std::string mime;  // "text/html", "application/pdf"
  std::string url;   // legiscan.com page
  std::string state_link;
  std::string text_hash;  // absent in older payloads
  bool is_version() const;
};

struct LegiscanBill {
  std::int64_t bill_id = 0;
  std::string change_hash;
  std::string state;  // USPS
  std::int64_t session_id = 0;
  std::string session_key;
  std::string session_name;
  std::string bill_number;  // "HB1"
  std::string title;
  std::string description;
  // The primary sponsor (sponsor_type_id 1, else the first listed): "Rep Carl Gatto (R,
  // HD-013)"; "" when none is listed.
  std::string sponsor;
  std::string url;  // legiscan.com page
  std::string state_link;
  int status = 0;
  std::string status_date;
  bool completed = false;
  // history[], oldest first, each with the stage its progress event or wording gives
  // (keep_stage_moves applied).
  std::vector<Action> actions;
  Stage stage = Stage::none;  // furthest_stage of the actions
  std::vector<LegiscanText> texts;
  Bill bill() const;  // id "AL-2025-HB-18", identifier "HB 18", legiscan_id
};

// getBill ({"status":"OK","bill":{...}}) or a dataset file ({"bill":{...}}).
Result<LegiscanBill> parse_legiscan_bill(std::string_view json);

// An entry of getMasterListRaw or getSearchRaw: which bill, and its change_hash.
struct LegiscanListEntry {
  std::int64_t bill_id = 0;
  std::string number;  // "HB1"
  std::string change_hash;
  std::string state;  // getSearchRaw gives it; getMasterListRaw does not
};
struct LegiscanList {
  std::vector<LegiscanListEntry> entries;
  int page_total = 1;  // getSearchRaw pages (2,000 results each); 1 for a master list
  std::int64_t stated =
      -1;  // how many results the answer says it has (summary.count); -1: not said
};
// List entries as "0", "1", ... keys beside a "session" (masterlist) or "summary"
// (searchresult) object, which is skipped, as the manual shows them; or as a "results"
// array, as the live service has been seen to answer getSearchRaw (a client tested
// against it reads searchresult.results).
Result<LegiscanList> parse_legiscan_list(std::string_view json);

// getBillText: the document, its `doc` decoded from base64.
struct LegiscanDocument {
  std::int64_t doc_id = 0;
  std::int64_t bill_id = 0;
  std::string date;
  std::string type;
  std::string mime;
  std::string body;
};
Result<LegiscanDocument> parse_legiscan_text(std::string_view json);

// The normalized stage of a progress event (lookup table legiscan_lookup_progress.csv):
// 1 Introduced, 2 Engrossed, 3 Enrolled, 4 Passed, 5 Vetoed, 6 Failed, 7 Override,
// 8 Chaptered, 9 Refer, 10 Report Pass, 11 Report DNP, 12 Draft; "" for others.
Stage legiscan_progress_stage(int event);

}  // namespace billwatch::sources
