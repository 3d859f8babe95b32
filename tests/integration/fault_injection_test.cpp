// The crawler engine against a fault-injecting server on loopback: retries, backoff,
// Retry-After, robots.txt, politeness limits, block pages and broken transfers. Timing is
// asserted from the server's own log of request arrival times, never by sleeping.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "billwatch/crawler/curl_global.hpp"
#include "billwatch/crawler/curl_http_client.hpp"
#include "billwatch/crawler/fetch_policy.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "fault_server.hpp"
#include "gzip.hpp"

namespace billwatch::crawler {
namespace {

using test::FaultServer;
using test::gzip;
using Action = FaultServer::Reply::Action;
using std::chrono::milliseconds;

FaultServer::Reply send(int status, const std::string& body,
                        const std::vector<std::string>& headers = {}) {
  return {Action::Send, FaultServer::response(status, body, headers)};
}

milliseconds gap(const FaultServer::Request& a, const FaultServer::Request& b) {
  return std::chrono::duration_cast<milliseconds>(b.at - a.at);
}

class FaultInjectionTest : public ::testing::Test {
 protected:
  FaultInjectionTest() {
    m_options.outbound.allowed_hosts = {"127.0.0.1", "localhost"};  // the loopback test servers
    m_options.user_agent = "billwatch/0.1 (+mailto:test@example.org)";
    m_options.timeout_ms = 5000;
    m_options.connect_timeout_ms = 2000;
    m_options.retry_base_ms = 40;
    m_options.max_retries = 2;
    m_options.jitter_seed = 42;
    // No robots.txt route: 404, everything allowed (tested separately below).
  }

  FetchResults fetch(const std::vector<std::string>& paths) {
    std::vector<FetchRequest> requests;
    for (const auto& p : paths) requests.push_back({m_server.url(p), "", ""});
    return CurlHttpClient(m_options).fetch_all(requests);
  }
  FetchOutcome fetch_one(const std::string& path) { return fetch({path}).outcomes.at(0); }

  CurlGlobal m_curl;
  FaultServer m_server;
  HttpOptions m_options;
};

TEST_F(FaultInjectionTest, Transient5xxIsRetriedWithGrowingBackoffThenSucceeds) {
  std::atomic<int> calls = 0;
  m_server.on("/flaky", [&](const FaultServer::Request&) {
    return ++calls <= 2 ? send(503, "busy") : send(200, "finally", {"Content-Type: text/plain"});
  });
  FetchResults results = fetch({"/flaky"});
  ASSERT_TRUE(std::holds_alternative<Fetched>(results.outcomes[0]));
  EXPECT_EQ(std::get<Fetched>(results.outcomes[0]).body, "finally");
  EXPECT_EQ(results.stats.retries, 2);
  auto log = m_server.requests("/flaky");
  ASSERT_EQ(log.size(), 3u);
  // base 40 ms ±25%, then 80 ms ±25%.
  EXPECT_GE(gap(log[0], log[1]), milliseconds(29));
  EXPECT_GE(gap(log[1], log[2]), milliseconds(59));
}

TEST_F(FaultInjectionTest, GivesUpAfterMaxRetries) {
  m_server.on("/down", [](const FaultServer::Request&) { return send(500, "oops"); });
  auto outcome = fetch_one("/down");
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome));
  const auto& failure = std::get<FetchFailure>(outcome);
  EXPECT_TRUE(failure.transient);
  EXPECT_EQ(failure.attempts, 3);
  EXPECT_NE(failure.message.find("HTTP 500"), std::string::npos);
  EXPECT_NE(failure.message.find("after 3 attempts"), std::string::npos);
  EXPECT_EQ(m_server.requests("/down").size(), 3u);
}

