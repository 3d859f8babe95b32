#pragma once
// The Mailer `billwatch serve` uses: a bounded queue and one thread that sends through a
// MailSender made on that thread (SmtpSender is not thread-safe). Pages return before the
// mail server answers; a send that fails is logged (without the address) and dropped, and
// the person can ask again.
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <thread>

#include "billwatch/notifier/mail_sender.hpp"
#include "billwatch/web/site.hpp"

namespace billwatch::web {

class MailQueue final : public Mailer {
 public:
  using SenderFactory = std::function<std::unique_ptr<notifier::MailSender>()>;
  // More than `capacity` waiting mails: the newest are dropped, with a log line.
  MailQueue(SenderFactory factory, std::ostream& log, std::size_t capacity = 1000);
  // Sends what is queued, then ends the thread.
  ~MailQueue() override;
  MailQueue(const MailQueue&) = delete;
  MailQueue& operator=(const MailQueue&) = delete;

  void send(notifier::Message message) override;

 private:
  void run();

  SenderFactory m_factory;
  std::ostream& m_log;
  std::size_t m_capacity;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<notifier::Message> m_queue;
  bool m_stopping = false;
  std::thread m_thread;
};

}  // namespace billwatch::web
