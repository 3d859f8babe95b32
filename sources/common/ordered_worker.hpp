#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace billwatch::sources {

// Runs jobs one at a time, in the order they were posted, on a thread of its own: a crawl
// posts each page as it arrives and goes back to its transfers while the page is made text,
// analyzed and stored (measured: with the work done inline, a first crawl of on-topic
// pages ran at half the transfer rate). At most `capacity` jobs wait, so memory stays
// bounded (a waiting job holds a page body); post() blocks while the queue is full.
//
// Everything a job touches (the store, the run's counters, the log) must be touched by
// jobs alone until finish() returns. The first exception a job throws drops the jobs after
// it and is rethrown by the next post() or by finish(), as if the work had run inline.
class OrderedWorker {
 public:
  explicit OrderedWorker(std::size_t capacity);
  ~OrderedWorker();
  OrderedWorker(const OrderedWorker&) = delete;
  OrderedWorker& operator=(const OrderedWorker&) = delete;

  void post(std::function<void()> job);
  // Waits until every posted job has run; rethrows the first exception one threw.
  void finish();

 private:
  void loop();

  std::size_t m_capacity;
  std::mutex m_mutex;
  std::condition_variable m_changed;
  std::deque<std::function<void()>> m_jobs;
  bool m_closing = false;
  bool m_busy = false;
  std::exception_ptr m_failure;
  std::thread m_thread;
};

}  // namespace billwatch::sources