TEST_F(FaultInjectionTest, PermanentFailuresAreNotRetried) {
  m_server.on("/gone", [](const FaultServer::Request&) { return send(410, "gone"); });
  m_server.on("/loop",
              [](const FaultServer::Request&) { return send(302, "", {"Location: /loop"}); });
  FetchResults results = fetch({"/gone", "/missing", "/loop"});
  for (const auto& outcome : results.outcomes) {
    ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome));
    EXPECT_FALSE(std::get<FetchFailure>(outcome).transient);
  }
  EXPECT_EQ(std::get<FetchFailure>(results.outcomes[2]).kind, FailureKind::Redirects);
  EXPECT_EQ(m_server.requests("/gone").size(), 1u);
  EXPECT_EQ(m_server.requests("/missing").size(), 1u);
  EXPECT_EQ(m_server.requests("/loop").size(), 6u) << "one request and five redirects";
  EXPECT_EQ(results.stats.retries, 0);
}

// A host name with a 64-character label can never resolve: the C library refuses to build
// the DNS query (labels are at most 63 bytes), so this is a real resolver failure that sends
// nothing off this machine.
const std::string k_unresolvable_host = std::string(64, 'a') + ".invalid";

TEST_F(FaultInjectionTest, DnsFailureAndRefusedConnectionAreRetriedThenRecorded) {
  m_options.respect_robots = false;
  int closed_port;
  {
    FaultServer gone;
    closed_port = gone.port();
  }
  std::vector<FetchRequest> requests = {
      {"http://" + k_unresolvable_host + "/bill", "", ""},
      {"http://127.0.0.1:" + std::to_string(closed_port) + "/bill", "", ""}};
  FetchResults results = CurlHttpClient(m_options).fetch_all(requests);
  for (const char* expected : {"resolve", "onnect"}) {
    std::size_t i = expected[0] == 'r' ? 0 : 1;
    ASSERT_TRUE(std::holds_alternative<FetchFailure>(results.outcomes[i])) << i;
    const auto& failure = std::get<FetchFailure>(results.outcomes[i]);
    EXPECT_TRUE(failure.transient) << failure.message;
    EXPECT_EQ(failure.kind, FailureKind::Network) << failure.message;
    EXPECT_EQ(failure.attempts, 3) << failure.message;
    EXPECT_EQ(failure.http_status, 0);
    EXPECT_NE(failure.message.find(expected), std::string::npos) << failure.message;
  }
  EXPECT_EQ(results.stats.retries, 4);
}

TEST_F(FaultInjectionTest, AHostWhoseRobotsTxtCannotBeResolvedIsNotCrawled) {
  auto outcome =
      CurlHttpClient(m_options).fetch_all({{"http://" + k_unresolvable_host + "/bill", "", ""}});
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome.outcomes[0]));
  const auto& failure = std::get<FetchFailure>(outcome.outcomes[0]);
  EXPECT_TRUE(failure.transient) << "the next run tries again";
  EXPECT_NE(failure.message.find("robots.txt"), std::string::npos) << failure.message;
  EXPECT_NE(failure.message.find("resolve"), std::string::npos) << failure.message;
}

TEST_F(FaultInjectionTest, ConnectTimeoutIsATransientTimeout) {
  // A listener that never accepts, with its accept queue filled: the kernel drops further
  // SYNs, so our connect hangs until connect_timeout_ms, as with a firewalled host.
  int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(listener, 0), 0);
  ASSERT_EQ(getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  std::vector<int> fillers;
  for (int i = 0; i < 4; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
    fillers.push_back(fd);
  }
  m_options.respect_robots = false;
  m_options.connect_timeout_ms = 300;
  m_options.max_retries = 1;
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/bill";
  auto started = std::chrono::steady_clock::now();
  FetchResults results = CurlHttpClient(m_options).fetch_all({{url, "", ""}});
  auto took = std::chrono::steady_clock::now() - started;
  for (int fd : fillers) close(fd);
  close(listener);
  const auto* failure = std::get_if<FetchFailure>(&results.outcomes[0]);
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(failure->kind, FailureKind::Timeout) << failure->message;
  EXPECT_TRUE(failure->transient);
  EXPECT_EQ(failure->attempts, 2);
  EXPECT_NE(failure->message.find("onnect"), std::string::npos) << failure->message;
  EXPECT_LT(took, std::chrono::seconds(4)) << "connect_timeout_ms bounds each attempt";
}

