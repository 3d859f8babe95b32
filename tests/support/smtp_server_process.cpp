#include "smtp_server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

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

SmtpServerProcess::SmtpServerProcess(const std::map<std::string, std::string>& replies)
    : SmtpServerProcess(SmtpServerOptions{replies}) {}

SmtpServerProcess::SmtpServerProcess(const SmtpServerOptions& options) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  try {
    std::vector<std::string> argv{k_python, BILLWATCH_SMTPD_SCRIPT, m_dir.file("smtp")};
    for (const auto& [address, reply] : options.replies) {
      argv.push_back("--reply");
      argv.push_back(address + "=" + reply);
    }
    for (const auto& [address, seconds] : options.hold_rcpt) {
      argv.push_back("--hold-rcpt");
      argv.push_back(address + "=" + std::to_string(seconds));
    }
    for (const auto& [address, seconds] : options.hold_after_data) {
      argv.push_back("--hold-after-data");
      argv.push_back(address + "=" + std::to_string(seconds));
    }
    if (options.count_only) argv.push_back("--count-only");
    if (options.offer_auth) argv.push_back("--offer-auth");
    if (options.port != 0) {
      argv.push_back("--port");
      argv.push_back(std::to_string(options.port));
    }
    m_process = std::make_unique<ChildProcess>(argv, fds[1]);
  } catch (...) {
    close(fds[0]);
    close(fds[1]);
    throw;
  }
  close(fds[1]);

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
  if (m_process) m_process->stop();
}

long SmtpServerProcess::count_after_stop() const {
  return std::stol(read_file((m_dir.path() / "smtp" / "count").string()));
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

std::string SmtpServerProcess::auth_log() const {
  std::ifstream in((m_dir.path() / "smtp" / "auth.log").string());
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool SmtpServerProcess::holding(const std::string& address) const {
  return std::filesystem::exists(m_dir.path() / "smtp" / ("holding-" + address));
}

}  // namespace billwatch::test
