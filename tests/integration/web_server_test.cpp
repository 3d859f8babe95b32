// `billwatch serve` for real: the Beast server on loopback, read through a real HTTP
// client, over a database that `run` filled from the fixtures (WA HB 1795 in two versions
// from a legislature's page, H.R. 4350 from govinfo's BILLSTATUS bulk data, AL HB 18 from
// LegiScan's recorded getBill answer). Limits and timeouts with raw sockets: a slow-loris
// client, oversized headers, too many connections. And a run writing while pages are read.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "billwatch/app/run_once.hpp"
#include "billwatch/crawler/curl_global.hpp"
#include "billwatch/crawler/curl_http_client.hpp"
#include "billwatch/notifier/message.hpp"
#include "billwatch/notifier/tokens.hpp"
#include "billwatch/store/store.hpp"
#include "billwatch/web/server.hpp"
#include "billwatch/web/site.hpp"
#include "files.hpp"
#include "fixture_site.hpp"
#include "legiscan_fixture.hpp"
#include "loopback_http_server.hpp"
#include "manual_clock.hpp"

namespace billwatch::app {
namespace {

const char* k_key = "testlegiscankey0123456789abcdef";
const char* k_secret = "the installation's unsubscribe secret";
const std::string k_hr_sitemap = "/sitemap/bulkdata/BILLSTATUS/117hr/sitemap.xml";
const std::string k_hr4350 = "/bulkdata/BILLSTATUS/117/hr/BILLSTATUS-117hr4350.xml";

std::string sitemap(const std::string& path, const std::string& lastmod) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
         "  <url><loc>https://www.govinfo.gov" +
         path + "</loc><lastmod>" + lastmod + "</lastmod></url>\n</urlset>\n";
}

std::string legiscan_list(const char* kind, const nlohmann::json& bill) {
  nlohmann::json list;
  if (std::string(kind) == "searchresult") {
    list["summary"] = {{"page", "1 of 1"}, {"count", 1}, {"page_current", 1}, {"page_total", 1}};
  } else {
    list["session"] = {{"session_id", 2148}, {"session_name", "2025 Regular Session"}};
  }
  list["0"] = {{"bill_id", bill["bill_id"]},
               {"number", bill["bill_number"]},
               {"change_hash", bill["change_hash"]}};
  return nlohmann::json{{"status", "OK"}, {kind, list}}.dump();
}

// A raw connection, for what a well-behaved client never sends.
class RawSocket {
 public:
  explicit RawSocket(unsigned short port) {
    m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    m_connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval timeout{10, 0};  // no test waits longer than this for an answer
    ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawSocket() { ::close(m_fd); }
  bool connected() const { return m_connected; }
  bool send(const std::string& data) {
    return ::send(m_fd, data.data(), data.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(data.size());
  }
  // Everything until the server closes (or 10 s pass).
  std::string read_all() {
    std::string out;
    char buffer[4096];
    ssize_t n;
    while ((n = ::recv(m_fd, buffer, sizeof buffer, 0)) > 0)
      out.append(buffer, static_cast<std::size_t>(n));
    return out;
  }

 private:
  int m_fd = -1;
  bool m_connected = false;
};

class WebServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    m_config = config::default_config();
    config::SourceConfig page;
    page.type = "html";
    page.name = "wa-hb1795";
    page.jurisdiction = "WA";
    page.bill_id = "WA-2025-HB-1795";
    page.urls = {m_http.url("/hb1795.md")};
    m_config.sources.push_back(page);
    // A page whose title and text carry markup and a javascript: link, under the id a
    // page source gives (its name and path: "hostile/sb9-html").
    config::SourceConfig hostile;
    hostile.type = "html";
    hostile.name = "hostile";
    hostile.jurisdiction = "OR";
    hostile.urls = {m_http.url("/sb9.html"), m_http.url("/sb10.html")};
    m_config.sources.push_back(hostile);
    m_site.put("/sb9.html",
               "<html><head><title>SB 9 &lt;script&gt;alert(1)&lt;/script&gt; \"&gt;&lt;img "
               "src=x onerror=alert(2)&gt;</title></head><body><p>No school may place a student "
               "in seclusion. &lt;script&gt;alert(3)&lt;/script&gt;</p><p><a "
               "href=\"javascript:alert(4)\">javascript:alert(4)</a></p></body></html>",
               "text/html; charset=utf-8");
    m_site.put("/sb10.html", "<title>SB 10</title><p>A school may not use prone restraint.</p>",
               "text/html; charset=utf-8");
    config::SourceConfig congress;
    congress.type = "congress";
    congress.name = "congress";
    congress.jurisdiction = "US";
    congress.congress.congresses = {117};
    congress.congress.bill_types = {"hr"};
    congress.congress.track = {"US-117-HR-4350"};
    congress.congress.base_url = m_http.url("");
    congress.congress.api_key_env = "BILLWATCH_TEST_CONGRESS_KEY";
    congress.congress.govinfo_api_key_env = "BILLWATCH_TEST_GOVINFO_KEY";
    congress.congress.api_base_url = m_http.url("/v3");
    congress.congress.govinfo_api_url = m_http.url("");
    m_config.sources.push_back(congress);
    config::SourceConfig legiscan;
    legiscan.type = "legiscan";
    legiscan.name = "legiscan";
    legiscan.state_api.base_url = m_http.url("/");
    legiscan.state_api.api_key_env = "BILLWATCH_TEST_LEGISCAN_KEY";
    legiscan.state_api.states = {"AL"};
    legiscan.state_api.track = {"AL-2025-HB-18"};
    m_config.sources.push_back(legiscan);

    serve_page("1_original");
    m_site.put(k_hr_sitemap, sitemap(k_hr4350, "2021-12-16T18:41:12Z"), "application/xml");
    m_site.put(k_hr4350,
               test::read_fixture("federal/billstatus/BILLSTATUS-117hr4350.v1-2021-12-16.xml"),
               "application/xml");
    nlohmann::json hb18 = test::legiscan_get_bill_answer("HB18");
    auto put = [&](const std::string& query, const std::string& body) {
      m_site.put(std::string("/?key=") + k_key + "&" + query, body, "application/json");
    };
    put("op=getSearchRaw&state=AL&query=restraint OR seclusion&year=2025&page=1",
        legiscan_list("searchresult", hb18["bill"]));
    put("op=getMasterListRaw&id=2148", legiscan_list("masterlist", hb18["bill"]));
    put("op=getBill&id=1885997", hb18.dump());
    put("op=getBillText&id=3017093",
        nlohmann::json{{"status", "OK"},
                       {"text",
                        {{"doc_id", 3017093},
                         {"bill_id", 1885997},
                         {"date", "2024-07-08"},
                         {"type", "Introduced"},
                         {"mime", "text/html"},
                         {"doc", "PHA+QSBjaGlsZCBwYXNzZW5nZXIgcmVzdHJhaW50IGJpbGwuPC9wPg=="}}}}
            .dump());

    run();
    serve_page("S_substitute");
    run();
  }

