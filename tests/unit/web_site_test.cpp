// The web side's pages, feeds and API as a function of requests, on a store filled with
// the real WA HB 1795 texts (and hostile ones): every route, validators, escaping, limits
// on what a path may name. The server that carries them is tested in
// integration/web_server_test.cpp.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <regex>
#include <set>

#include "billwatch/analysis/provisions.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/notifier/message.hpp"
#include "billwatch/notifier/tokens.hpp"
#include "billwatch/store/store.hpp"
#include "billwatch/web/site.hpp"
#include "files.hpp"

namespace billwatch::web {
namespace {

constexpr Timestamp k_jan = 1737331200;  // 2025-01-20T00:00:00Z

std::string wa_text(const char* which) {
  return crawler::normalize_text(
      test::read_fixture(std::string("states/wa_2025-26_HB1795_text_") + which + ".md"));
}

// A version as a source would store it: analyzed, and against the previous one diffed.
void store_version(store::Store& db, const Bill& bill, const std::string& text, Timestamp at,
                   const std::string& label) {
  store::NewVersion v;
  v.bill = bill;
  v.text = text;
  v.label = label;
  v.parser_version = "page_text/1";
  v.provenance.url = bill.url;
  v.provenance.final_url = bill.url;
  v.provenance.fetched_at = at;
  v.provenance.http_status = 200;
  v.provenance.raw_hash = sha256_hex("raw " + text);
  auto found = analysis::analyze_provisions(text);
  v.relevance.relevant = found.relevant;
  v.provisions = found.provisions;
  if (auto previous = db.latest_version(bill.id)) {
    v.provision_changes = analysis::diff_provisions(previous->provisions, v.provisions);
  }
  db.save_version(v, at);
}

Bill wa_bill() {
  Bill b;
  b.id = "WA-2025-HB-1795";
  b.jurisdiction = "WA";
  b.title = "HB 1795 - Student restraint, isolation";
  b.source = "wa-law";
  b.url = "https://app.leg.wa.gov/billsummary?BillNumber=1795&Year=2025";
  b.identifier = "HB 1795";
  b.sponsor = "Rep. Example";
  return b;
}

// What an outsider controls (a page's title and text, its URL) carrying markup.
Bill hostile_bill() {
  Bill b;
  b.id = "OR-2025-SB-9";
  b.jurisdiction = "OR";
  b.title = "<script>alert(1)</script> \"><img src=x onerror=alert(2)> restraint";
  b.source = "or-pages";
  b.url = "javascript:alert(3)";
  b.identifier = "SB 9";
  return b;
}

class WebSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_version(m_db, wa_bill(), wa_text("1_original"), k_jan, "Original");
    store_version(m_db, wa_bill(), wa_text("S_substitute"), k_jan + 21 * 86400, "Substitute");
    store_version(m_db, hostile_bill(),
                  "Sec. 1. <script>alert(4)</script> A school may not use seclusion or "
                  "prone restraint on a student. \x01\x02 <a href=\"javascript:alert(5)\">x</a>",
                  k_jan + 86400, "<b>Introduced</b>");
  }

  Response get(const std::string& target, const std::string& if_none_match = "") {
    Request request{"GET", target, if_none_match, "", "r1"};
    return m_site.handle(request, &m_error);
  }

  store::Store m_db = store::Store::open_in_memory();
  SiteOptions m_options{"https://alerts.example.org", "billwatch", 50};
  Site m_site{m_db, m_db, m_options};
  std::string m_error;
};

