// What a hostile page, API answer or redirect can make billwatch fetch: each test is the
// attack, against real servers on loopback. 127.0.0.1 is the allowed test host; the same
// servers reached as "localhost" (or by another internal address) stand for a metadata
// service or an internal port that a page points at.
#include "billwatch/crawler/outbound_policy.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "billwatch/crawler/curl_global.hpp"
#include "billwatch/crawler/curl_http_client.hpp"
#include "loopback_http_server.hpp"

namespace billwatch::crawler {
namespace {

using test::LoopbackHttpServer;

class OutboundPolicyTest : public ::testing::Test {
 protected:
  HttpOptions options(std::vector<std::string> allowed = {"127.0.0.1"}) {
    HttpOptions o;
    o.outbound.allowed_hosts = std::move(allowed);
    o.user_agent = "billwatch-test/1";
    o.timeout_ms = 5000;
    o.connect_timeout_ms = 2000;
    o.max_retries = 0;
    return o;
  }
  FetchOutcome fetch(const FetchRequest& request, const HttpOptions& o) {
    return CurlHttpClient(o).fetch_all({request}).outcomes.at(0);
  }
  static std::string localhost_url(const LoopbackHttpServer& server, const std::string& path) {
    return "http://localhost:" + std::to_string(server.port()) + path;
  }

  CurlGlobal m_curl;
  LoopbackHttpServer m_site;      // the crawled site (allowed)
  LoopbackHttpServer m_internal;  // "metadata service" / internal port (not allowed)
};

TEST_F(OutboundPolicyTest, AnInternalAddressIsRefusedAndNothingIsConnectedTo) {
  m_internal.server().Get("/latest/meta-data/iam",
                          [](const httplib::Request&, httplib::Response& res) {
                            res.set_content("AccessKeyId: AKIASECRET", "text/plain");
                          });
  auto outcome = fetch({localhost_url(m_internal, "/latest/meta-data/iam"), "", ""}, options());
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome));
  const auto& failure = std::get<FetchFailure>(outcome);
  EXPECT_EQ(failure.kind, FailureKind::Refused);
  EXPECT_FALSE(failure.transient);
  EXPECT_EQ(m_internal.hits("/latest/meta-data/iam"), 0);
  EXPECT_EQ(m_internal.hits("/robots.txt"), 0) << "not even robots.txt";

  // Whether the port is open or closed, the answer is the same words: no port scan.
  auto closed = fetch({"http://localhost:1/latest/meta-data/iam", "", ""}, options());
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(closed));
  EXPECT_EQ(std::get<FetchFailure>(closed).message, failure.message);
  EXPECT_NE(failure.message.find("[crawler] allow_private"), std::string::npos) << failure.message;
  EXPECT_EQ(failure.message.find("onnect"), std::string::npos) << failure.message;

  // The cloud metadata address itself, and private ranges, without any connection attempt.
  for (const char* url : {"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
                          "http://[::1]:1/", "http://0.0.0.0:1/"}) {
    auto refused = fetch({url, "", ""}, options());
    ASSERT_TRUE(std::holds_alternative<FetchFailure>(refused)) << url;
    EXPECT_EQ(std::get<FetchFailure>(refused).kind, FailureKind::Refused) << url;
  }
}

TEST_F(OutboundPolicyTest, ARedirectToAnInternalAddressIsRefused) {
  m_internal.server().Get("/secret", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("DB_PASSWORD=hunter2", "text/plain");
  });
  std::string target = localhost_url(m_internal, "/secret");
  m_site.server().Get(
      "/bill", [&](const httplib::Request&, httplib::Response& res) { res.set_redirect(target); });
  auto outcome = fetch({m_site.url("/bill"), "", ""}, options());
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome));
  EXPECT_EQ(std::get<FetchFailure>(outcome).kind, FailureKind::Refused);
  EXPECT_EQ(m_internal.hits("/secret"), 0);
}

