#pragma once
// The web side's content: bill pages, Atom feeds and the read-only JSON API, rendered from
// the store's read views. One Site per thread (it reads through its own connection and
// keeps its own cache of rendered pages).
#include <cstdint>
#include <string>
#include <unordered_map>

#include "billwatch/store/views.hpp"
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
  // The installation's unsubscribe secret (notifier::unsubscribe_secret): tokens in mails
  // are checked with it. Empty: the unsubscribe pages say to use the mail's other ways.
  std::string unsubscribe_secret = {};
};

// What the site may change in the record: one subscriber's alerts stopped, and nothing
// else. Returns false when the subscriber was already gone. Called from any server thread.
class Unsubscriber {
 public:
  virtual ~Unsubscriber() = default;
  virtual bool unsubscribe(std::int64_t subscriber_id) = 0;
};

class Site {
 public:
  // `unsubscriber` may be null: the site then only reads.
  Site(const store::Bills& bills, const store::Research& research, SiteOptions options,
       Unsubscriber* unsubscriber = nullptr);

  // Never throws: a failure is a 500 page that shows nothing internal; its cause goes to
  // `error_log` with the request id.
  Response handle(const Request& request, std::string* error_log = nullptr) const;

 private:
  Response render(const Request& request, std::string* error_log) const;

  const store::Bills& m_bills;
  const store::Research& m_research;
  SiteOptions m_options;
  Unsubscriber* m_unsubscriber;
  mutable std::unordered_map<std::string, Response> m_cache;  // by target; 200s only
  mutable std::int64_t m_cache_version = -1;
};

// What `billwatch serve` answers with: each server thread reads the database at
// `database` through a read-only connection of its own (Store::open_read_only), opened on
// its first request, and renders with a Site of its own. Unsubscribing writes through one
// shared connection, opened when first needed.
Handler database_handler(const std::string& database, const SiteOptions& options);

}  // namespace billwatch::web
