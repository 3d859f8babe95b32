#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/bill_update.hpp"

namespace billwatch::sources {

// One document a source wants as text: a bill's text version.
struct DocumentJob {
  std::string url;
  // Fetched instead when `url` is missing (404) or cannot be read as text: govinfo's HTML
  // rendering of a version whose XML is absent (usgpo/api#125) or malformed. "" for none.
  std::string fallback_url;
  std::string what;  // names the document in messages: "HR-119-1234 'Introduced in House'"
};

struct DocumentOptions {
  // A 404 (after the fallback) is pending, not an error: a status file lists versions a
  // day or more before govinfo publishes their text (data-sources T12).
  bool missing_is_pending = false;
};

// Called once per job: its document, or nullopt when it failed (already reported, and
// recorded in the fetch log) and the bill must be tried again next run.
using DocumentDone = std::function<void(std::size_t job, std::optional<FetchedDocument>)>;

// The one way sources turn document URLs into text: fetched through the crawler (politely,
// robots.txt, per-host pacing, size limits), each page made text by page_to_text, its
// warnings reported, failures reported once and recorded; jobs whose URL failed and that
// have a fallback are fetched again from it in a second round.
void fetch_documents(SourceRun& run, const std::string& source,
                     const std::vector<DocumentJob>& jobs, const DocumentDone& done,
                     DocumentOptions options = {});

}  // namespace billwatch::sources
