#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace billwatch {

// What one run did, as `billwatch run` prints it (and `--json`, and the runs table): the
// sources' counters, the mail's, and one line per failure or warning.
struct RunSummary {
  int fetched = 0;       // pages that answered with a body
  int not_modified = 0;  // pages that answered 304
  int unchanged = 0;     // fetched, but the text was the stored one
  int changed = 0;       // new version of a known bill
  int new_bills = 0;     // first version of a bill
  int failed = 0;        // fetch, block or decode failures
  int off_topic = 0;     // federal bills read and not followed (not about the topic)
  int emails_sent = 0;
  int emails_failed = 0;
  int emails_queued = 0;     // pending deliveries left for a later run
  bool mail_failed = false;  // the mail server failed or did not answer (the reason is in warnings)
  std::size_t bytes_downloaded = 0;
  std::size_t requests = 0;     // HTTP requests, robots.txt and retries included
  std::size_t connections = 0;  // new connections; the rest of the requests reused one
  int retries = 0;
  int blocked = 0;         // block or challenge pages (also counted in failed)
  int robots_skipped = 0;  // URLs robots.txt disallows (not counted in failed)
  double seconds = 0;
  std::vector<std::string> errors;    // one line per failure, naming source and URL
  std::vector<std::string> warnings;  // stored, but worth a look (e.g. bytes replaced)
};

}  // namespace billwatch
