// CurlHttpClient against a real HTTP server on loopback.
#include <gtest/gtest.h>

#include <condition_variable>

#include "billwatch/crawler/curl_global.hpp"
#include "billwatch/crawler/curl_http_client.hpp"
#include "loopback_http_server.hpp"

namespace billwatch::crawler {
namespace {

using test::LoopbackHttpServer;

class HttpClientTest : public ::testing::Test {
 protected:
  HttpOptions options() {
    HttpOptions o;
    o.outbound.allowed_hosts = {"127.0.0.1", "localhost"};  // the loopback test servers
    o.user_agent = "billwatch-test/1 (+mailto:test@example.org)";
    o.timeout_ms = 5000;
    o.connect_timeout_ms = 2000;
    o.max_retries = 0;  // retries have their own tests (fault_injection_test.cpp)
    return o;
  }
  FetchOutcome fetch_one(const FetchRequest& request, HttpOptions o) {
    return CurlHttpClient(o).fetch_all({request}).outcomes.at(0);
  }
  FetchOutcome fetch_one(const std::string& url) { return fetch_one({url, "", ""}, options()); }

  // State shared with handlers that may still run after a client gave up: declared before
  // the server so that it outlives the server's threads.
  struct Gate {
    std::mutex mutex;
    std::condition_variable cv;
    bool released = false;
  };
  Gate m_gate;
  CurlGlobal m_curl;
  LoopbackHttpServer m_http;
};

TEST_F(HttpClientTest, OkKeepsBodyValidatorsAndUserAgent) {
  std::string seen_agent;
  m_http.server().Get("/bill", [&](const httplib::Request& req, httplib::Response& res) {
    seen_agent = req.get_header_value("User-Agent");
    res.set_header("ETag", "\"v1\"");
    res.set_header("Last-Modified", "Mon, 10 Feb 2025 13:30:00 GMT");
    res.set_content("<p>bill</p>", "text/html; charset=utf-8");
  });
  auto outcome = fetch_one(m_http.url("/bill"));
  ASSERT_TRUE(std::holds_alternative<Fetched>(outcome));
  const auto& fetched = std::get<Fetched>(outcome);
  EXPECT_EQ(fetched.http_status, 200);
  EXPECT_EQ(fetched.body, "<p>bill</p>");
  EXPECT_EQ(fetched.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(fetched.etag, "\"v1\"");
  EXPECT_EQ(fetched.last_modified, "Mon, 10 Feb 2025 13:30:00 GMT");
  EXPECT_EQ(seen_agent, "billwatch-test/1 (+mailto:test@example.org)");
}

TEST_F(HttpClientTest, ExtraHeadersAreSentAndRobotsTxtIsReadOncePerClient) {
  std::string seen_key;
  m_http.server().Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("User-agent: *\nDisallow: /private\n", "text/plain");
  });
  m_http.server().Get("/api", [&](const httplib::Request& req, httplib::Response& res) {
    seen_key = req.get_header_value("X-Api-Key");
    res.set_content("{}", "application/json");
  });
  CurlHttpClient client(options());
  FetchRequest request{m_http.url("/api"), "", "", {"X-Api-Key: abc123"}};
  EXPECT_TRUE(std::holds_alternative<Fetched>(client.fetch_all({request}).outcomes.at(0)));
  EXPECT_EQ(seen_key, "abc123");
  // A second batch of the same client obeys the rules read by the first.
  auto second = client.fetch_all({{m_http.url("/api"), "", ""}, {m_http.url("/private"), "", ""}});
  EXPECT_TRUE(std::holds_alternative<Fetched>(second.outcomes.at(0)));
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(second.outcomes.at(1)));
  EXPECT_EQ(std::get<FetchFailure>(second.outcomes.at(1)).kind, FailureKind::Robots);
  EXPECT_EQ(m_http.hits("/robots.txt"), 1);
}

