#pragma once

#include <string>

#include "billwatch/store/store.hpp"

namespace billwatch::store {

// An exclusive lock file beside the database ("DB.lock"), held for the life of the object,
// so two `billwatch run`s never crawl and mail at the same time (a slow run overlapping the
// next timer, or an operator starting one by hand). The kernel releases it when the process
// dies, so a killed run never leaves a stale lock behind.
class RunLock {
 public:
  // Throws StoreError naming the lock file (and the holder's pid, when it wrote one) when
  // another process holds it, or when the file cannot be created.
  explicit RunLock(const std::string& database_path);
  ~RunLock();
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  const std::string& path() const { return m_path; }

 private:
  std::string m_path;
  int m_fd = -1;
};

}  // namespace billwatch::store
