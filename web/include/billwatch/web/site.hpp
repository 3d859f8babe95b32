#pragma once
// The web side's content: bill pages, Atom feeds and the read-only JSON API, rendered from
// the store's read views. One Site per thread (it reads through its own connection and
// keeps its own cache of rendered pages).
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <unordered_map>

#include "billwatch/core/clock.hpp"
#include "billwatch/notifier/message.hpp"
#include "billwatch/store/store.hpp"
#include "billwatch/web/http.hpp"
#include "billwatch/web/server.hpp"

namespace billwatch::web {

struct SiteOptions {
  // "https://alerts.example.org": the feeds' and mails' absolute links. Empty: links in
  // feeds are made from the request's path alone (still valid Atom, but not absolute).
  std::string base_url;
  std::string site_name = "billwatch";
  std::size_t page_size = 50;  // bills and events per page
  // Pages kept, as rendered, until the record changes (Research::record_version): a bill
  // page is read far more often than the daily run changes it.
  std::size_t cached_pages = 512;
  // The installation's secret (notifier::unsubscribe_secret): it signs and checks every
  // link (unsubscribe, manage, confirmation) and every form's token. Empty: the
  // self-service pages say to use the mail's other ways.
  std::string link_secret = {};
  // The sender of confirmation, welcome and new-link mails ([smtp] from). Empty (or no
  // Mailer): subscribing on the site is not offered.
  std::string mail_from = {};
  // Mails a stranger can cause to one address (confirmations, new links) in 24 hours.
  int mails_per_address_per_day = 3;
  // Form posts (subscribe, new link) one client may make in an hour.
  int posts_per_client_per_hour = 10;
  Timestamp confirmation_lifetime = 48 * 3600;
  Timestamp form_lifetime = 4 * 3600;  // a form's token: time to fill it in
};

// Where the site writes: subscribers' own requests and changes, through one store
// connection shared by the server threads (one caller at a time), in the same
// transactions as the CLI's commands.
class SubscriberDesk {
 public:
  virtual ~SubscriberDesk() = default;
  virtual void with_store(const std::function<void(store::Store&)>& work) = 0;
};

// The mails the site sends. `send` queues and returns at once: a page never waits on the
// mail server, and an answer takes the same time whoever the address belongs to.
class Mailer {
 public:
  virtual ~Mailer() = default;
  virtual void send(notifier::Message message) = 0;
};

// Form posts per client address in the last hour, shared by the server threads. Held in
// memory only: a restart forgets them (the per-address limit is in the database).
class ClientLimits {
 public:
  explicit ClientLimits(int per_hour) : m_per_hour(per_hour) {}
  // Counts one post; false when the client has made `per_hour` already.
  bool allow(const std::string& client, Timestamp now);

 private:
  int m_per_hour;
  std::mutex m_mutex;
  std::map<std::string, std::deque<Timestamp>> m_posts;
};

struct SiteServices {
  SubscriberDesk* desk = nullptr;  // null: the site only reads
  Mailer* mailer = nullptr;        // null: subscribing and new links are not offered
  ClientLimits* limits = nullptr;  // null: no per-client limit
  const Clock* clock = nullptr;    // null: the system clock
};

class Site {
 public:
  Site(const store::Bills& bills, const store::Research& research, SiteOptions options,
       SiteServices services = {});

  // Never throws: a failure is a 500 page that shows nothing internal; its cause goes to
  // `error_log` with the request id.
  Response handle(const Request& request, std::string* error_log = nullptr) const;

 private:
  Response render(const Request& request, std::string* error_log) const;

  const store::Bills& m_bills;
  const store::Research& m_research;
  SiteOptions m_options;
  SiteServices m_services;
  mutable std::unordered_map<std::string, Response> m_cache;  // by target; 200s only
  mutable std::int64_t m_cache_version = -1;
};

// What `billwatch serve` answers with: each server thread reads the database at
// `database` through a read-only connection of its own (Store::open_read_only), opened on
// its first request, and renders with a Site of its own. Self-service writes through one
// shared connection, opened when first needed. `mailer` may be null (no [smtp]).
Handler database_handler(const std::string& database, const SiteOptions& options,
                         Mailer* mailer = nullptr);

}  // namespace billwatch::web
