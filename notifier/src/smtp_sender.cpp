#include <curl/curl.h>

#include <memory>
#include <stdexcept>

#include "billwatch/notifier/mail_sender.hpp"

namespace billwatch::notifier {

namespace {

struct CurlSlistDeleter {
  void operator()(curl_slist* p) const noexcept { curl_slist_free_all(p); }
};
struct CurlMimeDeleter {
  void operator()(curl_mime* p) const noexcept { curl_mime_free(p); }
};
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
using CurlMime = std::unique_ptr<curl_mime, CurlMimeDeleter>;

// Builds a curl_slist; on a failed append the old list stays owned and valid.
class SlistBuilder {
 public:
  void append(const std::string& line) {
    curl_slist* next = curl_slist_append(m_list.get(), line.c_str());
    if (!next) throw std::runtime_error("libcurl: curl_slist_append failed");
    m_list.release();
    m_list.reset(next);
  }
  curl_slist* get() const { return m_list.get(); }
  curl_slist* release() { return m_list.release(); }

 private:
  CurlSlist m_list;
};

void check(CURLcode code, const char* what) {
  if (code != CURLE_OK) {
    throw std::runtime_error(std::string("libcurl: ") + what + ": " + curl_easy_strerror(code));
  }
}

curl_mimepart* add_text_part(curl_mime* mime, const std::string& body, const char* type) {
  curl_mimepart* part = curl_mime_addpart(mime);
  if (!part) throw std::runtime_error("libcurl: curl_mime_addpart failed");
  check(curl_mime_data(part, body.data(), body.size()), "curl_mime_data");
  check(curl_mime_type(part, type), "curl_mime_type");
  check(curl_mime_encoder(part, "quoted-printable"), "curl_mime_encoder");
  return part;
}

}  // namespace

SmtpSender::SmtpSender(SmtpOptions options) : m_options(std::move(options)) {}

SmtpSender::~SmtpSender() {
  if (m_curl) curl_easy_cleanup(static_cast<CURL*>(m_curl));  // sends QUIT
}

SendOutcome outcome_of_reply(long reply) {
  if (reply >= 500 && reply < 600) return SendOutcome::Refused;
  if (reply == 0) return SendOutcome::Unreachable;
  return SendOutcome::Deferred;
}

SendResult SmtpSender::send(const Message& message) {
  try {
    if (!m_curl) {
      m_curl = curl_easy_init();
      if (!m_curl) return SendResult::failed(0, "libcurl: curl_easy_init failed");
    }
    CURL* curl = static_cast<CURL*>(m_curl);
    curl_easy_reset(curl);  // keeps the open connection, forgets the previous message

    char error[CURL_ERROR_SIZE] = {};
    check(curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error), "ERRORBUFFER");
    check(curl_easy_setopt(curl, CURLOPT_URL, m_options.url.c_str()), "URL");
    check(curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps"), "PROTOCOLS_STR");
    // smtp://: STARTTLS whenever the server offers it, or (required) never without it;
    // smtps:// is TLS from the start.
    // A username means a password: it goes over TLS only, unless the operator wrote
    // starttls = "never".
    bool require = m_options.require_starttls || (!m_options.username.empty() && !m_options.no_tls);
    long use_ssl = m_options.no_tls ? CURLUSESSL_NONE : require ? CURLUSESSL_ALL : CURLUSESSL_TRY;
    check(curl_easy_setopt(curl, CURLOPT_USE_SSL, use_ssl), "USE_SSL");
    if (m_options.insecure_skip_verify) {
      check(curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L), "SSL_VERIFYPEER");
      check(curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L), "SSL_VERIFYHOST");
    }
    check(curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, m_options.timeout_ms), "TIMEOUT_MS");
    check(curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, m_options.connect_timeout_ms),
          "CONNECTTIMEOUT_MS");
    check(curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L), "NOSIGNAL");
    if (!m_options.username.empty()) {
      check(curl_easy_setopt(curl, CURLOPT_USERNAME, m_options.username.c_str()), "USERNAME");
      check(curl_easy_setopt(curl, CURLOPT_PASSWORD, m_options.password.c_str()), "PASSWORD");
    }
    std::string mail_from = "<" + message.envelope_from + ">";
    check(curl_easy_setopt(curl, CURLOPT_MAIL_FROM, mail_from.c_str()), "MAIL_FROM");
    SlistBuilder recipients;
    recipients.append("<" + message.envelope_to + ">");
    check(curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.get()), "MAIL_RCPT");

    SlistBuilder headers;
    headers.append("Date: " + message.date);
    headers.append("From: " + message.from);
    headers.append("To: " + message.to);
    headers.append("Subject: " + message.subject);
    headers.append("Message-ID: " + message.message_id);
    headers.append("Auto-Submitted: auto-generated");
    if (!message.list_unsubscribe.empty()) {
      headers.append("List-Unsubscribe: " + message.list_unsubscribe);
    }
    if (!message.list_unsubscribe_post.empty()) {
      headers.append("List-Unsubscribe-Post: " + message.list_unsubscribe_post);
    }
    // The message itself is multipart/alternative: libcurl takes the root part's type from
    // a Content-Type among the mail headers and adds the boundary to it.
    headers.append("Content-Type: multipart/alternative");
    CurlMime mime(curl_mime_init(curl));
    if (!mime) return SendResult::failed(0, "libcurl: curl_mime_init failed");
    add_text_part(mime.get(), message.text, "text/plain; charset=utf-8");
    add_text_part(mime.get(), message.html, "text/html; charset=utf-8");  // preferred: last
    check(curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get()), "HTTPHEADER");
    check(curl_easy_setopt(curl, CURLOPT_MIMEPOST, mime.get()), "MIMEPOST");

    CURLcode rc = curl_easy_perform(curl);
    long reply = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
    // The handle must not point at the mime or lists after they are freed below.
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, nullptr);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    if (rc != CURLE_OK) {
      std::string text = std::string("SMTP delivery to ") + message.envelope_to + " via " +
                         m_options.url + " failed: " + curl_easy_strerror(rc);
      if (error[0]) text += ": " + std::string(error);
      if (reply) text += " (last server reply " + std::to_string(reply) + ")";
      return SendResult::failed(reply, text);
    }
    return SendResult{};
  } catch (const std::exception& e) {
    return SendResult::failed(0, std::string("building the message failed: ") + e.what());
  }
}

}  // namespace billwatch::notifier