TEST_F(FaultInjectionTest, RetryAfterSecondsIsHonoured) {
  std::atomic<int> calls = 0;
  m_server.on("/limited", [&](const FaultServer::Request&) {
    return ++calls == 1 ? send(429, "slow down", {"Retry-After: 1"}) : send(200, "ok");
  });
  ASSERT_TRUE(std::holds_alternative<Fetched>(fetch_one("/limited")));
  auto log = m_server.requests("/limited");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_GE(gap(log[0], log[1]), milliseconds(990));
}

TEST_F(FaultInjectionTest, RetryAfterHttpDateIsHonoured) {
  std::atomic<int> calls = 0;
  m_server.on("/maintenance", [&](const FaultServer::Request&) {
    std::time_t when = std::time(nullptr) + 2;
    char date[64];
    std::tm tm{};
    gmtime_r(&when, &tm);
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    return ++calls == 1 ? send(503, "maintenance", {std::string("Retry-After: ") + date})
                        : send(200, "back");
  });
  ASSERT_TRUE(std::holds_alternative<Fetched>(fetch_one("/maintenance")));
  auto log = m_server.requests("/maintenance");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_GE(gap(log[0], log[1]), milliseconds(900));  // the date has 1 s resolution
}

TEST_F(FaultInjectionTest, ATooLongRetryAfterIsLeftForTheNextRun) {
  m_server.on("/tomorrow", [](const FaultServer::Request&) {
    return send(503, "later", {"Retry-After: 86400"});
  });
  auto outcome = fetch_one("/tomorrow");
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome));
  EXPECT_NE(std::get<FetchFailure>(outcome).message.find("retry after 86400 s"), std::string::npos);
  EXPECT_EQ(m_server.requests("/tomorrow").size(), 1u);
}

TEST_F(FaultInjectionTest, ResetConnectionIsRetried) {
  std::atomic<int> calls = 0;
  m_server.on("/reset", [&](const FaultServer::Request&) {
    if (++calls == 1) return FaultServer::Reply{Action::Reset, send(200, "x").raw, 0};
    return send(200, "second time");
  });
  auto outcome = fetch_one("/reset");
  ASSERT_TRUE(std::holds_alternative<Fetched>(outcome));
  EXPECT_EQ(m_server.requests("/reset").size(), 2u);
}

TEST_F(FaultInjectionTest, TruncatedBodyIsATransientFailure) {
  m_options.max_retries = 0;
  m_server.on("/cut", [](const FaultServer::Request&) {
    return FaultServer::Reply{Action::Truncate, FaultServer::response(200, std::string(1000, 'x')),
                              150};
  });
  auto outcome = fetch_one("/cut");
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome));
  EXPECT_TRUE(std::get<FetchFailure>(outcome).transient);
  EXPECT_EQ(std::get<FetchFailure>(outcome).kind, FailureKind::Network);
}

TEST_F(FaultInjectionTest, SlowDripHitsTheTotalTimeout) {
  m_options.max_retries = 0;
  m_options.timeout_ms = 300;
  m_server.on("/drip", [](const FaultServer::Request&) {
    return FaultServer::Reply{Action::Drip, FaultServer::response(200, std::string(200, 'x')), 0,
                              20};
  });
  auto outcome = fetch_one("/drip");
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome));
  EXPECT_EQ(std::get<FetchFailure>(outcome).kind, FailureKind::Timeout);
  EXPECT_TRUE(std::get<FetchFailure>(outcome).transient);
}

