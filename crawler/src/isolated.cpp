#include "billwatch/crawler/isolated.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <new>

namespace billwatch::crawler {

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool k_address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool k_address_sanitizer = true;
#else
constexpr bool k_address_sanitizer = false;
#endif
#else
constexpr bool k_address_sanitizer = false;
#endif

// Writes all of `data`; false when the reader went away.
bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// The child: limits, the work, one status byte ('+' ok, '-' failure) and the text.
[[noreturn]] void child_main(int fd, const std::function<Result<std::string>()>& work,
                             const IsolationLimits& limits) {
  // ASan reserves terabytes of address space for its shadow: a limit would stop it.
  if (!k_address_sanitizer) {
    rlimit memory{limits.max_memory, limits.max_memory};
    ::setrlimit(RLIMIT_AS, &memory);
  }
  rlimit core{0, 0};  // a crash on hostile input leaves no core file behind
  ::setrlimit(RLIMIT_CORE, &core);
  char status = '-';
  std::string text;
  try {
    Result<std::string> result = work();
    if (result) {
      status = '+';
      text = std::move(result.value());
    } else {
      text = result.error();
    }
  } catch (const std::bad_alloc&) {
    text = "ran out of memory (the limit is " + std::to_string(limits.max_memory >> 20) + " MiB)";
  } catch (const std::exception& e) {
    text = e.what();
  } catch (...) {
    text = "unknown exception";
  }
  bool ok = write_all(fd, &status, 1) && write_all(fd, text.data(), text.size());
  ::_exit(ok ? 0 : 1);
}

std::string describe_signal(int signal) {
  const char* name = ::strsignal(signal);
  return "signal " + std::to_string(signal) + (name ? std::string(" (") + name + ")" : "");
}

}  // namespace

Result<std::string> run_isolated(const std::string& what,
                                 const std::function<Result<std::string>()>& work,
                                 const IsolationLimits& limits) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return Failure{what + ": cannot create a pipe: " + std::strerror(errno)};
  }
  pid_t pid = ::fork();
  if (pid < 0) {
    int error = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return Failure{what + ": cannot start a child process: " + std::strerror(error)};
  }
  if (pid == 0) {
    ::close(fds[0]);
    child_main(fds[1], work, limits);
  }
  ::close(fds[1]);

  std::string received;
  bool too_long = false;
  bool too_big = false;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(limits.seconds);
  char buffer[65536];
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      too_long = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    int ready = ::poll(&pfd, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the deadline check above ends it
    ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the child closed its end: it has finished or died
    if (received.size() + static_cast<std::size_t>(n) > limits.max_output + 1) {
      too_big = true;
      break;
    }
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (too_long || too_big) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (too_long) {
    return Failure{what + " took longer than " + std::to_string(limits.seconds) +
                   " s and was stopped"};
  }
  if (too_big) {
    return Failure{what + " produced more than " + std::to_string(limits.max_output) +
                   " bytes of text and was stopped"};
  }
  if (WIFSIGNALED(status)) {
    return Failure{what + " crashed (" + describe_signal(WTERMSIG(status)) +
                   "); the document is probably malformed"};
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || received.empty()) {
    return Failure{what + " failed in its child process (exit status " +
                   std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) +
                   "; out of memory?)"};
  }
  std::string text = received.substr(1);
  if (received[0] != '+') return Failure{text};
  return text;
}

}  // namespace billwatch::crawler
