#pragma once

#include <string>

#include "billwatch/core/result.hpp"
#include "billwatch/notifier/message.hpp"

namespace billwatch::notifier {

// Delivers messages. A refused or failed delivery is a Failure value saying why (the
// server's reply when there was one); it never throws for a delivery problem.
class MailSender {
 public:
  virtual ~MailSender() = default;
  virtual Status send(const Message& message) = 0;
  // The server's last reply code (550, 451, ...; 0 when none came, e.g. it was down).
  // A 5xx refuses this message for good; a 4xx or no reply may succeed later.
  virtual long last_reply() const { return 0; }
};

struct SmtpOptions {
  std::string url;  // smtp://host:port (STARTTLS when offered) or smtps://host:port
  std::string username;
  std::string password;
  long timeout_ms = 60000;
  long connect_timeout_ms = 15000;
  bool require_starttls = false;      // smtp://: refuse to send unless STARTTLS succeeds
  bool no_tls = false;                // smtp://: never STARTTLS (starttls = "never")
  bool insecure_skip_verify = false;  // test servers only
};

// MailSender over libcurl: a multipart/alternative (text, then HTML) message built with
// libcurl's MIME API. One instance keeps its connection open between messages. Requires a
// live CurlGlobal; not thread-safe.
class SmtpSender final : public MailSender {
 public:
  explicit SmtpSender(SmtpOptions options);
  ~SmtpSender() override;
  SmtpSender(const SmtpSender&) = delete;
  SmtpSender& operator=(const SmtpSender&) = delete;

  Status send(const Message& message) override;
  long last_reply() const override { return m_last_reply; }

 private:
  long m_last_reply = 0;
  SmtpOptions m_options;
  void* m_curl = nullptr;  // CURL*, kept to reuse the connection
};

}  // namespace billwatch::notifier
