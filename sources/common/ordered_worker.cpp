#include "common/ordered_worker.hpp"

namespace billwatch::sources {

OrderedWorker::OrderedWorker(std::size_t capacity)
    : m_capacity(capacity == 0 ? 1 : capacity), m_thread([this] { loop(); }) {}

OrderedWorker::~OrderedWorker() {
  {
    // Without finish() (the poster is unwinding from an exception of its own): the jobs
    // still waiting are dropped, the one running is waited for.
    std::lock_guard<std::mutex> lock(m_mutex);
    m_closing = true;
    m_jobs.clear();
  }
  m_changed.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

void OrderedWorker::post(std::function<void()> job) {
  std::unique_lock<std::mutex> lock(m_mutex);
  m_changed.wait(lock, [&] { return m_jobs.size() < m_capacity || m_failure; });
  // A job failed: the poster stops here, as it would have had the job run inline.
  if (m_failure) std::rethrow_exception(m_failure);
  m_jobs.push_back(std::move(job));
  m_changed.notify_all();
}

void OrderedWorker::finish() {
  std::unique_lock<std::mutex> lock(m_mutex);
  m_changed.wait(lock, [&] { return (m_jobs.empty() && !m_busy) || m_failure; });
  if (m_failure) {
    std::exception_ptr failure = m_failure;
    m_failure = nullptr;
    m_jobs.clear();
    m_changed.wait(lock, [&] { return !m_busy; });
    std::rethrow_exception(failure);
  }
}

void OrderedWorker::loop() {
  std::unique_lock<std::mutex> lock(m_mutex);
  for (;;) {
    m_changed.wait(lock, [&] { return !m_jobs.empty() || m_closing; });
    if (m_jobs.empty()) return;  // closing, and nothing left
    std::function<void()> job = std::move(m_jobs.front());
    m_jobs.pop_front();
    m_busy = true;
    m_changed.notify_all();  // a place in the queue is free
    lock.unlock();
    std::exception_ptr failure;
    try {
      job();
    } catch (...) {
      failure = std::current_exception();
    }
    lock.lock();
    m_busy = false;
    if (failure && !m_failure) {
      m_failure = failure;
      m_jobs.clear();
    }
    m_changed.notify_all();
  }
}

}  // namespace billwatch::sources
