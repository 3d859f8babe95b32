// Connection reuse, the way the crawler meets real legislature hosts: HTTPS with HTTP/2
// offered by ALPN (Debian's nghttpd on loopback, with a certificate made for the test) and
// plain HTTP/1.1 keep-alive. Counts come from libcurl's own connection accounting.
#include <gtest/gtest.h>

#include "billwatch/crawler/curl_global.hpp"
#include "billwatch/crawler/curl_http_client.hpp"
#include "loopback_http_server.hpp"
#include "tls_http2_server.hpp"

namespace billwatch::crawler {
namespace {

std::string page(int i) {
  return "<p>Bill " + std::to_string(i) + ": seclusion rooms are banned.</p>";
}

HttpOptions options() {
  HttpOptions o;
  o.outbound.allowed_hosts = {"127.0.0.1", "localhost"};  // the loopback test servers
  o.user_agent = "billwatch-test/1 (+mailto:test@example.org)";
  o.timeout_ms = 10000;
  o.per_host_concurrency = 4;
  return o;
}

TEST(ConnectionReuseTest, Http2OverTlsCarriesEveryRequestOnOneConnection) {
  CurlGlobal curl;
  test::TlsHttp2Server server;
  server.put("robots.txt", "User-agent: *\nDisallow: /private\n");
  std::vector<FetchRequest> requests;
  for (int i = 0; i < 12; ++i) {
    server.put("bill" + std::to_string(i) + ".html", page(i));
    requests.push_back({server.url("/bill" + std::to_string(i) + ".html"), "", ""});
  }
  requests.push_back({server.url("/private/draft.html"), "", ""});
  HttpOptions o = options();
  o.ca_file = server.ca_file();
  FetchResults results = CurlHttpClient(o).fetch_all(requests);

  for (int i = 0; i < 12; ++i) {
    const auto* fetched = std::get_if<Fetched>(&results.outcomes[i]);
    ASSERT_NE(fetched, nullptr) << i << ": " << std::get<FetchFailure>(results.outcomes[i]).message;
    EXPECT_EQ(fetched->body, page(i));
    EXPECT_EQ(fetched->http_version, "2");
  }
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(results.outcomes[12]));
  EXPECT_EQ(std::get<FetchFailure>(results.outcomes[12]).kind, FailureKind::Robots);
  EXPECT_EQ(results.stats.requests, 13u) << "robots.txt and twelve pages";
  // robots.txt opens the connection and learns (by ALPN) that it speaks HTTP/2; the pages
  // then share it, four at a time, instead of opening four connections.
  EXPECT_EQ(results.stats.connections, 1u) << "HTTP/2 multiplexes them all on one connection";
}

TEST(ConnectionReuseTest, AnUntrustedCertificateIsAPermanentErrorNamingIt) {
  CurlGlobal curl;
  test::TlsHttp2Server server;
  server.put("bill.html", page(1));
  HttpOptions o = options();
  o.max_retries = 2;
  o.respect_robots = false;
  FetchResults results = CurlHttpClient(o).fetch_all({{server.url("/bill.html"), "", ""}});
  const auto* failure = std::get_if<FetchFailure>(&results.outcomes[0]);
  ASSERT_NE(failure, nullptr);
  EXPECT_FALSE(failure->transient);
  EXPECT_EQ(failure->attempts, 1);
  EXPECT_NE(failure->message.find("certificate"), std::string::npos) << failure->message;
}

TEST(ConnectionReuseTest, Http11KeepAliveReusesConnectionsWithinThePerHostLimit) {
  CurlGlobal curl;
  test::LoopbackHttpServer server;
  // httplib closes a connection after 5 requests by default; real servers allow ~100.
  server.server().set_keep_alive_max_count(100);
  server.server().Get(R"(/bill(\d+))", [](const httplib::Request& req, httplib::Response& res) {
    res.set_content(page(std::stoi(req.matches[1])), "text/html; charset=utf-8");
  });
  std::vector<FetchRequest> requests;
  for (int i = 0; i < 30; ++i)
    requests.push_back({server.url("/bill" + std::to_string(i)), "", ""});
  HttpOptions o = options();
  o.per_host_concurrency = 2;
  FetchResults results = CurlHttpClient(o).fetch_all(requests);
  for (int i = 0; i < 30; ++i) {
    const auto* fetched = std::get_if<Fetched>(&results.outcomes[i]);
    ASSERT_NE(fetched, nullptr) << i;
    EXPECT_EQ(fetched->http_version, "1.1");
  }
  EXPECT_EQ(results.stats.requests, 31u);
  EXPECT_LE(results.stats.connections, 2u) << "31 requests over at most two connections";
}

}  // namespace
}  // namespace billwatch::crawler
