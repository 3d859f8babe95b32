#pragma once

#include "billwatch/config/config.hpp"
#include "billwatch/sources/source_run.hpp"

namespace billwatch::sources {

// The Open States source (`type = "openstates"`), one run of it (data-sources §1.7):
//  1. GET /bills with the topic query, per listed jurisdiction (or all), updated since
//     the last run (a day of overlap), with actions, versions and sources, 20 a page;
//  2. a bill is followed when its title is on topic, it is in `track`, or it was followed
//     before; a followed bill changed only when its content hash (identifier, title, the
//     sorted actions, the versions' notes, dates and links) moved: timestamps, ids and
//     action order are not changes (T7, T8);
//  3. new version documents (HTML, PDF) are fetched through the crawler and analyzed;
//  4. the bill is saved with its actions (stages from Open States' classifications).
// Requests stay within the key's tier (requests_per_minute paces them; requests_per_day
// stops them with a warning); a 429 is retried after its Retry-After by the crawler.
void run_openstates_source(const config::SourceConfig& source, SourceRun& run);

}  // namespace billwatch::sources
