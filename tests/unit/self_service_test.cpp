// The subscriber's pages on an in-memory store, a fake mailer and a hand-moved clock:
// double opt-in, the manage page, revocable links, one-click unsubscribe, and what a
// stranger cannot do (mail-bomb an address, learn who is subscribed, post a form from
// another site).
#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <sstream>

#include "billwatch/core/hash.hpp"
#include "billwatch/notifier/tokens.hpp"
#include "billwatch/store/store.hpp"
#include "billwatch/web/mail_queue.hpp"
#include "billwatch/web/site.hpp"
#include "manual_clock.hpp"

namespace billwatch::web {
namespace {

const char* const k_secret = "the secret of this installation";

class MemoryDesk final : public SubscriberDesk {
 public:
  explicit MemoryDesk(store::Store& store) : m_store(store) {}
  void with_store(const std::function<void(store::Store&)>& work) override { work(m_store); }

 private:
  store::Store& m_store;
};

class FakeMailer final : public Mailer {
 public:
  void send(notifier::Message message) override { sent.push_back(std::move(message)); }
  std::vector<notifier::Message> sent;
};

store::NewVersion wa_version(const std::string& text) {
  store::NewVersion v;
  v.bill.id = "WA-2025-HB-1795";
  v.bill.jurisdiction = "WA";
  v.bill.title = "Restraint and isolation of students";
  v.bill.source = "wa-law";
  v.bill.url = "https://app.leg.wa.gov/billsummary?BillNumber=1795";
  v.text = text;
  v.relevance = Relevance{true, 2, {"restraint", "isolation"}};
  v.provenance = Provenance{v.bill.url, v.bill.url, 100, 200, "", "", sha256_hex(text)};
  return v;
}

std::string header(const Response& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return {};
}

// The value of the first hidden form_token on a page.
std::string form_token_of(const Response& page) {
  std::smatch m;
  static const std::regex k_token(R"re(name="form_token" value="([0-9a-f-]+)")re");
  if (!std::regex_search(page.body, m, k_token)) return {};
  return m[1];
}

// The path of the first link to `kind` ("confirm", "manage", "unsubscribe") in a mail.
std::string link_in(const notifier::Message& mail, const std::string& kind) {
  std::smatch m;
  std::regex link("https://alerts\\.example\\.org(/" + kind + "/[0-9a-f-]+)");
  if (!std::regex_search(mail.text, m, link)) return {};
  return m[1];
}

class SelfServiceTest : public ::testing::Test {
 protected:
  SelfServiceTest() {
    m_options.base_url = "https://alerts.example.org";
    m_options.link_secret = k_secret;
    m_options.mail_from = "billwatch <alerts@example.org>";
    m_site = std::make_unique<Site>(m_db, m_db, m_options,
                                    SiteServices{&m_desk, &m_mailer, &m_limits, &m_clock});
  }

  Response get(const std::string& target) {
    Request r;
    r.method = "GET";
    r.target = target;
    r.request_id = "t";
    r.client = "192.0.2.1";
    return m_site->handle(r);
  }
  Response post(const std::string& target, const std::string& body,
                const std::string& client = "192.0.2.1", const std::string& origin = "",
                const std::string& fetch_site = "") {
    Request r;
    r.method = "POST";
    r.target = target;
    r.request_id = "t";
    r.body = body;
    r.client = client;
    r.origin = origin;
    r.fetch_site = fetch_site;
    return m_site->handle(r);
  }
  // The subscribe form filled in and sent, as a browser would.
  Response subscribe(const std::string& email, const std::string& choices,
                     const std::string& client = "192.0.2.1") {
    std::string token = form_token_of(get("/subscribe"));
    return post("/subscribe", "email=" + email + "&" + choices + "&form_token=" + token, client,
                "https://alerts.example.org", "same-origin");
  }
  // Confirms the request the latest confirmation mail is for.
  Response confirm_latest() {
    std::string path = link_in(m_mailer.sent.back(), "confirm");
    Response ask = get(path);
    return post(path, "form_token=" + form_token_of(ask));
  }
  std::vector<store::Subscriber> subscribers() { return m_db.subscribers(); }
  std::int64_t add_confirmed(const std::string& email) {
    SubscriptionFilter wa;
    wa.jurisdictions = {"WA"};
    m_db.add_subscription(email, "", wa, std::nullopt, m_clock.now());
    return m_db.subscriber_by_email(email)->id;
  }

