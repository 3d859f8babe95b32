#include "billwatch/store/run_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace billwatch::store {

RunLock::RunLock(const std::string& database_path) : m_path(database_path + ".lock") {
  m_fd = ::open(m_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (m_fd < 0) {
    throw StoreError(m_path + ": cannot create the run lock: " + std::strerror(errno));
  }
  if (flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
    int error = errno;
    char holder[32] = {};
    ssize_t n = pread(m_fd, holder, sizeof holder - 1, 0);
    ::close(m_fd);
    m_fd = -1;
    if (error == EWOULDBLOCK) {
      std::string pid = n > 0 ? std::string(holder, static_cast<std::size_t>(n)) : "";
      while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
      throw StoreError("another billwatch run is in progress (" + m_path + " is locked" +
                       (pid.empty() ? "" : " by pid " + pid) + "); try again when it has ended");
    }
    throw StoreError(m_path + ": cannot lock: " + std::strerror(error));
  }
  // The holder's pid, for the message above; informational only.
  std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(m_fd, 0) == 0) {
    [[maybe_unused]] ssize_t written = pwrite(m_fd, pid.data(), pid.size(), 0);
  }
}

RunLock::~RunLock() {
  if (m_fd >= 0) ::close(m_fd);  // closing releases the lock
}

}  // namespace billwatch::store