TEST_F(WebSiteTest, EveryPageAnswers) {
  struct Case {
    std::string target;
    std::string content_type;
    std::string contains;
  };
  std::vector<Case> cases = {
      {"/", "text/html", "Recent changes"},
      {"/?jurisdiction=wa&kind=provisions_changed", "text/html", "WA HB 1795"},
      {"/bills", "text/html", "WA-2025-HB-1795"},
      {"/bills?jurisdiction=WA&category=chemical_restraint_ban", "text/html", "WA-2025-HB-1795"},
      {"/bills/WA-2025-HB-1795", "text/html", "Sponsor</dt><dd>Rep. Example"},
      {"/bills/WA-2025-HB-1795/versions/1", "text/html", "version 1 (Original)"},
      {"/bills/WA-2025-HB-1795/diff?from=1&to=2", "text/html", "What changed for students"},
      {"/bills/WA-2025-HB-1795/diff", "text/html", "version 1 to version 2"},
      {"/search?q=seclusion", "text/html", "WA-2025-HB-1795"},
      {"/about", "text/html", "CC BY 4.0"},
      {"/style.css", "text/css", "font"},
      {"/feeds/all.atom", "application/atom+xml", "<feed"},
      {"/feeds/jurisdictions/WA.atom", "application/atom+xml", "WA HB 1795"},
      {"/feeds/categories/seclusion_ban.atom", "application/atom+xml", "<entry>"},
      {"/feeds/bills/WA-2025-HB-1795.atom", "application/atom+xml", "<entry>"},
      {"/api/v1/bills", "application/json", "\"bills\""},
      {"/api/v1/bills/WA-2025-HB-1795", "application/json", "\"versions\""},
      {"/api/v1/bills/WA-2025-HB-1795/versions/2", "application/json", "\"text\""},
      {"/api/v1/events?after=0", "application/json", "\"events\""},
  };
  for (const auto& c : cases) {
    Response r = get(c.target);
    EXPECT_EQ(r.status, 200) << c.target << "\n" << r.body;
    EXPECT_EQ(r.content_type.rfind(c.content_type, 0), 0u) << c.target;
    EXPECT_NE(r.body.find(c.contains), std::string::npos) << c.target << "\n" << r.body;
    EXPECT_TRUE(m_error.empty()) << m_error;
  }
}

TEST_F(WebSiteTest, TheBillPageSaysWhatTheBillDoesInWords) {
  Response r = get("/bills/WA-2025-HB-1795");
  ASSERT_EQ(r.status, 200);
  // Provisions by their human names, never raw ids; the last change in the mail's words.
  EXPECT_NE(r.body.find("<h3>Ban on chemical restraint</h3>"), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("chemical_restraint_ban"), std::string::npos);
  EXPECT_NE(r.body.find("What changed last"), std::string::npos);
  EXPECT_NE(r.body.find("Removed: "), std::string::npos);
  Response text = get("/bills/WA-2025-HB-1795/versions/1");
  EXPECT_NE(text.body.find("<a id=\"sec-1\"></a>"), std::string::npos) << "section anchors";
  EXPECT_NE(text.body.find("<a id=\"sec-2\"></a>"), std::string::npos);
  EXPECT_NE(text.body.find("class=\"marked\"><span class=\"tag\">"), std::string::npos);
  // The timeline links both versions and the diff between them.
  EXPECT_NE(r.body.find("href=\"/bills/WA-2025-HB-1795/versions/2\""), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/bills/WA-2025-HB-1795/diff?from=1&amp;to=2\""), std::string::npos);
}