  store::Store m_db = store::Store::open_in_memory();
  MemoryDesk m_desk{m_db};
  FakeMailer m_mailer;
  ClientLimits m_limits{10};
  test::ManualClock m_clock;
  SiteOptions m_options;
  std::unique_ptr<Site> m_site;
};

TEST_F(SelfServiceTest, SubscribingSendsOneConfirmationAndNothingElseUntilConfirmed) {
  Response form = get("/subscribe");
  EXPECT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("name=\"website\""), std::string::npos) << "the honeypot field";
  EXPECT_EQ(header(form, "Cache-Control"), "no-store") << "a form token is not for caches";
  EXPECT_NE(form.body.find("value=\"WA\"> Washington</label>"), std::string::npos);
  EXPECT_EQ(form.body.find("name=\"jurisdiction\" value=\"\""), std::string::npos)
      << "the list's placeholder is not a state to tick";

  Response answer = subscribe("parent@example.org", "preset=state&state=WA&frequency=immediate");
  EXPECT_EQ(answer.status, 200);
  EXPECT_NE(answer.body.find("Check your mail"), std::string::npos);
  ASSERT_EQ(m_mailer.sent.size(), 1u);
  const notifier::Message& mail = m_mailer.sent[0];
  EXPECT_EQ(mail.envelope_to, "parent@example.org");
  EXPECT_NE(mail.subject.find("Please confirm"), std::string::npos);
  EXPECT_NE(mail.text.find("Everything about restraint and seclusion in Washington"),
            std::string::npos)
      << mail.text;
  EXPECT_FALSE(link_in(mail, "confirm").empty()) << mail.text;
  EXPECT_TRUE(mail.list_unsubscribe.empty()) << "nothing is subscribed yet";

  // Not a subscriber: a change to a Washington bill reaches no one.
  EXPECT_TRUE(subscribers().empty());
  EXPECT_EQ(m_db.pending_confirmations(m_clock.now()).size(), 1u);
  m_db.save_version(wa_version("Sec. 1. Prone restraint is prohibited."), m_clock.now() + 10);
  EXPECT_TRUE(m_db.pending_deliveries(5).empty());
}

// The site keeps rendered pages; never a subscriber's own (a kept form would carry a token
// that runs out, a kept manage page another moment's subscriptions).
TEST_F(SelfServiceTest, TheSubscribersPagesAreNeverKept) {
  std::string first = form_token_of(get("/subscribe"));
  m_clock.advance(10);
  EXPECT_NE(form_token_of(get("/subscribe")), first);
}

TEST_F(SelfServiceTest, OpeningTheLinkAsksConfirmingSubscribesAndWelcomes) {
  subscribe("parent@example.org", "preset=state&state=WA&frequency=daily");
  std::string path = link_in(m_mailer.sent.back(), "confirm");
  Response ask = get(path);
  EXPECT_EQ(ask.status, 200);
  EXPECT_NE(ask.body.find("Confirm your alerts"), std::string::npos);
  EXPECT_TRUE(subscribers().empty()) << "a mail scanner opening the link confirms nothing";

  Response done = post(path, "form_token=" + form_token_of(ask));
  EXPECT_EQ(done.status, 200);
  EXPECT_NE(done.body.find("You are subscribed"), std::string::npos);
  EXPECT_NE(done.body.find("in Washington"), std::string::npos);
  EXPECT_NE(done.body.find("once a day"), std::string::npos);
  auto now = subscribers();
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].frequency, Frequency::Daily);
  EXPECT_EQ(now[0].subscriptions.at(0).jurisdictions, std::vector<std::string>{"WA"});
  EXPECT_TRUE(m_db.pending_confirmations(m_clock.now()).empty());

  ASSERT_EQ(m_mailer.sent.size(), 2u);
  const notifier::Message& welcome = m_mailer.sent[1];
  EXPECT_NE(welcome.subject.find("You are subscribed"), std::string::npos);
  EXPECT_FALSE(link_in(welcome, "manage").empty()) << welcome.text;
  EXPECT_NE(welcome.list_unsubscribe.find("https://alerts.example.org/unsubscribe/"),
            std::string::npos);
  EXPECT_EQ(welcome.list_unsubscribe_post, "List-Unsubscribe=One-Click");

  // Now the next change is theirs; confirming again changes nothing and sends nothing.
  m_db.save_version(wa_version("Sec. 1. Seclusion is prohibited."), m_clock.now() + 10);
  EXPECT_EQ(m_db.pending_deliveries(5).size(), 1u);
  Response again = post(path, "form_token=" + form_token_of(ask));
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("confirmed before"), std::string::npos);
  EXPECT_EQ(m_mailer.sent.size(), 2u);
  EXPECT_EQ(subscribers().at(0).subscriptions.size(), 1u);
}