TEST_F(FaultInjectionTest, GzipIsDecodedAndABrokenStreamFails) {
  m_options.max_retries = 0;
  m_server.on("/gz", [](const FaultServer::Request& r) {
    EXPECT_NE(r.headers.at("accept-encoding").find("gzip"), std::string::npos);
    return send(200, gzip("<p>compressed bill</p>"),
                {"Content-Encoding: gzip", "Content-Type: text/html"});
  });
  m_server.on("/badgz", [](const FaultServer::Request&) {
    std::string broken = gzip(std::string(4096, 'b') + "<p>bill</p>");
    for (std::size_t i = 12; i < broken.size() - 8; ++i) broken[i] = '\xff';  // corrupt the data
    return send(200, broken, {"Content-Encoding: gzip"});
  });
  FetchResults results = fetch({"/gz", "/badgz"});
  ASSERT_TRUE(std::holds_alternative<Fetched>(results.outcomes[0]));
  EXPECT_EQ(std::get<Fetched>(results.outcomes[0]).body, "<p>compressed bill</p>");
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(results.outcomes[1]));
  EXPECT_NE(std::get<FetchFailure>(results.outcomes[1]).message.find("ncoding"), std::string::npos)
      << std::get<FetchFailure>(results.outcomes[1]).message;
}

TEST_F(FaultInjectionTest, LegacyCharsetsArriveAsUtf8WithBadBytesReplaced) {
  // Curly quotes and an e-acute in windows-1252, as many legislature sites still serve them.
  const std::string cp1252 = "<p>\x93Seclusion\x94 \x96 caf\xE9</p>";
  m_server.on("/header", [&](const FaultServer::Request&) {
    return send(200, cp1252, {"Content-Type: text/html; charset=windows-1252"});
  });
  m_server.on("/meta-gz", [&](const FaultServer::Request&) {
    return send(200, gzip("<html><head><meta charset=\"ISO-8859-1\"></head>" + cp1252),
                {"Content-Type: text/html", "Content-Encoding: gzip"});
  });
  m_server.on("/stray", [](const FaultServer::Request&) {
    // 0x81 is undefined in windows-1252; a stray byte must not cost the whole page.
    return send(200, "<p>Seclusion rooms\x81 are banned.</p>",
                {"Content-Type: text/html; charset=windows-1252"});
  });
  m_server.on("/garbage", [](const FaultServer::Request&) {
    std::string noise;
    for (int i = 0; i < 400; ++i) noise += static_cast<char>(0x80 + (i * 37) % 64);
    return send(200, "<p>" + noise + "</p>", {"Content-Type: text/html; charset=utf-8"});
  });
  FetchResults results = fetch({"/header", "/meta-gz", "/stray", "/garbage"});
  auto text_of = [&](int i) {
    const auto& fetched = std::get<Fetched>(results.outcomes.at(i));
    return page_to_text(fetched.body, fetched.content_type, fetched.final_url);
  };
  const std::string utf8 = "\xE2\x80\x9CSeclusion\xE2\x80\x9D \xE2\x80\x93 caf\xC3\xA9";
  for (int i : {0, 1}) {
    auto page = text_of(i);
    ASSERT_TRUE(page) << i << ": " << page.error();
    EXPECT_EQ(page.value().text, utf8) << i;
    EXPECT_EQ(page.value().warning, "") << i;
  }
  auto stray = text_of(2);
  ASSERT_TRUE(stray) << stray.error();
  EXPECT_EQ(stray.value().text, "Seclusion rooms\xEF\xBF\xBD are banned.");
  EXPECT_EQ(stray.value().warning,
            "replaced 1 byte(s) invalid in windows-1252, the first at byte 18 with U+FFFD");
  auto garbage = text_of(3);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error(),
            "the page is not text in its charset: 400 byte(s) invalid in utf-8, the first at "
            "byte 3");
}

TEST_F(FaultInjectionTest, A50MegabyteGzipBombStopsAtTheCap) {
  static const std::string bomb = gzip(std::string(50u << 20, '\0'), 9);
  ASSERT_LT(bomb.size(), 200u * 1024);
  m_options.max_body_bytes = 1u << 20;
  m_server.on("/bomb", [](const FaultServer::Request&) {
    return send(200, bomb, {"Content-Encoding: gzip", "Content-Type: text/html"});
  });
  FetchResults results = fetch({"/bomb"});
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(results.outcomes[0]));
  EXPECT_EQ(std::get<FetchFailure>(results.outcomes[0]).kind, FailureKind::TooLarge);
  EXPECT_FALSE(std::get<FetchFailure>(results.outcomes[0]).transient);
  EXPECT_EQ(m_server.requests("/bomb").size(), 1u);
}

