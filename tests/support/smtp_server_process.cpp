#include "smtp_server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

extern char** environ;

namespace billwatch::test {

namespace {
// Debian's aiosmtpd is installed for Debian's interpreter, not for any other python3 that
// may come first on PATH.
constexpr const char* k_python = "/usr/bin/python3";
}  // namespace

bool SmtpServerProcess::available() {
  if (access(k_python, X_OK) != 0) return false;
  std::string command = std::string(k_python) + " -c 'import aiosmtpd' 2>/dev/null";
  return std::system(command.c_str()) == 0;
}

SmtpServerProcess::SmtpServerProcess() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::string directory = m_dir.file("smtp");
  const char* argv[] = {k_python, BILLWATCH_SMTPD_SCRIPT, directory.c_str(), nullptr};
  int rc = posix_spawn(&m_pid, k_python, &actions, nullptr, const_cast<char**>(argv), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    throw std::runtime_error("cannot start smtpd.py");
  }

  // Wait, with a deadline, for the one line "PORT <n>".
  std::string line;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (line.find('\n') == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd pfd{fds[0], POLLIN, 0};
    if (left.count() <= 0 || poll(&pfd, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[64];
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    line.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  if (line.rfind("PORT ", 0) != 0) {
    stop();
    throw std::runtime_error("smtpd.py did not report its port (got '" + line + "')");
  }
  m_port = std::stoi(line.substr(5));
}

SmtpServerProcess::~SmtpServerProcess() {
  stop();
}

void SmtpServerProcess::stop() {
  if (m_pid <= 0) return;
  kill(m_pid, SIGTERM);
  int status = 0;
  waitpid(m_pid, &status, 0);
  m_pid = -1;
}

std::vector<nlohmann::json> SmtpServerProcess::messages() const {
  std::vector<std::string> files;
  std::filesystem::path dir = m_dir.path() / "smtp" / "json";
  if (std::filesystem::exists(dir)) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (entry.path().extension() == ".json") files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  std::vector<nlohmann::json> out;
  for (const auto& file : files) out.push_back(nlohmann::json::parse(read_file(file)));
  return out;
}

}  // namespace billwatch::test