TEST_F(WebSiteTest, NothingAnOutsiderWroteBecomesMarkupOrALink) {
  for (std::string target : {"/", "/bills", "/bills/OR-2025-SB-9", "/bills/OR-2025-SB-9/versions/1",
                             "/search?q=seclusion", "/feeds/all.atom",
                             "/feeds/bills/OR-2025-SB-9.atom", "/search?q=%3Cscript%3E"}) {
    Response r = get(target);
    ASSERT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.body.find("<script"), std::string::npos) << target << "\n" << r.body;
    EXPECT_EQ(r.body.find("<img"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("<a href=\"javascript"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("href=\"javascript:"), std::string::npos) << target;
    EXPECT_EQ(r.body.find("<b>Introduced"), std::string::npos) << target;
  }
  Response page = get("/bills/OR-2025-SB-9");
  EXPECT_NE(page.body.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(page.body.find("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), std::string::npos);
  // The source's javascript: URL is shown as its name, not linked.
  EXPECT_NE(page.body.find("<dd>or-pages</dd>"), std::string::npos) << page.body;
  // JSON carries the strings as data.
  auto api = nlohmann::json::parse(get("/api/v1/bills/OR-2025-SB-9").body);
  EXPECT_EQ(api["title"], hostile_bill().title);
}

// RFC 4287's rules that readers depend on: one id, title and updated per feed and entry,
// ids absolute and unique, timestamps in RFC 3339, a self link, an author, well-formed
// XML (no control characters even when a page had them).
TEST_F(WebSiteTest, FeedsAreValidAtom) {
  std::regex rfc3339(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)");
  for (std::string target : {"/feeds/all.atom", "/feeds/jurisdictions/WA.atom",
                             "/feeds/categories/prone_restraint_ban.atom",
                             "/feeds/bills/OR-2025-SB-9.atom", "/feeds/jurisdictions/ZZ.atom"}) {
    Response r = get(target);
    ASSERT_EQ(r.status, 200) << target;
    pugi::xml_document doc;
    auto parsed = doc.load_string(r.body.c_str());
    ASSERT_TRUE(parsed) << target << ": " << parsed.description() << "\n" << r.body;
    pugi::xml_node feed = doc.child("feed");
    ASSERT_TRUE(feed) << target;
    EXPECT_STREQ(feed.attribute("xmlns").value(), "http://www.w3.org/2005/Atom");
    EXPECT_FALSE(std::string(feed.child_value("id")).empty());
    EXPECT_FALSE(std::string(feed.child_value("title")).empty());
    EXPECT_TRUE(std::regex_match(std::string(feed.child_value("updated")), rfc3339)) << target;
    EXPECT_TRUE(feed.find_child_by_attribute("link", "rel", "self")) << target;
    EXPECT_TRUE(feed.child("author").child("name")) << target;
    std::set<std::string> ids;
    for (pugi::xml_node entry : feed.children("entry")) {
      std::string id = entry.child_value("id");
      EXPECT_EQ(id.rfind("https://alerts.example.org/", 0), 0u) << id;
      EXPECT_TRUE(ids.insert(id).second) << "duplicate id " << id;
      EXPECT_FALSE(std::string(entry.child_value("title")).empty());
      EXPECT_TRUE(std::regex_match(std::string(entry.child_value("updated")), rfc3339));
      std::string link = entry.child("link").attribute("href").value();
      EXPECT_EQ(link.rfind("https://alerts.example.org/bills/", 0), 0u) << link;
      EXPECT_FALSE(std::string(entry.child_value("content")).empty());
    }
    if (target == "/feeds/bills/OR-2025-SB-9.atom") {
      ASSERT_EQ(ids.size(), 1u);
      std::string title = feed.child("entry").child_value("title");
      EXPECT_NE(title.find("<script>alert(1)</script>"), std::string::npos)
          << "escaped in the XML, the reader sees the words: " << title;
    }
  }
}

TEST_F(WebSiteTest, ValidatorsAnswer304) {
  Response first = get("/bills/WA-2025-HB-1795");
  std::string etag;
  for (const auto& [name, value] : first.headers) {
    if (name == "ETag") etag = value;
  }
  ASSERT_FALSE(etag.empty());
  Response again = get("/bills/WA-2025-HB-1795", etag);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(get("/bills/WA-2025-HB-1795", "\"other\", " + etag).status, 304);
  EXPECT_EQ(get("/bills/WA-2025-HB-1795", "\"other\"").status, 200);

  Response feed = get("/feeds/all.atom");
  std::string last_modified;
  for (const auto& [name, value] : feed.headers) {
    if (name == "Last-Modified") last_modified = value;
  }
  EXPECT_NE(last_modified.find(" GMT"), std::string::npos) << last_modified;
  Request conditional{"GET", "/feeds/all.atom", "", last_modified, "r2"};
  EXPECT_EQ(m_site.handle(conditional).status, 304);
}

TEST_F(WebSiteTest, PathsNameOnlyWhatExists) {
  EXPECT_EQ(get("/nothing").status, 404);
  EXPECT_EQ(get("/bills/NO-SUCH-BILL").status, 404);
  EXPECT_EQ(get("/bills/WA-2025-HB-1795/versions/9").status, 404);
  EXPECT_EQ(get("/bills/WA-2025-HB-1795/versions/0").status, 404);
  EXPECT_EQ(get("/bills/WA-2025-HB-1795/versions/x").status, 404);
  EXPECT_EQ(get("/bills/..%2F..%2Fetc%2Fpasswd").status, 404);
  EXPECT_EQ(get("/bills/WA'%20OR%201=1--").status, 404);
  EXPECT_EQ(get("/bills/%00").status, 400);
  EXPECT_EQ(get("/bills?page=99").status, 404);
  EXPECT_EQ(get("/bills?page=-1").status, 400);
  EXPECT_EQ(get("/bills?stage=nonsense").status, 400);
  EXPECT_EQ(get("/feeds/categories/nonsense.atom").status, 404);
  EXPECT_EQ(get("/feeds/jurisdictions/WAS.atom").status, 404);
  EXPECT_EQ(get("/bills/WA-2025-HB-1795/diff?from=2&to=2").status, 404);
  EXPECT_EQ(get("http://evil.example/").status, 400);
  // Found by fuzz_site: a raw NUL in a search ended the FTS query's string inside SQLite.
  EXPECT_EQ(get(std::string("/search?q=%22seclusion\0%22", 26)).status, 400);
  EXPECT_EQ(get("/search?q=a%0Ab").status, 400);
  EXPECT_EQ(get("/bills/WA 2025").status, 400);
  Response api = get("/api/v1/bills/NOPE");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.content_type, "application/json");
  EXPECT_EQ(nlohmann::json::parse(api.body)["status"], 404);
  Request post{"POST", "/bills", "", "", "r3"};
  Response refused = m_site.handle(post);
  EXPECT_EQ(refused.status, 405);
  // Error pages show the visitor's request id and nothing internal.
  Response missing = get("/bills/NO-SUCH-BILL");
  EXPECT_NE(missing.body.find("Request r1"), std::string::npos);
}

// Found by fuzz_site: a search for bytes that are not UTF-8 was a 500.
TEST_F(WebSiteTest, ASearchForBrokenBytesIsAnswered) {
  for (std::string q : {"%22sec%FF%FE%22%20AND%20re", "%FF", "seclusion%C3"}) {
    Response r = get("/search?q=" + q);
    EXPECT_NE(r.status, 500) << q << ": " << m_error;
    EXPECT_TRUE(m_error.empty()) << m_error;
    m_error.clear();
  }
}

TEST_F(WebSiteTest, ListsArePaged) {
  for (int i = 0; i < 120; ++i) {
    Bill b;
    b.id = "TX-2025-HB-" + std::to_string(1000 + i);
    b.jurisdiction = "TX";
    b.title = "Bill " + std::to_string(i);
    b.url = "https://capitol.texas.gov/" + std::to_string(i);
    store_version(m_db, b, "A school may not use seclusion on a student. " + std::to_string(i),
                  k_jan + 100 + i, "Introduced");
  }
  Response first = get("/bills?jurisdiction=TX");
  EXPECT_NE(first.body.find("120 bills, page 1 of 3"), std::string::npos);
  EXPECT_NE(first.body.find("href=\"/bills?page=2&amp;jurisdiction=TX\""), std::string::npos);
  EXPECT_EQ(get("/bills?jurisdiction=TX&page=3").status, 200);
  EXPECT_EQ(get("/bills?jurisdiction=TX&page=4").status, 404);

  auto page1 = nlohmann::json::parse(get("/api/v1/bills?jurisdiction=TX").body);
  EXPECT_EQ(page1["bills"].size(), 50u);
  EXPECT_EQ(page1["total"], 120);
  EXPECT_EQ(page1["next"], "/api/v1/bills?page=2&jurisdiction=TX");
  EXPECT_TRUE(page1["bills"][0]["stage"].is_string()) << "stage names, as the CLI's --json";

  // The change stream, page by page with `after`, sees every event once, oldest first.
  std::set<long long> seen;
  std::string next = "/api/v1/events?after=0";
  long long last = 0;
  for (int pages = 0; pages < 20 && !next.empty(); ++pages) {
    auto body = nlohmann::json::parse(get(next).body);
    for (const auto& e : body["events"]) {
      long long id = e["id"];
      EXPECT_GT(id, last);
      last = id;
      EXPECT_TRUE(seen.insert(id).second);
    }
    next = body["events"].empty() ? "" : body.value("next", "");
  }
  store::EventQuery everything;
  everything.limit = 100000;
  EXPECT_EQ(seen.size(), m_db.events(everything).size());
  EXPECT_EQ(static_cast<std::int64_t>(*seen.rbegin()), m_db.newest_event_id());

  Response home = get("/?jurisdiction=TX");
  EXPECT_NE(home.body.find("Older changes"), std::string::npos);
}

}  // namespace
}  // namespace billwatch::web

namespace billwatch::web {
namespace {

// Pages are kept as rendered until the record changes: a version stored through this
// connection or committed by another shows at once.
TEST(WebSiteCacheTest, AChangedRecordIsShownAtOnce) {
  test::TempDir dir;
  std::string path = dir.file("bw.db");
  store::Store writer = store::Store::open(path);
  store_version(writer, wa_bill(), wa_text("1_original"), k_jan, "Original");
  store::Store reader = store::Store::open_read_only(path);
  Site site(reader, reader, SiteOptions{});
  Request request{"GET", "/bills/WA-2025-HB-1795", "", "", "r"};
  Response first = site.handle(request);
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.body.find("versions/2"), std::string::npos);
  EXPECT_EQ(site.handle(request).body, first.body) << "kept";
  store_version(writer, wa_bill(), wa_text("S_substitute"), k_jan + 86400, "Substitute");
  Response second = site.handle(request);
  EXPECT_NE(second.body.find("versions/2"), std::string::npos) << "the other connection's commit";
}

}  // namespace
}  // namespace billwatch::web

