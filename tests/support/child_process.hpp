#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace billwatch::test {

// A program started for a test (a real server: aiosmtpd, nghttpd), terminated and reaped
// by the destructor so no test leaves one running.
class ChildProcess {
 public:
  // Starts argv[0] (an absolute path) with the given arguments. Its standard output goes
  // to `stdout_fd` (-1: inherited); standard error is inherited. Throws std::runtime_error
  // naming the program when it cannot be started.
  explicit ChildProcess(const std::vector<std::string>& argv, int stdout_fd = -1);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool running() const { return m_pid > 0; }
  // Sends SIGTERM and waits for the process to end. Does nothing when it already has.
  void stop();
  // Sends `signal` (SIGKILL for crash tests) and waits; returns the raw wait status.
  int kill_and_wait(int signal);
  // Waits for the process to exit on its own; returns its exit code (128 + signal when a
  // signal ended it).
  int wait();

 private:
  pid_t m_pid = -1;
};

// True when `host:port` on loopback accepts a TCP connection.
bool accepts_connections(int port);

// A TCP port on 127.0.0.1 that was free a moment ago, for programs that cannot be told to
// pick their own (port 0) and report it.
int free_loopback_port();

}  // namespace billwatch::test