TEST_F(SelfServiceTest, ExpiredAlteredAndForgedConfirmationLinksAreRefusedWithAWayForward) {
  subscribe("parent@example.org", "preset=state&state=WA&frequency=immediate");
  std::string path = link_in(m_mailer.sent.back(), "confirm");
  std::string token = form_token_of(get(path));

  std::string altered = path;
  altered.back() = altered.back() == 'a' ? 'b' : 'a';
  std::string token_part = path.substr(std::string("/confirm/").size());
  std::string other_secret = "/confirm/" + notifier::confirmation_token("another secret", 1, 1);
  // The expiry is signed: moving it forward breaks the link.
  std::string moved = "/confirm/1-" + std::to_string(m_clock.now() + 999999) +
                      token_part.substr(token_part.rfind('-'));
  for (const std::string& bad : {altered, other_secret, moved, path.substr(0, path.size() - 5)}) {
    Response r = post(bad, "form_token=" + token);
    EXPECT_EQ(r.status, 404) << bad;
    EXPECT_NE(r.body.find("This link does not work"), std::string::npos);
    EXPECT_NE(r.body.find("href=\"/subscribe\""), std::string::npos) << "says where to go";
  }
  m_clock.advance(48 * 3600 + 1);
  Response expired = post(path, "form_token=" + form_token_of(get(path)));
  EXPECT_EQ(expired.status, 410);
  EXPECT_NE(expired.body.find("This link has expired"), std::string::npos);
  EXPECT_NE(expired.body.find("href=\"/subscribe\""), std::string::npos);
  EXPECT_TRUE(subscribers().empty());
  EXPECT_EQ(m_mailer.sent.size(), 1u);
}

TEST_F(SelfServiceTest, AnExistingSubscriberChangesOnlyWhenTheNewRequestIsConfirmed) {
  add_confirmed("parent@example.org");
  subscribe("parent@example.org", "preset=state&state=US&frequency=weekly");
  auto before = subscribers().at(0);
  EXPECT_EQ(before.subscriptions.size(), 1u);
  EXPECT_EQ(before.frequency, Frequency::Immediate);
  confirm_latest();
  auto after = subscribers().at(0);
  ASSERT_EQ(after.subscriptions.size(), 2u);
  EXPECT_EQ(after.subscriptions[1].jurisdictions, std::vector<std::string>{"US"});
  EXPECT_EQ(after.frequency, Frequency::Weekly);
}

TEST_F(SelfServiceTest, AtMostThreeMailsAnAddressADayWhoeverAsks) {
  std::vector<std::string> bodies;
  for (int i = 0; i < 5; ++i) {
    Response r = subscribe("target@example.org", "preset=bans&frequency=immediate",
                           "198.51.100." + std::to_string(i));
    EXPECT_EQ(r.status, 200);
    bodies.push_back(r.body);
  }
  EXPECT_EQ(m_mailer.sent.size(), 3u);
  EXPECT_EQ(bodies[0], bodies[4]) << "the answer does not say the limit was reached";
  m_clock.advance(24 * 3600 + 1);
  subscribe("target@example.org", "preset=bans&frequency=immediate", "198.51.100.9");
  EXPECT_EQ(m_mailer.sent.size(), 4u);
}

