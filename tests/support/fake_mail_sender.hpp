#pragma once

#include <deque>
#include <vector>

#include "billwatch/notifier/mail_sender.hpp"

namespace billwatch::test {

// A MailSender that keeps what it is given and answers from a script: each send takes the
// next scripted result (Sent when the script is empty). For fast unit tests of delivery;
// the SMTP sender itself is tested against a real SMTP server (smtp_sender_test).
class FakeMailSender final : public notifier::MailSender {
 public:
  notifier::SendResult send(const notifier::Message& message) override {
    sent.push_back(message);
    if (script.empty()) return {};
    notifier::SendResult next = script.front();
    script.pop_front();
    return next;
  }

  std::deque<notifier::SendResult> script;
  std::vector<notifier::Message> sent;  // every message offered, in order
};

}  // namespace billwatch::test
