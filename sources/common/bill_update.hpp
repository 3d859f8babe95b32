#pragma once

#include <optional>
#include <string>
#include <vector>

#include "billwatch/core/bill.hpp"
#include "billwatch/crawler/http_client.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/sources/source_run.hpp"

namespace billwatch::sources {

// A document a source fetched for a bill: one text version, ready to be made a version.
struct FetchedDocument {
  crawler::PageText page;
  Provenance provenance;
  std::string label;  // the source's name: "Introduced in House", "Engrossed"
  std::string code;   // the source's code: "ih", "4"
  std::string date;   // YYYY-MM-DD, may be ""
};

// A fetched page's text as a document of a bill, with where it came from.
FetchedDocument document_of(crawler::PageText page, const std::string& url,
                            const crawler::Fetched& fetched, Timestamp now);

// What saving found: whether anything was recorded, for the run's counters. Failed: the
// bill's stored data could not be read or written; that is an error for this bill alone
// (already reported), and the caller must not mark its items processed, so the next run
// tries again.
enum class Saved { NewBill, Changed, Unchanged, Failed };

// Stores what a source learned about one followed bill, as the store's transactions want
// it: its actions (and stage) with the first new document, then each further document as
// a version of its own, oldest first (undated ones last), each analyzed and diffed
// against the previous one. Logs each event and counts the bill in the run's summary.
Saved save_bill(SourceRun& run, const Bill& bill, const std::vector<Action>& actions,
                std::vector<FetchedDocument> documents);

}  // namespace billwatch::sources