TEST_F(SelfServiceTest, OneClientIsLimitedToTenPostsAnHour) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(subscribe("p" + std::to_string(i) + "@example.org", "preset=bans").status, 200);
  }
  Response limited = subscribe("p11@example.org", "preset=bans");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(header(limited, "Retry-After"), "3600");
  EXPECT_EQ(m_mailer.sent.size(), 10u);
  EXPECT_EQ(subscribe("p12@example.org", "preset=bans", "203.0.113.5").status, 200)
      << "another client is not limited";
  m_clock.advance(3601);
  EXPECT_EQ(subscribe("p13@example.org", "preset=bans").status, 200);
}

TEST_F(SelfServiceTest, TheHoneypotSendsNothingAndAnswersTheSame) {
  Response person = subscribe("a@example.org", "preset=bans");
  Response robot = subscribe("b@example.org", "preset=bans&website=http%3A%2F%2Fspam.example");
  EXPECT_EQ(robot.status, person.status);
  EXPECT_EQ(robot.body, person.body);
  EXPECT_EQ(m_mailer.sent.size(), 1u);
}

// No enumeration: a stranger learns nothing about whether an address is subscribed, from
// the subscribe form or from "send me a new link".
TEST_F(SelfServiceTest, AnswersAreTheSameForKnownAndUnknownAddresses) {
  add_confirmed("known@example.org");
  Response known = subscribe("known@example.org", "preset=bans");
  Response unknown = subscribe("unknown@example.org", "preset=bans");
  EXPECT_EQ(known.status, unknown.status);
  EXPECT_EQ(known.body, unknown.body);

  auto new_link = [&](const std::string& email) {
    std::string token = form_token_of(get("/manage"));
    return post("/manage", "email=" + email + "&form_token=" + token);
  };
  std::size_t before = m_mailer.sent.size();
  Response known_link = new_link("known@example.org");
  Response unknown_link = new_link("unknown@example.org");
  EXPECT_EQ(known_link.status, unknown_link.status);
  EXPECT_EQ(known_link.body, unknown_link.body);
  ASSERT_EQ(m_mailer.sent.size(), before + 1) << "only the subscribed address gets a link";
  EXPECT_EQ(m_mailer.sent.back().envelope_to, "known@example.org");
  for (const Response& r : {known, unknown, known_link, unknown_link}) {
    EXPECT_EQ(r.body.find("@example.org"), std::string::npos) << "pages never show an address";
  }
}

TEST_F(SelfServiceTest, FormsFromElsewhereOrWithoutTheirTokenAreRefused) {
  std::string token = form_token_of(get("/subscribe"));
  std::string body = "email=p@example.org&preset=bans&form_token=";
  EXPECT_EQ(post("/subscribe", body).status, 403) << "no token";
  EXPECT_EQ(
      post("/subscribe", body + notifier::form_token(k_secret, "new_link", m_clock.now())).status,
      403)
      << "another form's token";
  EXPECT_EQ(post("/subscribe", body + notifier::form_token("x", "subscribe", m_clock.now())).status,
            403)
      << "a token this site did not sign";
  EXPECT_EQ(post("/subscribe", body + token, "192.0.2.1", "https://evil.example").status, 403);
  EXPECT_EQ(post("/subscribe", body + token, "192.0.2.1", "", "cross-site").status, 403);
  // A sandboxed frame (or a page with no-referrer) sends "Origin: null".
  EXPECT_EQ(post("/subscribe", body + token, "192.0.2.1", "null").status, 403);
  m_clock.advance(m_options.form_lifetime + 1);
  Response stale = post("/subscribe", body + token);
  EXPECT_EQ(stale.status, 403);
  EXPECT_NE(stale.body.find("send it again"), std::string::npos) << "and a fresh form";
  EXPECT_FALSE(form_token_of(stale).empty());
  EXPECT_TRUE(m_mailer.sent.empty());
}

