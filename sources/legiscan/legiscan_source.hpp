#pragma once

#include "billwatch/config/config.hpp"
#include "billwatch/sources/source_run.hpp"

namespace billwatch::sources {

// The LegiScan source (`type = "legiscan"`), one run of it (data-sources §1.6):
//  1. discovery: getSearchRaw with the topic query over this year's bills of every state
//     (or the listed ones); tracking: getMasterListRaw for each session a followed bill is
//     in. Both give each bill's change_hash;
//  2. getBill only for bills whose change_hash differs from the one last processed; the
//     bill is followed when its title or description is on topic, it is in `track`, or
//     it was followed before; others are remembered and not stored;
//  3. getBillText only for version documents (not fiscal notes or veto messages) not
//     stored yet; HTML and PDF become text and go through the analyzer;
//  4. the bill is saved with its actions (stages from LegiScan's progress events) and new
//     versions. Every call counts against the monthly budget (a warning at 80%, a stop at
//     100%); the key goes in the query, as LegiScan requires, and never into any printed
//     or stored URL.
void run_legiscan_source(const config::SourceConfig& source, SourceRun& run);

}  // namespace billwatch::sources
