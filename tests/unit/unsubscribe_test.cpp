#include <gtest/gtest.h>

#include "billwatch/core/hash.hpp"
#include "billwatch/notifier/message.hpp"
#include "billwatch/notifier/tokens.hpp"

namespace billwatch::notifier {
namespace {

const char* k_secret = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";

TEST(UnsubscribeTest, TokensNameTheirSubscriberAndCannotBeForged) {
  std::string token = unsubscribe_token(k_secret, 42);
  EXPECT_EQ(token.rfind("42-", 0), 0u);
  EXPECT_EQ(verify_unsubscribe_token(k_secret, token), 42);
  // Another subscriber's token names that subscriber, never this one.
  EXPECT_EQ(verify_unsubscribe_token(k_secret, unsubscribe_token(k_secret, 7)), 7);
  // The id changed, the signature kept: refused.
  EXPECT_FALSE(verify_unsubscribe_token(k_secret, "43" + token.substr(2)));
  // Signed with another secret, guessed, truncated, malformed: refused.
  EXPECT_FALSE(verify_unsubscribe_token(k_secret, unsubscribe_token("another secret!!", 42)));
  EXPECT_FALSE(verify_unsubscribe_token(k_secret, "42-" + random_hex(32)));
  EXPECT_FALSE(verify_unsubscribe_token(k_secret, token.substr(0, token.size() - 1)));
  EXPECT_FALSE(verify_unsubscribe_token(k_secret, "42"));
  EXPECT_FALSE(verify_unsubscribe_token(k_secret, "-abc"));
  EXPECT_FALSE(verify_unsubscribe_token(k_secret, "99999999999999999999-abc"));
}

// Links in mails already sent must keep working when the token code changes: the signed
// message of each kind is pinned here.
TEST(UnsubscribeTest, TheSignedMessagesStayTheSame) {
  EXPECT_EQ(unsubscribe_token(k_secret, 42),
            "42-" + hmac_sha256_hex(k_secret, "billwatch-unsubscribe:42"));
  EXPECT_EQ(manage_token(k_secret, 42, 3),
            "42-3-" + hmac_sha256_hex(k_secret, "billwatch-manage:42-3"));
  EXPECT_EQ(confirmation_token(k_secret, 5, 1700000000),
            "5-1700000000-" + hmac_sha256_hex(k_secret, "billwatch-confirm:5-1700000000"));
  EXPECT_EQ(form_token(k_secret, "subscribe", 1700000000),
            "1700000000-" + hmac_sha256_hex(k_secret, "billwatch-form:subscribe:1700000000"));
  // The purpose is signed: one kind never passes for another.
  EXPECT_FALSE(verify_manage_token(k_secret, confirmation_token(k_secret, 42, 3)));
  EXPECT_FALSE(
      verify_form_token(k_secret, "new_link", form_token(k_secret, "subscribe", 100), 100, 60));
}

TEST(UnsubscribeTest, ListUnsubscribeHeaders) {
  ChangeEvent e;
  e.id = 1;
  e.bill.id = "wa-1";
  e.bill.jurisdiction = "WA";
  e.bill.title = "HB 1795";
  MessageOptions mailto_only;
  mailto_only.unsubscribe_token = "3-ab";
  Message m = build_message(e, "alerts@example.org", "p@example.org", 3, 0, mailto_only);
  EXPECT_EQ(m.list_unsubscribe, "<mailto:alerts@example.org?subject=unsubscribe%203-ab>");
  EXPECT_EQ(m.list_unsubscribe_post, "") << "one-click needs an https link (RFC 8058)";
  Message none = build_message(e, "alerts@example.org", "p@example.org", 3, 0);
  EXPECT_EQ(none.list_unsubscribe, "");
  MessageOptions injected;
  injected.unsubscribe_token = "3-ab\r\nBcc: x@example.org";
  EXPECT_THROW(build_message(e, "alerts@example.org", "p@example.org", 3, 0, injected),
               std::invalid_argument);
}

}  // namespace
}  // namespace billwatch::notifier
