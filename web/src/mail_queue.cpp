#include "billwatch/web/mail_queue.hpp"

namespace billwatch::web {

MailQueue::MailQueue(SenderFactory factory, std::ostream& log, std::size_t capacity)
    : m_factory(std::move(factory)), m_log(log), m_capacity(capacity) {
  m_thread = std::thread([this] { run(); });
}

MailQueue::~MailQueue() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  m_thread.join();
}

void MailQueue::send(notifier::Message message) {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (m_queue.size() >= m_capacity) {
      m_log << "mail queue full (" << m_capacity << " waiting): a mail was dropped\n" << std::flush;
      return;
    }
    m_queue.push_back(std::move(message));
  }
  m_wake.notify_one();
}

void MailQueue::run() {
  std::unique_ptr<notifier::MailSender> sender;
  for (;;) {
    notifier::Message message;
    {
      std::unique_lock<std::mutex> lock(m_mutex);
      m_wake.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
      if (m_queue.empty()) return;
      message = std::move(m_queue.front());
      m_queue.pop_front();
    }
    try {
      if (!sender) sender = m_factory();
      auto result = sender->send(message);
      if (!result) {
        // The log says what failed, never to whom (the address is the subscriber's), even
        // when the server's reply repeats it.
        std::string why = result.error();
        for (std::size_t at; !message.envelope_to.empty() &&
                             (at = why.find(message.envelope_to)) != std::string::npos;) {
          why.replace(at, message.envelope_to.size(), "[the address]");
        }
        m_log << "a subscriber mail was not sent: " << why << "\n" << std::flush;
      }
    } catch (const std::exception& e) {
      sender.reset();
      m_log << "a subscriber mail was not sent: " << e.what() << "\n" << std::flush;
    }
  }
}

}  // namespace billwatch::web