namespace billwatch::web {
namespace {

TEST_F(WebSiteTest, TheMailsLinksArePagesOfThisSite) {
  store::EventQuery latest;
  latest.bill_id = "WA-2025-HB-1795";
  latest.limit = 1;
  std::vector<ChangeEvent> events = m_db.events(latest);
  ASSERT_EQ(events.size(), 1u);
  notifier::MessageOptions options;
  options.web_base_url = m_options.base_url;
  notifier::Message mail = notifier::build_message(events[0], "alerts@example.org",
                                                   "parent@example.org", 1, k_jan, options);
  std::size_t at = mail.text.find("Bill page: https://alerts.example.org/");
  ASSERT_NE(at, std::string::npos) << mail.text;
  std::size_t start = mail.text.find('/', at + std::string("Bill page: https://").size());
  std::string path = mail.text.substr(start, mail.text.find_first_of("\r\n", start) - start);
  EXPECT_EQ(path, "/bills/WA-2025-HB-1795");
  EXPECT_EQ(get(path).status, 200);
}

TEST_F(WebSiteTest, TheAboutPageSaysWhichSourceIsNotWorkingButNotItsErrors) {
  m_db.record_source_health("wa-law", 3, 0, "", k_jan);
  m_db.record_source_health("legiscan", 5, 5, "https://api.legiscan.com/?key=SECRETKEY: 500",
                            k_jan);
  Response about = get("/about");
  ASSERT_EQ(about.status, 200);
  EXPECT_NE(about.body.find("wa-law: working"), std::string::npos) << about.body;
  EXPECT_NE(about.body.find("legiscan: not working: every page failed in the last run"),
            std::string::npos);
  EXPECT_NE(about.body.find("A source is not working"), std::string::npos);
  EXPECT_EQ(about.body.find("SECRETKEY"), std::string::npos);
  EXPECT_EQ(about.body.find("api.legiscan.com/?key"), std::string::npos);
}

}  // namespace
}  // namespace billwatch::web
