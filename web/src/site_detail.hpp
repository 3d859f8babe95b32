#pragma once
// What the site's pages, feeds and API share: the parsed request, the failure that becomes
// an error page, and the values every renderer needs.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "billwatch/core/error.hpp"
#include "billwatch/store/views.hpp"
#include "billwatch/web/http.hpp"
#include "billwatch/web/site.hpp"

namespace billwatch::web::detail {

// A request the site cannot answer as asked: 400 (a bad parameter), 404 (no such bill or
// page). Its message is shown to the visitor, so it names only what they sent.
class PageError : public billwatch::Error {
 public:
  PageError(int status, const std::string& message) : Error(message), m_status(status) {}
  int status() const { return m_status; }

 private:
  int m_status;
};

struct Query {
  std::vector<std::string> segments;  // the path, split at '/', percent-decoded
  std::map<std::string, std::string> params;
  std::string path;  // as sent, without the query

  std::string param(const std::string& name) const;
  // A positive number, or `fallback` when absent; 400 when it is not one.
  long long number(const std::string& name, long long fallback) const;
};

// Percent-decoding (with '+' as a space in queries and forms); nullopt for a broken
// escape or a control character.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

// "a=1&b=2&a=3" (a query, or a POSTed form) as its name/value pairs in order, names
// repeated as sent and empty names dropped; nullopt for a broken escape.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_urlencoded(
    std::string_view text);

// Parses a request target; nullopt when it is not an origin-form path.
std::optional<Query> parse_target(const std::string& target);

struct Context {
  const store::Bills& bills;
  const store::Research& research;
  const SiteOptions& options;
  const SiteServices& services;
  Timestamp now = 0;
};

// Checked path parameters: 404 for anything that cannot name a bill, a version, a state
// or a category (so nothing else reaches a query).
std::string checked_bill_id(const std::string& id);
int checked_version(const std::string& number);
std::string checked_jurisdiction(const std::string& code);  // upper-cased
std::string checked_category(const std::string& id);

// The filters a list takes from its query, checked (400/404 for one that names nothing):
// ?jurisdiction=&category=&stage= for bills, ?jurisdiction=&category=&kind= for events.
store::BillFilter bill_filter(const Query& query);
store::EventQuery event_filter(const Query& query);
// The same filters as query parameters to append to a link ("&jurisdiction=WA&...").
std::string filter_params(const store::BillFilter& filter);
std::string filter_params(const store::EventQuery& query);

// "/bills/WA-2025-HB-1795" (ids are percent-encoded, '/' included).
std::string bill_path(const std::string& bill_id);
// The link a bill's source gives, when it is http(s); "" otherwise (never javascript:).
std::string safe_link(const std::string& url);
// "2026-03-05" of a timestamp.
std::string date_of(long long timestamp);

Response html_page(const Context& context, const std::string& title, const std::string& content);

Response home_page(const Context& context, const Query& query);
Response bills_page(const Context& context, const Query& query);
Response bill_page(const Context& context, const std::string& bill_id);
Response version_page(const Context& context, const std::string& bill_id, int number);
Response diff_page(const Context& context, const std::string& bill_id, const Query& query);
Response search_page(const Context& context, const Query& query);
Response about_page(const Context& context);
Response error_page(const Context& context, int status, const std::string& message,
                    const std::string& request_id);

// Atom feeds: "all", "jurisdictions/XX", "categories/id", "bills/id".
Response feed(const Context& context, const store::EventQuery& query, const std::string& title,
              const std::string& self_path, const std::string& alternate_path);

Response api(const Context& context, const Query& query);

// The pages a subscriber uses (self_service.cpp): /subscribe, /confirm/{token},
// /manage[/{token}] and /unsubscribe/{token}, GET and POST. None is cached or shows an
// address; each POST but RFC 8058's one-click carries a form token.
bool is_self_service(const Query& query);
Response self_service(const Context& context, const Request& request, const Query& query);

}  // namespace billwatch::web::detail