TEST_F(HttpClientTest, RedirectsAreFollowedAndTheFinalUrlKept) {
  m_http.server().Get(
      "/old", [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/new"); });
  m_http.server().Get("/new", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("moved", "text/plain");
  });
  auto outcome = fetch_one(m_http.url("/old"));
  ASSERT_TRUE(std::holds_alternative<Fetched>(outcome));
  EXPECT_EQ(std::get<Fetched>(outcome).final_url, m_http.url("/new"));
  EXPECT_EQ(std::get<Fetched>(outcome).body, "moved");
}

TEST_F(HttpClientTest, ValidatorsAreSentAndA304IsNotModified) {
  m_http.server().Get("/bill", [](const httplib::Request& req, httplib::Response& res) {
    if (req.get_header_value("If-None-Match") == "\"v1\"" &&
        req.get_header_value("If-Modified-Since") == "Mon, 10 Feb 2025 13:30:00 GMT") {
      res.status = 304;
      return;
    }
    res.set_content("full body", "text/plain");
  });
  auto outcome =
      fetch_one({m_http.url("/bill"), "\"v1\"", "Mon, 10 Feb 2025 13:30:00 GMT"}, options());
  EXPECT_TRUE(std::holds_alternative<NotModified>(outcome));
  auto without = fetch_one(m_http.url("/bill"));
  EXPECT_TRUE(std::holds_alternative<Fetched>(without));
}

TEST_F(HttpClientTest, HttpErrorsAreClassified) {
  for (int status : {404, 410, 403, 500, 503, 429}) {
    m_http.server().Get("/s" + std::to_string(status),
                        [status](const httplib::Request&, httplib::Response& res) {
                          res.status = status;
                          res.set_content("error page", "text/html");
                        });
  }
  auto failure = [&](int status) {
    auto outcome = fetch_one(m_http.url("/s" + std::to_string(status)));
    EXPECT_TRUE(std::holds_alternative<FetchFailure>(outcome)) << status;
    return std::get<FetchFailure>(outcome);
  };
  EXPECT_FALSE(failure(404).transient);
  EXPECT_EQ(failure(404).message, "HTTP 404");
  EXPECT_EQ(failure(404).http_status, 404);
  EXPECT_FALSE(failure(410).transient);
  EXPECT_FALSE(failure(403).transient);
  EXPECT_TRUE(failure(500).transient);
  EXPECT_EQ(failure(500).message, "HTTP 500 (server-side, may succeed later)");
  EXPECT_TRUE(failure(503).transient);
  EXPECT_TRUE(failure(429).transient);
}

TEST_F(HttpClientTest, RefusedConnectionIsATransientFailure) {
  int closed_port;
  {
    LoopbackHttpServer gone;
    closed_port = gone.port();
  }
  auto outcome = fetch_one("http://127.0.0.1:" + std::to_string(closed_port) + "/x");
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome));
  EXPECT_TRUE(std::get<FetchFailure>(outcome).transient);
  EXPECT_NE(std::get<FetchFailure>(outcome).message.find("connect"), std::string::npos)
      << std::get<FetchFailure>(outcome).message;
}

TEST_F(HttpClientTest, SlowServerTimesOut) {
  m_http.server().Get("/slow", [this](const httplib::Request&, httplib::Response& res) {
    std::unique_lock<std::mutex> lock(m_gate.mutex);
    m_gate.cv.wait_for(lock, std::chrono::seconds(10), [this] { return m_gate.released; });
    res.set_content("late", "text/plain");
  });
  HttpOptions o = options();
  o.timeout_ms = 300;
  auto outcome = fetch_one({m_http.url("/slow"), "", ""}, o);
  {
    std::lock_guard<std::mutex> lock(m_gate.mutex);
    m_gate.released = true;
  }
  m_gate.cv.notify_all();
  ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome));
  EXPECT_TRUE(std::get<FetchFailure>(outcome).transient);
  EXPECT_NE(std::get<FetchFailure>(outcome).message.find("Timeout"), std::string::npos)
      << std::get<FetchFailure>(outcome).message;
}

TEST_F(HttpClientTest, OversizedBodiesAreRefusedEvenWhenChunked) {
  const std::size_t cap = 64 * 1024;
  m_http.server().Get("/big", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(std::string(200 * 1024, 'x'), "text/plain");
  });
  m_http.server().Get("/chunked", [](const httplib::Request&, httplib::Response& res) {
    auto sent = std::make_shared<std::size_t>(0);
    res.set_chunked_content_provider("text/plain", [sent](std::size_t, httplib::DataSink& sink) {
      if (*sent >= 10u << 20) {  // stops by itself after 10 MiB
        sink.done();
        return true;
      }
      std::string chunk(16 * 1024, 'y');
      *sent += chunk.size();
      return sink.write(chunk.data(), chunk.size());
    });
  });
  HttpOptions o = options();
  o.max_body_bytes = cap;
  for (const char* path : {"/big", "/chunked"}) {
    auto outcome = fetch_one({m_http.url(path), "", ""}, o);
    ASSERT_TRUE(std::holds_alternative<FetchFailure>(outcome)) << path;
    EXPECT_FALSE(std::get<FetchFailure>(outcome).transient);
    EXPECT_NE(std::get<FetchFailure>(outcome).message.find("larger than max_body_mb"),
              std::string::npos)
        << path << ": " << std::get<FetchFailure>(outcome).message;
  }
}

TEST_F(HttpClientTest, PerHostConcurrencyIsRespectedAndOrderKept) {
  std::mutex mutex;
  std::condition_variable cv;
  int in_flight = 0;
  int max_in_flight = 0;
  m_http.server().Get(R"(/page/(\d+))", [&](const httplib::Request& req, httplib::Response& res) {
    std::unique_lock<std::mutex> lock(mutex);
    max_in_flight = std::max(max_in_flight, ++in_flight);
    cv.notify_all();
    // Hold the request until a second one is in flight (or 1 s passes), so that the limit,
    // not luck, decides how many overlap.
    cv.wait_for(lock, std::chrono::seconds(1), [&] { return in_flight >= 2; });
    --in_flight;
    res.set_content("page " + req.matches[1].str(), "text/plain");
  });
  HttpOptions o = options();
  o.per_host_concurrency = 2;
  std::vector<FetchRequest> requests;
  for (int i = 0; i < 6; ++i)
    requests.push_back({m_http.url("/page/" + std::to_string(i)), "", ""});
  auto outcomes = CurlHttpClient(o).fetch_all(requests).outcomes;
  ASSERT_EQ(outcomes.size(), 6u);
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(std::holds_alternative<Fetched>(outcomes[i]));
    EXPECT_EQ(std::get<Fetched>(outcomes[i]).body, "page " + std::to_string(i));
  }
  EXPECT_EQ(max_in_flight, 2);
}

}  // namespace
}  // namespace billwatch::crawler
