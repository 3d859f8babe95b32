#pragma once

#include <chrono>
#include <ostream>

#include "billwatch/crawler/http_client.hpp"

namespace billwatch::app {

// Shows crawl progress. On a terminal: one line rewritten in place (done/total, bytes,
// failures, ETA), at most ten times a second. Elsewhere (the journal, cron mail): a plain
// line at every tenth of the way.
class ProgressPrinter final : public crawler::FetchObserver {
 public:
  ProgressPrinter(std::ostream& out, bool terminal);
  void on_progress(std::size_t done, std::size_t total, std::size_t bytes,
                   std::size_t failed) override;

 private:
  std::ostream& m_out;
  bool m_terminal;
  std::chrono::steady_clock::time_point m_started;
  std::chrono::steady_clock::time_point m_last_draw{};
  std::size_t m_last_tenth = 0;
};

// "1.5 MB", "320 kB", "12 B"
std::string human_bytes(std::size_t bytes);

}  // namespace billwatch::app
