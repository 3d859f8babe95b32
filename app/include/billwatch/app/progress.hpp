#pragma once

#include <chrono>
#include <ostream>
#include <streambuf>
#include <string>

#include "billwatch/crawler/http_client.hpp"

namespace billwatch::app {

// Shows crawl progress. On a terminal: one line rewritten in place (done/total, bytes,
// failures, ETA), at most ten times a second. Elsewhere (the journal, cron mail): a plain
// line at every tenth of the way.
//
// Log lines meant for the same terminal go through log_stream(): each complete line is
// printed above the progress line, which is then redrawn, so the two never interleave.
class ProgressPrinter final : public crawler::FetchObserver {
 public:
  ProgressPrinter(std::ostream& out, bool terminal);
  ~ProgressPrinter() override;
  ProgressPrinter(const ProgressPrinter&) = delete;
  ProgressPrinter& operator=(const ProgressPrinter&) = delete;

  void on_progress(std::size_t done, std::size_t total, std::size_t bytes,
                   std::size_t failed) override;
  // The output stream itself when it is not a terminal.
  // Log lines go through terminal_safe (they carry titles and URLs from pages); the
  // progress line's own control sequences do not.
  std::ostream& log_stream() { return m_log; }

 private:
  // Collects characters up to a newline, then hands the line to print_above().
  class LineBuffer final : public std::streambuf {
   public:
    explicit LineBuffer(ProgressPrinter& printer) : m_printer(printer) {}
    std::string& pending() { return m_pending; }

   protected:
    int overflow(int c) override;

   private:
    ProgressPrinter& m_printer;
    std::string m_pending;
  };

  void print_above(const std::string& line);

  std::ostream& m_out;
  bool m_terminal;
  std::string m_shown;  // the progress line on screen, "" when there is none
  LineBuffer m_buffer{*this};
  std::ostream m_log{&m_buffer};
  std::chrono::steady_clock::time_point m_started;
  std::chrono::steady_clock::time_point m_last_draw{};
  std::size_t m_last_tenth = 0;
};

// "1.5 MB", "320 kB", "12 B"
std::string human_bytes(std::size_t bytes);

}  // namespace billwatch::app