TEST_F(OutboundPolicyTest, RobotsTxtOfARedirectTargetIsRead) {
  // Both hosts allowed; the target's robots.txt forbids everything. Counted in the handler:
  // the server's own hit log is written after the answer, and may lag the client.
  std::atomic<int> robots_reads{0};
  m_internal.server().Get("/robots.txt", [&](const httplib::Request&, httplib::Response& res) {
    ++robots_reads;
    res.set_content("User-agent: *\nDisallow: /\n", "text/plain");
  });
  m_internal.server().Get("/page", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("should not be read", "text/plain");
  });
  std::string target = localhost_url(m_internal, "/page");
  m_site.server().Get("/moved", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(target, 301);
  });
  auto outcome = fetch({m_site.url("/moved"), "", ""}, options({"127.0.0.1", "localhost"}));
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome));
  EXPECT_EQ(std::get<FetchFailure>(outcome).kind, FailureKind::Robots);
  EXPECT_EQ(robots_reads.load(), 1);
  EXPECT_EQ(m_internal.hits("/page"), 0);
}

TEST_F(OutboundPolicyTest, ApiKeysStayWithTheirHost) {
  std::mutex mutex;
  std::string key_on_other_host = "(not asked)";
  std::string key_on_same_host;
  m_internal.server().Get("/elsewhere", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    key_on_other_host = req.get_header_value("X-Api-Key");
    res.set_content("{}", "application/json");
  });
  m_site.server().Get("/here", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard<std::mutex> lock(mutex);
    key_on_same_host = req.get_header_value("X-Api-Key");
    res.set_content("{}", "application/json");
  });
  std::string other = localhost_url(m_internal, "/elsewhere");
  m_site.server().Get("/api/away", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect(other, 302);
  });
  m_site.server().Get("/api/stay", [&](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("/here", 302);
  });
  HttpOptions o = options({"127.0.0.1", "localhost"});
  o.respect_robots = false;
  FetchRequest away{m_site.url("/api/away"), "", "", {"X-Api-Key: s3cret"}};
  ASSERT_TRUE(std::holds_alternative<Fetched>(fetch(away, o)));
  EXPECT_EQ(key_on_other_host, "") << "the key was sent to another host";
  FetchRequest stay{m_site.url("/api/stay"), "", "", {"X-Api-Key: s3cret"}};
  ASSERT_TRUE(std::holds_alternative<Fetched>(fetch(stay, o)));
  EXPECT_EQ(key_on_same_host, "s3cret") << "a redirect on the same host keeps it";
}

TEST_F(OutboundPolicyTest, TooManyRedirectsAndNonHttpTargetsAreFailures) {
  m_site.server().Get(
      "/loop", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop"); });
  m_site.server().Get("/file", [](const httplib::Request&, httplib::Response& res) {
    res.set_redirect("file:///etc/passwd");
  });
  HttpOptions o = options();
  o.respect_robots = false;
  auto loop = fetch({m_site.url("/loop"), "", ""}, o);
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(loop));
  EXPECT_EQ(std::get<FetchFailure>(loop).kind, FailureKind::Redirects);
  auto file = fetch({m_site.url("/file"), "", ""}, o);
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(file));
  EXPECT_EQ(std::get<FetchFailure>(file).kind, FailureKind::BadUrl);
}

TEST(AddressRangesTest, InternalRangesAreRecognised) {
  for (const char* internal :
       {"127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fd00::1", "fe80::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a9fe:a9fe", "[::1]"}) {
    EXPECT_TRUE(is_internal_address_text(internal)) << internal;
  }
  for (const char* external : {"8.8.8.8", "172.32.0.1", "192.169.0.1", "2606:4700::1111",
                               "::ffff:8.8.8.8", "app.leg.wa.gov"}) {
    EXPECT_FALSE(is_internal_address_text(external)) << external;
  }
  EXPECT_EQ(registrable_domain("lawfilesext.leg.wa.gov"), "wa.gov");
  EXPECT_EQ(registrable_domain("app.leg.wa.gov"), "wa.gov");
  EXPECT_EQ(registrable_domain("www.legislation.gov.uk"), "legislation.gov.uk");
  EXPECT_EQ(registrable_domain("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(url_host("https://App.Leg.WA.gov/x"), "app.leg.wa.gov");
  OutboundPolicy policy{{"Mirror.Internal", "::1"}};
  EXPECT_TRUE(policy.allows_host("mirror.internal"));
  EXPECT_TRUE(policy.allows_host("[::1]"));
  EXPECT_FALSE(policy.allows_host("localhost"));
}

}  // namespace
}  // namespace billwatch::crawler