TEST_F(FaultInjectionTest, ChallengeAndBlockPagesAreBlockedNotContent) {
  m_server.on("/cf", [](const FaultServer::Request&) {
    return send(403,
                "<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
                "<body><script src=\"/cdn-cgi/challenge-platform/x.js\"></script></body></html>",
                {"Server: cloudflare", "cf-mitigated: challenge", "Content-Type: text/html"});
  });
  m_server.on("/captcha", [](const FaultServer::Request&) {
    return send(200, "<html><body><div class=\"g-recaptcha\"></div></body></html>",
                {"Content-Type: text/html"});
  });
  m_server.on("/waf", [](const FaultServer::Request&) {
    return send(403, "<h1>Access Denied</h1><p>Reference #18.5f3d1</p>");
  });
  m_server.on("/forbidden",
              [](const FaultServer::Request&) { return send(403, "You may not see this bill."); });
  FetchResults results = fetch({"/cf", "/captcha", "/waf", "/forbidden"});
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(std::holds_alternative<FetchFailure>(results.outcomes[i])) << i;
    EXPECT_EQ(std::get<FetchFailure>(results.outcomes[i]).kind, FailureKind::Blocked) << i;
    EXPECT_EQ(std::get<FetchFailure>(results.outcomes[i]).message.rfind("blocked: ", 0), 0u);
  }
  EXPECT_EQ(std::get<FetchFailure>(results.outcomes[3]).kind, FailureKind::Http)
      << "a plain 403 is an HTTP error, not a block page";
  EXPECT_EQ(results.stats.blocked, 3);
  EXPECT_EQ(m_server.requests("/cf").size(), 1u) << "blocks are not retried";
}

TEST_F(FaultInjectionTest, RobotsTxtIsFetchedOnceAndObeyed) {
  m_server.on("/robots.txt", [](const FaultServer::Request&) {
    return send(200,
                "User-agent: *\nDisallow: /\n\n"
                "User-agent: billwatch\nDisallow: /private\nAllow: /private/public-notice\n"
                "Crawl-delay: 0.2\n",
                {"Content-Type: text/plain"});
  });
  for (const char* path :
       {"/bill/1", "/bill/2", "/bill/3", "/private/x", "/private/public-notice"}) {
    m_server.on(path, [](const FaultServer::Request&) { return send(200, "page"); });
  }
  m_options.per_host_concurrency = 4;
  FetchResults results =
      fetch({"/bill/1", "/private/x", "/bill/2", "/private/public-notice", "/bill/3"});
  EXPECT_EQ(m_server.requests("/robots.txt").size(), 1u);
  EXPECT_EQ(m_server.requests("/private/x").size(), 0u);
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(results.outcomes[1]));
  EXPECT_EQ(std::get<FetchFailure>(results.outcomes[1]).kind, FailureKind::Robots);
  EXPECT_TRUE(std::holds_alternative<Fetched>(results.outcomes[3]));
  EXPECT_EQ(results.stats.robots_skipped, 1);
  EXPECT_EQ(results.stats.requests, 5u);  // robots.txt and four pages

  // Crawl-delay 0.2 s applies between every two requests, robots.txt included.
  auto log = m_server.requests();
  ASSERT_EQ(log.size(), 5u);
  for (std::size_t i = 1; i < log.size(); ++i) {
    EXPECT_GE(gap(log[i - 1], log[i]), milliseconds(180)) << "request " << i;
  }
}

TEST_F(FaultInjectionTest, UnreadableRobotsTxtMeansNoCrawling) {
  m_options.max_retries = 0;
  m_server.on("/robots.txt", [](const FaultServer::Request&) { return send(503, "down"); });
  m_server.on("/bill", [](const FaultServer::Request&) { return send(200, "page"); });
  auto outcome = fetch_one("/bill");
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome));
  EXPECT_NE(std::get<FetchFailure>(outcome).message.find("robots.txt"), std::string::npos);
  EXPECT_EQ(m_server.requests("/bill").size(), 0u);
}