  void TearDown() override { stop_server(); }

  void serve_page(const std::string& which) {
    m_site.put("/hb1795.md", test::read_fixture("states/wa_2025-26_HB1795_text_" + which + ".md"),
               "text/markdown; charset=utf-8");
  }

  RunSummary run() {
    store::Store db = store::Store::open(m_db);
    crawler::HttpOptions options;
    options.outbound.allowed_hosts = {"127.0.0.1", "localhost"};  // the loopback test servers
    options.user_agent = "billwatch-test";
    options.timeout_ms = 10000;
    crawler::CurlHttpClient http(options);
    m_clock.advance(3600);
    std::ostringstream log;
    RunSummary summary = run_once(m_config, RunDeps{http, db, nullptr, m_clock, log, log});
    EXPECT_EQ(summary.failed, 0) << log.str();
    return summary;
  }

  void start_server(web::ServerOptions options = {}, web::Mailer* mailer = nullptr,
                    int posts_per_client_per_hour = 10) {
    options.port = 0;
    web::SiteOptions site;
    site.base_url = "https://alerts.example.org";
    site.link_secret = k_secret;
    site.mail_from = "alerts@example.org";
    site.posts_per_client_per_hour = posts_per_client_per_hour;
    m_server =
        std::make_unique<web::Server>(options, web::database_handler(m_db, site, mailer), m_log);
    m_thread = std::thread([this] { m_server->run(); });
  }
  void stop_server() {
    if (m_server) m_server->stop();
    if (m_thread.joinable()) m_thread.join();
    m_server.reset();
  }
  httplib::Client client() {
    httplib::Client c("127.0.0.1", m_server->port());
    c.set_read_timeout(10, 0);
    return c;
  }