TEST_F(SelfServiceTest, NonsenseInTheFormIsNamedAndSendsNothing) {
  Response bad_address = subscribe("not-an-address", "preset=bans");
  EXPECT_EQ(bad_address.status, 400);
  EXPECT_NE(bad_address.body.find("does not look like an email address"), std::string::npos);
  Response no_state = subscribe("p@example.org", "preset=state&state=");
  EXPECT_EQ(no_state.status, 400);
  EXPECT_NE(no_state.body.find("Choose a state"), std::string::npos);
  EXPECT_EQ(subscribe("p@example.org", "preset=custom&jurisdiction=XX").status, 400);
  EXPECT_EQ(subscribe("p@example.org", "preset=custom&category=drop_table").status, 400);
  EXPECT_EQ(subscribe("p@example.org", "preset=custom&stage=signed").status, 400);
  EXPECT_EQ(subscribe("p@example.org", "preset=custom&bills=%3Cscript%3E").status, 400);
  EXPECT_EQ(subscribe("p@example.org", "preset=bans&frequency=hourly").status, 400);
  EXPECT_EQ(subscribe("p@example.org", "preset=custom&keywords=caf%FF").status, 400)
      << "found by fuzz_site: a byte that is not UTF-8 in a title word was a 500";
  EXPECT_TRUE(m_mailer.sent.empty());
  // A custom choice is kept as the filters the CLI makes.
  subscribe("p@example.org",
            "preset=custom&jurisdiction=WA&jurisdiction=OR&category=seclusion_ban&event=new_bill&"
            "bills=wa-2025-hb-1795&keywords=seclusion%2C+isolation&stage=enacted");
  confirm_latest();
  auto filter = subscribers().at(0).subscriptions.at(0);
  EXPECT_EQ(filter.jurisdictions, (std::vector<std::string>{"WA", "OR"}));
  EXPECT_EQ(filter.categories, std::vector<std::string>{"seclusion_ban"});
  EXPECT_EQ(filter.events, (std::vector<std::string>{"new_bill", "status_changed"}))
      << "a target stage is about stage moves, as with the CLI's --stage";
  EXPECT_EQ(filter.stages, std::vector<std::string>{"enacted"});
  EXPECT_NE(m_mailer.sent.back().text.find("only when a bill becomes law"), std::string::npos)
      << m_mailer.sent.back().text;
  EXPECT_EQ(filter.bills, std::vector<std::string>{"WA-2025-HB-1795"});
  EXPECT_EQ(filter.keywords, (std::vector<std::string>{"seclusion", "isolation"}));
}

class ManageTest : public SelfServiceTest {
 protected:
  ManageTest() {
    m_id = add_confirmed("parent@example.org");
    m_path = "/manage/" + notifier::manage_token(k_secret, m_id, 1);
  }
  Response act(const std::string& fields) {
    std::string token = form_token_of(get(m_path));
    return post(m_path, fields + "&form_token=" + token);
  }
  store::Subscriber me() { return *m_db.subscriber(m_id); }
  std::int64_t m_id = 0;
  std::string m_path;
};

TEST_F(ManageTest, ThePageShowsWhatIsFollowedAndNeverTheAddress) {
  Response page = get(m_path);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Everything about restraint and seclusion in Washington"),
            std::string::npos);
  EXPECT_EQ(page.body.find("parent@"), std::string::npos);
  EXPECT_EQ(header(page, "Cache-Control"), "no-store");
  EXPECT_EQ(header(page, "Referrer-Policy"), "same-origin");
}

