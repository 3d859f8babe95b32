#include "billwatch/app/progress.hpp"

#include <cstdio>
#include <string>

#include "billwatch/core/terminal.hpp"

namespace billwatch::app {

std::string human_bytes(std::size_t bytes) {
  char buf[32];
  if (bytes >= 1000 * 1000) {
    std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  } else if (bytes >= 1000) {
    std::snprintf(buf, sizeof buf, "%.0f kB", static_cast<double>(bytes) / 1e3);
  } else {
    std::snprintf(buf, sizeof buf, "%zu B", bytes);
  }
  return buf;
}

ProgressPrinter::ProgressPrinter(std::ostream& out, bool terminal)
    : m_out(out), m_terminal(terminal), m_started(std::chrono::steady_clock::now()) {}

ProgressPrinter::~ProgressPrinter() {
  // A last log line without its newline is still printed.
  if (!m_buffer.pending().empty()) print_above(m_buffer.pending());
  if (!m_shown.empty()) m_out << "\n" << std::flush;
}

int ProgressPrinter::LineBuffer::overflow(int c) {
  if (c == traits_type::eof()) return traits_type::not_eof(c);
  if (c == '\n') {
    m_printer.print_above(m_pending);
    m_pending.clear();
  } else {
    m_pending.push_back(static_cast<char>(c));
  }
  return c;
}

void ProgressPrinter::print_above(const std::string& raw) {
  std::string line = terminal_safe(raw);
  if (m_shown.empty()) {
    m_out << line << "\n" << std::flush;
    return;
  }
  // Erase the progress line, print the log line in its place, draw the progress below.
  m_out << "\r\x1b[K" << line << "\n" << m_shown << "\x1b[K" << std::flush;
}

void ProgressPrinter::on_progress(std::size_t done, std::size_t total, std::size_t bytes,
                                  std::size_t failed) {
  if (total == 0) return;
  auto now = std::chrono::steady_clock::now();
  bool finished = done == total;
  std::string line = "fetched " + std::to_string(done) + "/" + std::to_string(total) + ", " +
                     human_bytes(bytes) + ", " + std::to_string(failed) + " failed";
  if (m_terminal) {
    if (!finished && now - m_last_draw < std::chrono::milliseconds(100)) return;
    m_last_draw = now;
    if (done > 0 && !finished) {
      double elapsed = std::chrono::duration<double>(now - m_started).count();
      double eta = elapsed / static_cast<double>(done) * static_cast<double>(total - done);
      line += ", about " + std::to_string(static_cast<long>(eta + 0.5)) + " s left";
    }
    // \r and erase-to-end-of-line: the line is redrawn in place.
    m_out << "\r" << line << "\x1b[K" << (finished ? "\n" : "") << std::flush;
    m_shown = finished ? "" : line;
    return;
  }
  std::size_t tenth = done * 10 / total;
  if (finished || (tenth > m_last_tenth && total >= 20)) {
    m_last_tenth = tenth;
    m_out << line << "\n";
  }
}

}  // namespace billwatch::app