  test::ScopedEnv m_key{"BILLWATCH_TEST_LEGISCAN_KEY", k_key};
  test::ScopedEnv m_no_congress_key{"BILLWATCH_TEST_CONGRESS_KEY", nullptr};
  test::ScopedEnv m_no_govinfo_key{"BILLWATCH_TEST_GOVINFO_KEY", nullptr};
  crawler::CurlGlobal m_curl;
  test::TempDir m_dir;
  std::string m_db = m_dir.file("bw.db");
  test::LoopbackHttpServer m_http;
  test::FixtureSite m_site{m_http};
  test::ManualClock m_clock{test::noon("2025-03-01")};
  config::Config m_config;
  std::ostringstream m_log;
  std::unique_ptr<web::Server> m_server;
  std::thread m_thread;
};

TEST_F(WebServerTest, EveryRouteOverHttpWithTheSecurityHeaders) {
  start_server();
  auto c = client();
  for (std::string path :
       {"/", "/bills", "/bills/WA-2025-HB-1795", "/bills/US-117-HR-4350", "/bills/AL-2025-HB-18",
        "/bills/WA-2025-HB-1795/versions/2", "/bills/WA-2025-HB-1795/diff?from=1&to=2",
        "/search?q=restraint", "/about", "/style.css", "/favicon.svg", "/feeds/all.atom",
        "/feeds/jurisdictions/US.atom", "/feeds/categories/prone_restraint_ban.atom",
        "/feeds/bills/AL-2025-HB-18.atom", "/api/v1/bills", "/api/v1/bills/US-117-HR-4350",
        "/api/v1/bills/WA-2025-HB-1795/versions/1", "/api/v1/events?after=0"}) {
    auto res = c.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path << "\n" << res->body;
    EXPECT_EQ(res->get_header_value("Content-Security-Policy").find("script"), std::string::npos);
    EXPECT_NE(res->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"),
              std::string::npos);
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
    EXPECT_FALSE(res->get_header_value("Referrer-Policy").empty());
  }
  // The three sources' bills, as the run stored them.
  auto api = nlohmann::json::parse(c.Get("/api/v1/bills")->body);
  std::set<std::string> ids;
  for (const auto& b : api["bills"]) ids.insert(b["id"]);
  EXPECT_EQ(ids, (std::set<std::string>{"WA-2025-HB-1795", "US-117-HR-4350", "AL-2025-HB-18",
                                        "hostile/sb9-html", "hostile/sb10-html"}));
  // What the hostile page said is text on every page and feed that shows it.
  for (std::string path : {"/bills/hostile%2Fsb9-html", "/bills/hostile%2Fsb9-html/versions/1", "/",
                           "/bills?jurisdiction=OR", "/feeds/jurisdictions/OR.atom",
                           "/feeds/bills/hostile%2Fsb9-html.atom", "/search?q=seclusion"}) {
    auto res = c.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->body.find("<script"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("<img"), std::string::npos) << path;
    EXPECT_EQ(res->body.find("href=\"javascript"), std::string::npos) << path;
  }
  EXPECT_NE(c.Get("/bills/hostile%2Fsb9-html")->body.find("&lt;script&gt;alert(1)"),
            std::string::npos);
  // The change stream over HTTP, page by page with `next`: every event once, in order.
  std::set<long long> seen;
  std::string next = "/api/v1/events?after=0";
  for (int pages = 0; pages < 50 && !next.empty(); ++pages) {
    auto body = nlohmann::json::parse(c.Get(next)->body);
    for (const auto& e : body["events"]) EXPECT_TRUE(seen.insert(e["id"].get<long long>()).second);
    next = body["events"].empty() ? "" : body.value("next", "");
  }
  EXPECT_GT(seen.size(), 4u);
  EXPECT_EQ(*seen.rbegin(), store::Store::open_read_only(m_db).newest_event_id());
  auto hr = c.Get("/bills/US-117-HR-4350");
  EXPECT_NE(hr->body.find("Sponsor</dt>"), std::string::npos) << "BILLSTATUS names a sponsor";
  auto al = c.Get("/bills/AL-2025-HB-18");
  EXPECT_NE(al->body.find("LegiScan, licensed CC BY 4.0"), std::string::npos);

  // 304 on the validator; HEAD has the headers and no body; unknown paths and methods.
  auto page = c.Get("/bills/WA-2025-HB-1795");
  std::string etag = page->get_header_value("ETag");
  auto again = c.Get("/bills/WA-2025-HB-1795", {{"If-None-Match", etag}});
  EXPECT_EQ(again->status, 304);
  auto feed = c.Get("/feeds/all.atom");
  auto feed_again =
      c.Get("/feeds/all.atom", {{"If-Modified-Since", feed->get_header_value("Last-Modified")}});
  EXPECT_EQ(feed_again->status, 304);
  auto head = c.Head("/bills/WA-2025-HB-1795");
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  EXPECT_EQ(c.Get("/etc/passwd")->status, 404);
  EXPECT_EQ(c.Get("/bills/..%2F..%2Fbw.db")->status, 404);
  EXPECT_EQ(c.Delete("/bills/WA-2025-HB-1795")->status, 405);
  auto missing = c.Get("/bills/NO-SUCH");
  EXPECT_EQ(missing->status, 404);
  EXPECT_NE(missing->body.find("Not found"), std::string::npos);
}

TEST_F(WebServerTest, ASlowLorisCostsASocketNotTheService) {
  web::ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(1500);
  start_server(options);
  RawSocket slow(m_server->port());
  ASSERT_TRUE(slow.connected());
  ASSERT_TRUE(slow.send("GET /bills HTTP/1.1\r\nHost: x\r\n"));
  std::atomic<bool> dripping{true};
  std::thread drip([&] {
    // A header line a few bytes at a time, never finished.
    while (dripping && slow.send("X-a: b\r\n"))
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
  });
  auto c = client();
  for (int i = 0; i < 20; ++i) {
    auto res = c.Get("/bills/WA-2025-HB-1795");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
  // Answered while the slow request was still coming in; then its time ran out and the
  // server closed it without an answer.
  std::string answer = slow.read_all();
  dripping = false;
  drip.join();
  EXPECT_EQ(answer.find("200 OK"), std::string::npos) << answer;
}

TEST_F(WebServerTest, RequestsOverTheLimitsAreRefused) {
  start_server();
  {
    RawSocket s(m_server->port());
    s.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n");
    EXPECT_NE(s.read_all().find("431"), std::string::npos);
  }
  {
    RawSocket s(m_server->port());
    s.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" +
           std::string(100000, 'b'));
    EXPECT_NE(s.read_all().find("413"), std::string::npos);
  }
  {
    RawSocket s(m_server->port());
    s.send("HELLO THERE\r\n\r\n");
    EXPECT_NE(s.read_all().find("400"), std::string::npos);
  }
  {
    RawSocket s(m_server->port());
    s.send("GET /" + std::string(20000, 'p') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_NE(s.read_all().find("431"), std::string::npos) << "a long request line counts too";
  }
}

TEST_F(WebServerTest, ConnectionsAreBounded) {
  web::ServerOptions options;
  options.max_connections = 3;
  start_server(options);
  std::vector<std::unique_ptr<RawSocket>> idle;
  for (int i = 0; i < 3; ++i) {
    idle.push_back(std::make_unique<RawSocket>(m_server->port()));
    ASSERT_TRUE(idle.back()->connected());
  }
  // Give the server the moment it needs to accept them.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  RawSocket extra(m_server->port());
  extra.send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(extra.read_all(), "") << "closed at once: the server is full";
  idle.clear();
  // Once the idle ones have gone, the service is back.
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    RawSocket s(m_server->port());
    s.send("GET /style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    served = s.read_all().find("200 OK") != std::string::npos;
    if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(served);
}

TEST_F(WebServerTest, PagesAreServedWhileARunWrites) {
  start_server();
  std::atomic<bool> reading{true};
  std::atomic<int> answered{0};
  std::atomic<int> failed{0};
  std::thread reader([&] {
    auto c = client();
    while (reading) {
      for (const char* path : {"/bills/WA-2025-HB-1795", "/feeds/all.atom", "/api/v1/events"}) {
        auto res = c.Get(path);
        if (res && res->status == 200) {
          ++answered;
        } else {
          ++failed;
        }
      }
    }
  });
  // Two runs: the Original again (a third version) and a new BILLSTATUS with new actions.
  serve_page("1_original");
  m_site.put(k_hr_sitemap, sitemap(k_hr4350, "2022-10-21T18:41:12Z"), "application/xml");
  m_site.put(k_hr4350,
             test::read_fixture("federal/billstatus/BILLSTATUS-117hr4350.v3-2022-10-21.xml"),
             "application/xml");
  run();
  for (int i = 0; i < 1000 && answered + failed < 30; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  reading = false;
  reader.join();
  EXPECT_EQ(failed, 0);
  // What the run committed is on the pages at once.
  auto c = client();
  auto page = c.Get("/bills/WA-2025-HB-1795");
  EXPECT_NE(page->body.find("/bills/WA-2025-HB-1795/versions/3"), std::string::npos);
  EXPECT_TRUE(m_log.str().empty()) << m_log.str();
}

// RFC 8058 as a mail provider does it: the POST goes to the https URL of the mail's
// List-Unsubscribe header (here on loopback, the proxy's part left out), with
// "List-Unsubscribe=One-Click" as its form body, and the alerts stop at once.
TEST_F(WebServerTest, TheOneClickUnsubscribeInTheMailsHeaderWorks) {
  std::int64_t id = 0;
  {
    store::Store db = store::Store::open(m_db);
    db.subscribe("parent@example.org", {"WA"}, m_clock.now());
    id = db.subscribers().at(0).id;
  }
  start_server();
  store::EventQuery latest;
  latest.limit = 1;
  ChangeEvent event = store::Store::open_read_only(m_db).events(latest).at(0);
  notifier::MessageOptions options;
  options.unsubscribe_token = notifier::unsubscribe_token(k_secret, id);
  options.web_base_url = "https://alerts.example.org";
  notifier::Message mail =
      notifier::build_message(event, "alerts@example.org", "parent@example.org", id, 0, options);
  EXPECT_EQ(mail.list_unsubscribe_post, "List-Unsubscribe=One-Click");
  const std::string prefix = "<https://alerts.example.org";
  std::size_t at = mail.list_unsubscribe.find(prefix);
  ASSERT_NE(at, std::string::npos) << mail.list_unsubscribe;
  std::string path = mail.list_unsubscribe.substr(
      at + prefix.size(), mail.list_unsubscribe.find('>', at) - at - prefix.size());

  auto c = client();
  auto preview = c.Get(path);  // a link checker's GET changes nothing
  ASSERT_TRUE(preview);
  EXPECT_EQ(preview->status, 200);
  EXPECT_EQ(store::Store::open_read_only(m_db).subscribers().size(), 1u);
  auto res = c.Post(path, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  EXPECT_TRUE(store::Store::open_read_only(m_db).subscribers().empty());
  auto again = c.Post(path, "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded");
  EXPECT_EQ(again->status, 200);
  EXPECT_NE(again->body.find("Already unsubscribed"), std::string::npos);
  EXPECT_EQ(
      c.Post(path + "x", "List-Unsubscribe=One-Click", "application/x-www-form-urlencoded")->status,
      404);
}

// Mails the site would send, kept (from any server thread).
class KeptMail final : public web::Mailer {
 public:
  void send(notifier::Message message) override {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_sent.push_back(std::move(message));
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_sent.size();
  }

 private:
  std::mutex m_mutex;
  std::vector<notifier::Message> m_sent;
};

// The subscribe form filled in over HTTP: its page, then the POST with the page's token.
int subscribe_over_http(httplib::Client& c, const std::string& email,
                        const std::string& forwarded_for = "") {
  httplib::Headers headers;
  if (!forwarded_for.empty()) headers.emplace("X-Forwarded-For", forwarded_for);
  auto form = c.Get("/subscribe", headers);
  if (!form) return 0;
  std::string marker = "name=\"form_token\" value=\"";
  std::size_t at = form->body.find(marker);
  if (at == std::string::npos) return 0;
  at += marker.size();
  std::string token = form->body.substr(at, form->body.find('"', at) - at);
  auto res = c.Post("/subscribe", headers,
                    "email=" + email + "&preset=state&state=WA&frequency=daily&form_token=" + token,
                    "application/x-www-form-urlencoded");
  return res ? res->status : 0;
}

// Subscribers write through the same store code as the CLI while a run writes: every
// request is kept, the run's record is whole, and no request fails for a busy database.
TEST_F(WebServerTest, SubscriptionsAreWrittenWhileARunWrites) {
  KeptMail mail;
  start_server({}, &mail, 1000);
  std::atomic<bool> posting{true};
  std::atomic<int> accepted{0};
  std::atomic<int> failed{0};
  std::thread subscriber([&] {
    auto c = client();
    for (int i = 0; posting || i < 10; ++i) {
      int status = subscribe_over_http(c, "p" + std::to_string(i) + "@example.org");
      (status == 200 ? accepted : failed)++;
    }
  });
  serve_page("1_original");
  m_site.put(k_hr_sitemap, sitemap(k_hr4350, "2022-10-21T18:41:12Z"), "application/xml");
  m_site.put(k_hr4350,
             test::read_fixture("federal/billstatus/BILLSTATUS-117hr4350.v3-2022-10-21.xml"),
             "application/xml");
  RunSummary summary = run();
  posting = false;
  subscriber.join();
  EXPECT_EQ(failed, 0) << m_log.str();
  EXPECT_GE(accepted, 10);
  EXPECT_GE(summary.changed, 1);
  store::Store db = store::Store::open(m_db);
  EXPECT_EQ(db.pending_confirmations(m_clock.now()).size(),
            static_cast<std::size_t>(accepted.load()));
  EXPECT_EQ(mail.count(), static_cast<std::size_t>(accepted.load()));
  EXPECT_TRUE(db.check().empty()) << "the run's record is whole";
  EXPECT_TRUE(db.subscribers().empty()) << "requests are not subscribers";
  EXPECT_TRUE(m_log.str().empty()) << m_log.str();
}

// Behind a reverse proxy on this machine every request comes from loopback: the client the
// limit counts is the one the proxy names last in X-Forwarded-For.
TEST_F(WebServerTest, ThePerClientLimitCountsTheClientTheProxyNames) {
  KeptMail mail;
  start_server({}, &mail, 2);
  auto c = client();
  EXPECT_EQ(subscribe_over_http(c, "a@example.org", "198.51.100.1, 203.0.113.7"), 200);
  EXPECT_EQ(subscribe_over_http(c, "b@example.org", "203.0.113.7"), 200);
  EXPECT_EQ(subscribe_over_http(c, "c@example.org", "203.0.113.7"), 429);
  EXPECT_EQ(subscribe_over_http(c, "d@example.org", "203.0.113.8"), 200);
  EXPECT_EQ(subscribe_over_http(c, "e@example.org", "not an address"), 200) << "the peer counts";
  EXPECT_EQ(mail.count(), 4u);
}

}  // namespace
}  // namespace billwatch::app