TEST_F(ManageTest, FrequencyPauseRemoveAndAddAreSavedAndRedirected) {
  Response saved = act("do=frequency&frequency=weekly");
  EXPECT_EQ(saved.status, 303);
  EXPECT_EQ(header(saved, "Location"), m_path + "?saved=frequency");
  EXPECT_EQ(me().frequency, Frequency::Weekly);
  EXPECT_NE(get(m_path + "?saved=frequency").body.find("Saved: how often"), std::string::npos);

  act("do=add&preset=bans");
  ASSERT_EQ(me().subscriptions.size(), 2u);
  EXPECT_FALSE(me().subscriptions[1].categories.empty());
  EXPECT_NE(get(m_path).body.find(
                "Any new ban or permission of restraint or seclusion anywhere in the US"),
            std::string::npos)
      << "the preset is named as the form named it";

  act("do=remove&subscription=" + std::to_string(me().subscription_ids[0]));
  ASSERT_EQ(me().subscriptions.size(), 1u);
  EXPECT_FALSE(me().subscriptions[0].categories.empty()) << "the other one stays";

  // Paused: nothing is matched, and what happened meanwhile is not sent after resuming.
  act("do=remove&subscription=" + std::to_string(me().subscription_ids[0]));
  act("do=add&preset=state&state=WA");
  act("do=pause");
  EXPECT_TRUE(me().paused);
  m_db.save_version(wa_version("Sec. 1. Prone restraint is prohibited."), m_clock.now() + 5);
  EXPECT_TRUE(m_db.pending_deliveries(5).empty());
  act("do=resume");
  EXPECT_FALSE(me().paused);
  EXPECT_TRUE(m_db.pending_deliveries(5).empty());
  m_db.save_version(wa_version("Sec. 1. Seclusion is prohibited."), m_clock.now() + 10);
  EXPECT_EQ(m_db.pending_deliveries(5).size(), 1u);
}

TEST_F(ManageTest, ChangesNeedThePagesTokenAndAreRefusedFromElsewhere) {
  EXPECT_EQ(post(m_path, "do=frequency&frequency=weekly").status, 403);
  std::string token = form_token_of(get(m_path));
  EXPECT_EQ(
      post(m_path, "do=pause&form_token=" + token, "192.0.2.1", "https://evil.example").status,
      403);
  // A token of another subscriber's page does not work here.
  std::int64_t other = add_confirmed("other@example.org");
  std::string other_token =
      form_token_of(get("/manage/" + notifier::manage_token(k_secret, other, 1)));
  EXPECT_EQ(post(m_path, "do=pause&form_token=" + other_token).status, 403);
  EXPECT_EQ(me().frequency, Frequency::Immediate);
  EXPECT_FALSE(me().paused);
}

TEST_F(ManageTest, ANewLinkRevokesTheOldOne) {
  std::string token = form_token_of(get("/manage"));
  post("/manage", "email=parent@example.org&form_token=" + token);
  ASSERT_EQ(m_mailer.sent.size(), 1u);
  std::string fresh = link_in(m_mailer.sent[0], "manage");
  ASSERT_FALSE(fresh.empty()) << m_mailer.sent[0].text;
  EXPECT_NE(fresh, m_path);
  Response old = get(m_path);
  EXPECT_EQ(old.status, 404);
  EXPECT_NE(old.body.find("This link no longer works"), std::string::npos);
  EXPECT_NE(old.body.find("action=\"/manage\""), std::string::npos) << "offers a new link";
  EXPECT_EQ(post(m_path, "do=pause&form_token=" + form_token_of(old)).status, 404);
  EXPECT_EQ(get(fresh).status, 200);
  // Forged and altered manage links are refused the same way.
  EXPECT_EQ(get("/manage/" + notifier::manage_token("another secret", m_id, 2)).status, 404);
  EXPECT_EQ(get("/manage/" + std::to_string(m_id) + "-2-abc").status, 404);
}

TEST_F(ManageTest, TheAlertsThemselvesLinkToThisPage) {
  // The delivery pass puts the subscriber's current manage link in every alert's footer.
  m_db.save_version(wa_version("Sec. 1. Prone restraint is prohibited."), m_clock.now() + 5);
  auto pending = m_db.pending_deliveries(5);
  ASSERT_EQ(pending.size(), 1u);
  notifier::MessageOptions options;
  options.web_base_url = m_options.base_url;
  options.unsubscribe_token = notifier::unsubscribe_token(k_secret, m_id);
  options.manage_token =
      notifier::manage_token(k_secret, m_id, pending[0].subscriber.manage_generation);
  auto mail = notifier::build_message(pending[0].event, "alerts@example.org", "parent@example.org",
                                      m_id, m_clock.now(), options);
  EXPECT_EQ(link_in(mail, "manage"), m_path) << mail.text;
  EXPECT_EQ(get(link_in(mail, "manage")).status, 200);
}