TEST_F(FaultInjectionTest, RobotsCanBeTurnedOff) {
  m_options.respect_robots = false;
  m_server.on("/robots.txt", [](const FaultServer::Request&) {
    return send(200, "User-agent: *\nDisallow: /\n");
  });
  m_server.on("/bill", [](const FaultServer::Request&) { return send(200, "page"); });
  EXPECT_TRUE(std::holds_alternative<Fetched>(fetch_one("/bill")));
  EXPECT_EQ(m_server.requests("/robots.txt").size(), 0u);
}

TEST_F(FaultInjectionTest, PerHostConcurrencyLimitHolds) {
  m_options.per_host_concurrency = 2;
  std::vector<std::string> paths;
  for (int i = 0; i < 8; ++i) {
    paths.push_back("/slow/" + std::to_string(i));
    m_server.on(paths.back(), [](const FaultServer::Request&) {
      // ~80 ms per answer, so that requests overlap when the limit allows it.
      return FaultServer::Reply{Action::Drip, FaultServer::response(200, "slow page"), 0, 1};
    });
  }
  FetchResults results = fetch(paths);
  for (const auto& outcome : results.outcomes)
    EXPECT_TRUE(std::holds_alternative<Fetched>(outcome));
  EXPECT_EQ(m_server.peak_concurrency(), 2);
}

TEST_F(FaultInjectionTest, MinimumDelayBetweenRequestsToOneHostWithPerHostOverride) {
  m_options.per_host_concurrency = 4;
  m_options.min_delay_ms = 0;
  m_options.hosts["127.0.0.1"] = HostPolicy{150, -1};
  std::vector<std::string> paths;
  for (int i = 0; i < 4; ++i) {
    paths.push_back("/page/" + std::to_string(i));
    m_server.on(paths.back(), [](const FaultServer::Request&) { return send(200, "page"); });
  }
  fetch(paths);
  auto log = m_server.requests();
  ASSERT_EQ(log.size(), 5u);  // robots.txt (404) and four pages
  for (std::size_t i = 1; i < log.size(); ++i) {
    EXPECT_GE(gap(log[i - 1], log[i]), milliseconds(135)) << "request " << i;
  }
}

TEST_F(FaultInjectionTest, BytesAndRequestsAreCounted) {
  m_server.on("/a", [](const FaultServer::Request&) { return send(200, std::string(5000, 'a')); });
  FetchResults results = fetch({"/a"});
  EXPECT_EQ(results.stats.requests, 2u);
  EXPECT_GT(results.stats.bytes_downloaded, 5000u);
}

TEST(RetryAfterTest, ParsesSecondsDatesAndHostileNumbers) {
  EXPECT_EQ(parse_retry_after("120", 0), 120);
  EXPECT_EQ(parse_retry_after(" 0 ", 0), 0);
  EXPECT_EQ(parse_retry_after("99999999999999999999999999", 0), 2147483647);
  EXPECT_FALSE(parse_retry_after("-5", 0));
  EXPECT_FALSE(parse_retry_after("soon", 0));
  Timestamp now = 1445412480;  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:30:00 GMT", now), 120);
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now), 0);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_FALSE(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT trailing"));
}

TEST(BackoffTest, DoublesWithJitterAndCap) {
  using std::chrono::milliseconds;
  EXPECT_EQ(backoff_delay(1, milliseconds(1000), milliseconds(60000), 0.5), milliseconds(1000));
  EXPECT_EQ(backoff_delay(3, milliseconds(1000), milliseconds(60000), 0.5), milliseconds(4000));
  EXPECT_EQ(backoff_delay(1, milliseconds(1000), milliseconds(60000), 0.0), milliseconds(750));
  EXPECT_EQ(backoff_delay(1, milliseconds(1000), milliseconds(60000), 1.0), milliseconds(1250));
  EXPECT_EQ(backoff_delay(40, milliseconds(1000), milliseconds(60000), 0.5), milliseconds(60000));
}

}  // namespace
}  // namespace billwatch::crawler
