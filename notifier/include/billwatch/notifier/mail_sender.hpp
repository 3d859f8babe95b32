#pragma once

#include <string>

#include "billwatch/core/result.hpp"
#include "billwatch/notifier/message.hpp"

namespace billwatch::notifier {

// What became of one message.
enum class SendOutcome {
  Sent,
  Refused,      // a 5xx: this recipient is refused for good (no such mailbox, policy)
  Deferred,     // another reply (a 4xx): may succeed later
  Unreachable,  // no reply at all (down, unreachable, timed out)
};

// The server's reply code decides what a failure means.
SendOutcome outcome_of_reply(long reply);

struct SendResult {
  SendOutcome outcome = SendOutcome::Sent;
  long reply = 0;       // the server's last reply code (550, 451, ...); 0 when none came
  std::string message;  // why, when not sent
  explicit operator bool() const { return outcome == SendOutcome::Sent; }
  const std::string& error() const { return message; }
  // A failure, classified by its reply.
  static SendResult failed(long reply, std::string why) {
    return {outcome_of_reply(reply), reply, std::move(why)};
  }
};

// Delivers messages. A refused or failed delivery is a value saying what it means and why
// (the server's reply when there was one); it never throws for a delivery problem.
class MailSender {
 public:
  virtual ~MailSender() = default;
  virtual SendResult send(const Message& message) = 0;
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

  SendResult send(const Message& message) override;

 private:
  SmtpOptions m_options;
  void* m_curl = nullptr;  // CURL*, kept to reuse the connection
};

}  // namespace billwatch::notifier