class UnsubscribeTest : public SelfServiceTest {
 protected:
  UnsubscribeTest() {
    m_id = add_confirmed("parent@example.org");
    m_token = notifier::unsubscribe_token(k_secret, m_id);
  }
  std::int64_t m_id = 0;
  std::string m_token;
};

TEST_F(UnsubscribeTest, GetAsksAndChangesNothing) {
  Response page = get("/unsubscribe/" + m_token);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<form method=\"post\" action=\"/unsubscribe/" + m_token + "\">"),
            std::string::npos)
      << page.body;
  EXPECT_EQ(subscribers().size(), 1u) << "a link preview (a GET) must not unsubscribe";
  EXPECT_EQ(header(page, "Cache-Control"), "no-store");
  EXPECT_EQ(header(page, "Referrer-Policy"), "same-origin");
  // The form of earlier mails still leads to the same page.
  EXPECT_EQ(get("/unsubscribe?token=" + m_token).status, 200);
}

// RFC 8058: the POST a mail provider sends, with no cookie, no form token and no Origin of
// this site, stops the alerts at once and answers 200; again, it is still 200 ("already").
TEST_F(UnsubscribeTest, OneClickPostUnsubscribesOnceAndAgainIsStillSuccess) {
  Response done = post("/unsubscribe/" + m_token, "List-Unsubscribe=One-Click", "192.0.2.7",
                       "https://mail.provider.example", "cross-site");
  EXPECT_EQ(done.status, 200);
  EXPECT_NE(done.body.find("You are unsubscribed"), std::string::npos);
  EXPECT_TRUE(subscribers().empty());
  Response again = post("/unsubscribe/" + m_token, "List-Unsubscribe=One-Click");
  EXPECT_EQ(again.status, 200);
  EXPECT_NE(again.body.find("Already unsubscribed"), std::string::npos);
}

TEST_F(UnsubscribeTest, ForgedAlteredOrTruncatedTokensChangeNothing) {
  std::string altered = m_token;
  altered.back() = altered.back() == 'a' ? 'b' : 'a';
  for (std::string token : {altered, m_token.substr(0, m_token.size() - 3),
                            notifier::unsubscribe_token("another secret", m_id),
                            notifier::manage_token(k_secret, m_id, 1), std::string("")}) {
    Response r = post("/unsubscribe/" + token, "List-Unsubscribe=One-Click");
    EXPECT_EQ(r.status, 404) << token;
    EXPECT_NE(r.body.find("This link does not work"), std::string::npos);
  }
  EXPECT_EQ(subscribers().size(), 1u);
  // POST anywhere else is refused; the unsubscribe page never shows an address.
  EXPECT_EQ(post("/bills", "").status, 405);
  EXPECT_EQ(get("/unsubscribe/" + m_token).body.find("@"), std::string::npos);
}

TEST_F(UnsubscribeTest, WithoutASecretNoTokenIsAcceptedAndSubscribingIsClosed) {
  Site site(m_db, m_db, SiteOptions{}, SiteServices{&m_desk, &m_mailer, &m_limits, &m_clock});
  Request r;
  r.method = "POST";
  r.target = "/unsubscribe/" + m_token;
  r.body = "List-Unsubscribe=One-Click";
  EXPECT_EQ(site.handle(r).status, 404);
  EXPECT_EQ(subscribers().size(), 1u);
  r.method = "GET";
  r.target = "/subscribe";
  Response closed = site.handle(r);
  EXPECT_NE(closed.body.find("Subscribing on this site is not set up"), std::string::npos);
  EXPECT_EQ(closed.body.find("<form"), std::string::npos);
}

TEST(SelfServiceStoreTest, UnconfirmedRequestsGoAWeekAfterTheyExpire) {
  store::Store db = store::Store::open_in_memory();
  SubscriptionFilter all;
  auto stale = db.request_confirmation("a@example.org", all, Frequency::Daily, 100, 200);
  auto kept = db.request_confirmation("b@example.org", all, Frequency::Daily, 100, 200);
  db.confirm(kept.id, 150);
  db.request_confirmation("c@example.org", all, Frequency::Daily, 200 + 7 * 24 * 3600, 300);
  EXPECT_TRUE(db.confirmation(stale.id)) << "a week after expiry, not yet";
  db.request_confirmation("c@example.org", all, Frequency::Daily, 201 + 7 * 24 * 3600, 400);
  EXPECT_FALSE(db.confirmation(stale.id));
  EXPECT_TRUE(db.confirmation(kept.id)) << "a confirmed request is the record of consent";
}

