// SmtpSender against a real SMTP server (aiosmtpd) on loopback.
#include <gtest/gtest.h>

#include "billwatch/crawler/curl_global.hpp"
#include "billwatch/notifier/mail_sender.hpp"
#include "billwatch/notifier/message.hpp"
#include "smtp_server_process.hpp"

namespace billwatch::notifier {
namespace {

using test::SmtpServerProcess;

ChangeEvent event(const std::string& title) {
  ChangeEvent e;
  e.id = 11;
  e.kind = EventKind::NewVersion;
  e.created_at = 1764325500;
  e.bill = Bill{};
  e.bill.id = "wa-hb1795";
  e.bill.jurisdiction = "WA";
  e.bill.title = title;
  e.bill.source = "wa";
  e.bill.url = "https://example.org/hb1795";
  e.relevant = true;
  e.change = ChangeSummary{10, 20, 1, 0, {"A new paragraph on isolation rooms."}, {}};
  return e;
}

class SmtpSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!SmtpServerProcess::available()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
    m_smtp = std::make_unique<SmtpServerProcess>();
  }
  crawler::CurlGlobal m_curl;
  std::unique_ptr<SmtpServerProcess> m_smtp;
};

TEST_F(SmtpSenderTest, UnsubscribeHeadersArrive) {
  SmtpSender sender(SmtpOptions{m_smtp->url(), "", "", 10000, 5000});
  MessageOptions options;
  options.unsubscribe_token = "4-0123abcd";
  options.web_base_url = "https://alerts.example.org/";
  Message message = build_message(event("HB 1795"), "Bill alerts <alerts@example.org>",
                                  "parent@example.org", 4, 1764325500, options);
  ASSERT_TRUE(sender.send(message));
  auto messages = m_smtp->messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0]["headers"]["List-Unsubscribe"],
            "<mailto:alerts@example.org?subject=unsubscribe%204-0123abcd>, "
            "<https://alerts.example.org/unsubscribe/4-0123abcd>");
  EXPECT_EQ(messages[0]["headers"]["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
  // The body says where to click, the page the header names.
  EXPECT_NE(std::string(messages[0]["text"])
                .find("To stop them, open https://alerts.example.org/unsubscribe/4-0123abcd"),
            std::string::npos);
}

TEST_F(SmtpSenderTest, RequiredStarttlsRefusesAServerWithoutIt) {
  // The loopback server offers no STARTTLS: with starttls = "required" nothing is sent in
  // clear text.
  SmtpOptions options{m_smtp->url(), "", "", 10000, 5000};
  options.require_starttls = true;
  SmtpSender sender(options);
  SendResult sent =
      sender.send(build_message(event("x"), "alerts@example.org", "p@example.org", 1, 0));
  ASSERT_FALSE(sent);
  EXPECT_NE(sent.error().find("SSL"), std::string::npos) << sent.error();
  EXPECT_TRUE(m_smtp->messages().empty());
}

TEST_F(SmtpSenderTest, DeliversAMultipartAlternativeMessage) {
  SmtpSender sender(SmtpOptions{m_smtp->url(), "", "", 10000, 5000});
  std::string title = "Restricci\xC3\xB3n y aislamiento \xE2\x80\x94 HB 1795";
  Message message = build_message(event(title), "Bill alerts <alerts@example.org>",
                                  "parent@example.org", 4, 1764325500);
  SendResult sent = sender.send(message);
  ASSERT_TRUE(sent) << sent.error();
  // One connection, several messages.
  Message second =
      build_message(event("Second"), "alerts@example.org", "other@example.org", 5, 1764325500);
  ASSERT_TRUE(sender.send(second));

  auto messages = m_smtp->messages();
  ASSERT_EQ(messages.size(), 2u);
  const auto& m = messages[0];
  EXPECT_EQ(m["mail_from"], "alerts@example.org");
  EXPECT_EQ(m["rcpt_tos"], nlohmann::json::array({"parent@example.org"}));
  EXPECT_EQ(m["headers"]["Subject"], "[billwatch] WA " + title + ": new version");
  EXPECT_EQ(m["headers"]["From"], "Bill alerts <alerts@example.org>");
  EXPECT_EQ(m["headers"]["To"], "parent@example.org");
  EXPECT_EQ(m["headers"]["Date"], "Fri, 28 Nov 2025 10:25:00 +0000");
  EXPECT_EQ(m["headers"]["Message-ID"], "<billwatch.event11.sub4@example.org>");
  EXPECT_EQ(m["headers"]["Auto-Submitted"], "auto-generated");
  // alternative > (text/plain, text/html), both UTF-8 quoted-printable, HTML (preferred)
  // last; one Content-Type and MIME-Version header at the top.
  const auto& alternative = m["mime"];
  EXPECT_EQ(alternative["content_type"], "multipart/alternative");
  ASSERT_EQ(alternative["parts"].size(), 2u);
  EXPECT_EQ(alternative["parts"][0]["content_type"], "text/plain");
  EXPECT_EQ(alternative["parts"][0]["charset"], "utf-8");
  EXPECT_EQ(alternative["parts"][0]["transfer_encoding"], "quoted-printable");
  EXPECT_EQ(alternative["parts"][1]["content_type"], "text/html");
  EXPECT_EQ(alternative["parts"][1]["charset"], "utf-8");
  int content_types = 0;
  for (const auto& line : m["raw_headers"]) {
    if (std::string(line).rfind("Content-Type:", 0) == 0) ++content_types;
  }
  EXPECT_EQ(content_types, 1) << m["raw_headers"].dump();
  EXPECT_EQ(m["headers"]["Mime-Version"], "1.0") << m["raw_headers"].dump();
  std::string text = m["text"];
  EXPECT_NE(text.find("A new paragraph on isolation rooms."), std::string::npos);
  EXPECT_NE(text.find(title), std::string::npos) << "UTF-8 survives quoted-printable";
  EXPECT_EQ(messages[1]["rcpt_tos"], nlohmann::json::array({"other@example.org"}));
  EXPECT_EQ(messages[0]["peer_port"], messages[1]["peer_port"]) << "one connection for both";
}

TEST_F(SmtpSenderTest, EachEventKindArrivesSayingWhatHappened) {
  // One message per event kind through the real server; what a mail client would show (the
  // decoded text and HTML parts) says what happened in words.
  SmtpSender sender(SmtpOptions{m_smtp->url(), "", "", 10000, 5000});
  ChangeEvent base = event("Keeping All Students Safe Act");
  base.bill.identifier = "H.R. 4350";
  base.bill.jurisdiction = "US";
  base.change.reset();
  base.relevant = false;
  std::vector<std::pair<ChangeEvent, std::string>> cases;
  {
    ChangeEvent e = base;
    e.kind = EventKind::NewBill;
    cases.emplace_back(e, "billwatch is now watching this bill.");
  }
  {
    ChangeEvent e = base;
    e.kind = EventKind::StatusChanged;
    e.old_stage = Stage::passed_one_chamber;
    e.stage = Stage::passed_both_chambers;
    cases.emplace_back(e,
                       "This bill moved: passed the House \u2192 passed the House and the "
                       "Senate.");
  }
  {
    ChangeEvent e = base;
    e.kind = EventKind::Action;
    Action a;
    a.date = "2026-01-20";
    a.chamber = "Senate";
    a.text = "Committee on HELP. Hearings held.";
    e.new_actions = {a};
    cases.emplace_back(e, "2026-01-20 Senate: Committee on HELP. Hearings held.");
  }
  {
    ChangeEvent e = base;
    e.kind = EventKind::NewVersion;
    e.version_id = 3;
    e.version_label = "Engrossed in House";
    e.change = ChangeSummary{100, 120, 1, 0, {"Sec. 7. Reporting."}, {}};
    cases.emplace_back(e, "A new version of this bill was published: Engrossed in House.");
  }
  {
    ChangeEvent e = base;
    e.kind = EventKind::ProvisionsChanged;
    e.version_id = 3;
    ProvisionChange c;
    c.kind = ProvisionChange::Kind::Changed;
    c.category = "prone_restraint_ban";
    c.section = "Sec. 4(b)";
    c.old_excerpt = "shall not use prone restraint";
    c.new_excerpt = "shall not use prone restraint, except in an emergency";
    e.provision_changes = {c};
    cases.emplace_back(e,
                       "Changed: Ban on prone and other dangerous restraint (Sec. 4(b)): prone "
                       "restraint \u2192 restraint, except in an emergency");
  }
  {
    ChangeEvent e = base;
    e.kind = EventKind::SourceUnhealthy;
    e.message = "selector 'status' matched nothing.";
    cases.emplace_back(e,
                       "billwatch can no longer read this bill's page: selector 'status' "
                       "matched nothing.");
  }
  for (const auto& [e, words] : cases) {
    SendResult sent = sender.send(build_message(e, "alerts@example.org", "p@example.org", 2, 0));
    ASSERT_TRUE(sent) << sent.error();
  }
  auto messages = m_smtp->messages();
  ASSERT_EQ(messages.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const std::string& words = cases[i].second;
    std::string text = messages[i]["text"];
    std::string html = messages[i]["html"];
    // The parser turns CRLF into LF; the sentence is on one line in both parts.
    EXPECT_NE(text.find(words), std::string::npos) << to_string(cases[i].first.kind) << "\n"
                                                   << text;
    EXPECT_NE(html.find(html_escape(words)), std::string::npos)
        << to_string(cases[i].first.kind) << "\n"
        << html;
    EXPECT_EQ(messages[i]["mime"]["content_type"], "multipart/alternative");
  }
}

TEST_F(SmtpSenderTest, ServerDownIsAFailureNamingTheServer) {
  std::string url = m_smtp->url();
  m_smtp->stop();
  SmtpSender sender(SmtpOptions{url, "", "", 5000, 2000});
  Message message = build_message(event("x"), "alerts@example.org", "p@example.org", 1, 0);
  SendResult sent = sender.send(message);
  ASSERT_FALSE(sent);
  EXPECT_NE(sent.error().find("SMTP delivery to p@example.org via " + url + " failed"),
            std::string::npos)
      << sent.error();
}

}  // namespace
}  // namespace billwatch::notifier
