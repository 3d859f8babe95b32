#pragma once

#include <cstdint>

#include "billwatch/sources/source_run.hpp"

namespace billwatch::sources {

// The one commit cadence every source saves with: bill updates are grouped into a
// transaction committed at most once a second (each bill's update stays all-or-nothing
// inside it), so a crawl of a thousand pages does not rewrite the same index pages to the
// WAL a thousand times, other writers (an operator's `subscribe`) wait at most a second,
// and a crash loses at most a second of work, which the next run fetches again.
class CommitCadence {
 public:
  explicit CommitCadence(SourceRun& run)
      : m_batch(run.deps().store.batch()),
        m_clock(run.deps().clock),
        m_last_commit(m_clock.monotonic_ms()) {}

  // A second since the last commit: time for the next.
  bool due() const { return m_clock.monotonic_ms() - m_last_commit >= 1000; }
  void commit() {
    m_batch.commit();
    m_last_commit = m_clock.monotonic_ms();
  }
  // After each saved bill: commits when it is due.
  void saved() {
    if (due()) commit();
  }
  void finish() { m_batch.finish(); }

 private:
  store::Batch m_batch;
  const Clock& m_clock;
  std::int64_t m_last_commit;
};

}  // namespace billwatch::sources
