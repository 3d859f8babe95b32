// The web side, whole: a page's title and text (what an outsider writes) are stored as a
// bill, then the site answers a fuzzed request target beside its fixed pages. What must
// always hold: nothing throws and nothing is a 500 (bad input is a 400 or a 404); no page
// or feed carries a <script> element or a javascript: link, whatever the bill said (the
// JSON API carries it as a string). The same input is also posted as a form to the
// subscriber's pages (with valid form tokens, so it reaches the parsing and the store), and
// a subscription whose title words are the page's title is shown on the manage page.
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <stdexcept>
#include <string>
#include <string_view>

#include "billwatch/notifier/tokens.hpp"
#include "billwatch/store/store.hpp"
#include "billwatch/web/site.hpp"

namespace {

class Desk final : public billwatch::web::SubscriberDesk {
 public:
  explicit Desk(billwatch::store::Store& store) : m_store(store) {}
  void with_store(const std::function<void(billwatch::store::Store&)>& work) override {
    work(m_store);
  }

 private:
  billwatch::store::Store& m_store;
};

// A mail whose header values carry a line break would let a form inject headers.
class Mailer final : public billwatch::web::Mailer {
 public:
  void send(billwatch::notifier::Message m) override {
    for (const std::string* header : {&m.to, &m.subject, &m.envelope_to, &m.list_unsubscribe}) {
      if (header->find_first_of("\r\n") != std::string::npos) {
        throw std::logic_error("a line break in a mail header: " + *header);
      }
    }
  }
};

void check(const billwatch::web::Response& r, const std::string& target) {
  if (r.status == 500) throw std::logic_error("500 for " + target);
  // JSON carries what the page said as data (served as application/json with nosniff);
  // markup is what must never carry it as markup.
  if (r.content_type.rfind("application/json", 0) == 0) return;
  if (r.body.find("<script") != std::string::npos) throw std::logic_error("<script> in " + target);
  if (r.body.find("href=\"javascript") != std::string::npos) {
    throw std::logic_error("javascript: link in " + target);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace billwatch;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // "title \x00 text \x00 target"
  std::size_t first = input.find('\0');
  std::size_t second = first == std::string_view::npos ? first : input.find('\0', first + 1);
  std::string title(input.substr(0, first));
  std::string text = first == std::string_view::npos
                         ? std::string("No school may place a student in seclusion.")
                         : std::string(input.substr(first + 1, second - first - 1));
  std::string target =
      second == std::string_view::npos ? "/" : std::string(input.substr(second + 1));

  store::Store db = store::Store::open_in_memory();
  store::NewVersion v;
  v.bill.id = "OR-2025-SB-9";
  v.bill.jurisdiction = "OR";
  v.bill.title = title;
  v.bill.url = title;  // a URL the page chose
  v.text = text;
  v.label = title;
  v.provenance.url = title;
  db.save_version(v, 1000);
  SubscriptionFilter words;
  words.keywords = {title};
  db.add_subscription("p@example.org", "", words, std::nullopt, 1000);
  std::int64_t id = db.subscribers().at(0).id;
  web::SiteOptions options;
  options.base_url = "https://alerts.example.org";
  options.link_secret = "secret";
  options.mail_from = "alerts@example.org";
  Desk desk(db);
  Mailer mailer;
  web::ClientLimits limits(1 << 30);
  web::Site site(db, db, options, web::SiteServices{&desk, &mailer, &limits, nullptr});
  std::string manage = "/manage/" + notifier::manage_token("secret", id, 1);
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  auto answer = [&](const std::string& method, const std::string& t, const std::string& body) {
    std::string error;
    web::Request request{method, t, "", "", "f", body};
    web::Response response = site.handle(request, &error);
    if (!error.empty()) throw std::logic_error(error + " (for " + method + " " + t + ")");
    check(response, method + " " + t);
  };
  for (const std::string& t :
       {target, std::string("/"), std::string("/bills/OR-2025-SB-9"),
        std::string("/bills/OR-2025-SB-9/versions/1"), std::string("/feeds/all.atom"),
        std::string("/api/v1/events"), manage}) {
    answer("GET", t, "");
  }
  std::string form(target);
  answer("POST", "/subscribe",
         form + "&form_token=" + notifier::form_token("secret", "subscribe", now));
  answer("POST", "/manage",
         form + "&form_token=" + notifier::form_token("secret", "new_link", now));
  answer("POST", manage,
         form + "&form_token=" +
             notifier::form_token("secret", "manage:" + std::to_string(id) + ":1", now));
  answer("GET", manage, "");
  return 0;
}
