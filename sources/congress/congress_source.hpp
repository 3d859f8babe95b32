#pragma once

#include "billwatch/config/config.hpp"
#include "billwatch/sources/source_run.hpp"

namespace billwatch::sources {

// The federal source (`type = "congress"`), one run of it:
//  1. discovery: govinfo's BILLSTATUS sitemaps (fetched with their validators) say which
//     status files moved; only those, the files a previous run failed on, and newly
//     tracked bills are fetched;
//  2. each status file is parsed; its bill is followed when it is on topic (titles,
//     subjects, summary), listed in `track`, followed before, or (scan_text) when its
//     newest text is relevant. Bills not followed are remembered as read and not stored;
//  3. the text versions of followed bills that are not stored yet are fetched (XML, else
//     HTML) and analyzed;
//  4. each followed bill is saved (actions, stage, every new version in date order, their
//     events), and its file marked processed only when nothing failed, so a failure is
//     retried by the next run;
//  5. followed bills of a Congress that has ended without them becoming law are `dead`.
// Per-file failures are reported with their URL and never stop the other files.
void run_congress_source(const config::SourceConfig& source, SourceRun& run);

}  // namespace billwatch::sources