TEST(SelfServiceStoreTest, ForgetDeletesRequestsAndCountsToo) {
  store::Store db = store::Store::open_in_memory();
  SubscriptionFilter all;
  db.add_subscription("p@example.org", "", all, std::nullopt, 100);
  db.request_confirmation("P@example.org", all, Frequency::Daily, 100, 200);
  db.note_requested_mail("p@example.org", 100);
  EXPECT_TRUE(db.forget("p@example.org"));
  EXPECT_TRUE(db.subscribers().empty());
  EXPECT_TRUE(db.pending_confirmations(150).empty()) << "addresses compare without case";
  EXPECT_EQ(db.requested_mails("p@example.org", 0), 0);
  EXPECT_FALSE(db.forget("p@example.org"));
}

}  // namespace
}  // namespace billwatch::web

namespace billwatch::web {
namespace {

// The serve command's mail queue: sends in order on its own thread, logs a failure without
// the address, and sends what is queued before it ends.
class RecordingSender final : public notifier::MailSender {
 public:
  explicit RecordingSender(std::vector<std::string>& sent) : m_sent(sent) {}
  notifier::SendResult send(const notifier::Message& message) override {
    if (message.envelope_to == "refused@example.org") {
      return notifier::SendResult::failed(550, "550 5.1.1 <refused@example.org> unknown");
    }
    m_sent.push_back(message.envelope_to);
    return {};
  }

 private:
  std::vector<std::string>& m_sent;
};

TEST(MailQueueTest, SendsInOrderLogsFailuresWithoutTheAddressAndDrainsOnExit) {
  std::vector<std::string> sent;
  std::ostringstream log;
  int senders_made = 0;
  {
    MailQueue queue(
        [&] {
          ++senders_made;
          return std::make_unique<RecordingSender>(sent);
        },
        log);
    for (const char* to : {"a@example.org", "refused@example.org", "b@example.org"}) {
      notifier::Message m;
      m.envelope_to = to;
      queue.send(m);
    }
  }
  EXPECT_EQ(sent, (std::vector<std::string>{"a@example.org", "b@example.org"}));
  EXPECT_EQ(senders_made, 1) << "one connection for the queue's life";
  EXPECT_NE(log.str().find("a subscriber mail was not sent"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("550 5.1.1 <[the address]> unknown"), std::string::npos) << log.str();
  EXPECT_EQ(log.str().find("refused@"), std::string::npos) << "the server repeated the address";
}

TEST(MailQueueTest, AFullQueueDropsTheNewestAndSaysSo) {
  std::vector<std::string> sent;
  std::ostringstream log;
  std::mutex gate;
  std::unique_lock<std::mutex> hold(gate);
  class SlowSender final : public notifier::MailSender {
   public:
    SlowSender(std::mutex& gate, std::vector<std::string>& sent) : m_gate(gate), m_sent(sent) {}
    notifier::SendResult send(const notifier::Message& message) override {
      std::lock_guard<std::mutex> wait(m_gate);
      m_sent.push_back(message.envelope_to);
      return {};
    }

   private:
    std::mutex& m_gate;
    std::vector<std::string>& m_sent;
  };
  {
    MailQueue queue([&] { return std::make_unique<SlowSender>(gate, sent); }, log, 2);
    for (int i = 0; i < 6; ++i) {
      notifier::Message m;
      m.envelope_to = "p" + std::to_string(i) + "@example.org";
      queue.send(m);
    }
    hold.unlock();
  }
  EXPECT_LE(sent.size(), 3u) << "one being sent and two waiting at most";
  EXPECT_GE(sent.size(), 2u);
  EXPECT_NE(log.str().find("mail queue full"), std::string::npos);
}

}  // namespace
}  // namespace billwatch::web
