#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "child_process.hpp"
#include "files.hpp"

namespace billwatch::test {

// How the loopback SMTP server misbehaves, per recipient.
struct SmtpServerOptions {
  // The reply a recipient's RCPT TO gets ("550 5.1.1 No such user"); others get 250.
  std::map<std::string, std::string> replies = {};
  // 0: a port the kernel picks. A fixed one lets a test stop the server and start another
  // where the configuration expects it.
  int port = 0;
  // Seconds the first RCPT TO of a recipient waits for its answer (nothing delivered yet).
  std::map<std::string, int> hold_rcpt = {};
  // Seconds the first message to a recipient waits for its 250 after it was stored.
  std::map<std::string, int> hold_after_data = {};
  // Benchmarks: messages are counted, not parsed or kept (messages() stays empty).
  bool count_only = false;
  // Offer AUTH without STARTTLS and record logins (auth_log()).
  bool offer_auth = false;
};

// A real SMTP server (Debian's python3-aiosmtpd, run by tests/support/smtpd.py) on a free
// loopback port, in a child process killed by the destructor. Received messages are read
// back as the JSON records smtpd.py writes (envelope, decoded headers, MIME tree, parts).
class SmtpServerProcess {
 public:
  // False when /usr/bin/python3 or its aiosmtpd module is missing: tests then GTEST_SKIP.
  static bool available();

  // throws std::runtime_error when the server does not start in 10 s. `replies` maps a
  // recipient to the reply its RCPT TO gets ("550 5.1.1 No such user"); others get 250.
  explicit SmtpServerProcess(const std::map<std::string, std::string>& replies = {});
  explicit SmtpServerProcess(const SmtpServerOptions& options);
  ~SmtpServerProcess();
  SmtpServerProcess(const SmtpServerProcess&) = delete;
  SmtpServerProcess& operator=(const SmtpServerProcess&) = delete;

  int port() const { return m_port; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(m_port); }
  // All messages received so far, in arrival order.
  std::vector<nlohmann::json> messages() const;
  // With offer_auth: one line per AUTH the server received ("PLAIN login password").
  std::string auth_log() const;
  // With hold_rcpt: the server has received this recipient's RCPT TO and is holding it.
  bool holding(const std::string& address) const;
  // Stops the server (for "mail server down" tests); messages() still works.
  void stop();
  // How many messages the server took; only after stop() (it writes the count on exit).
  long count_after_stop() const;

 private:
  TempDir m_dir;
  std::unique_ptr<ChildProcess> m_process;
  int m_port = 0;
};

}  // namespace billwatch::test
