#include "billwatch/web/site.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <nlohmann/json.hpp>

#include "billwatch/core/categories.hpp"
#include "billwatch/core/clock.hpp"
#include "billwatch/core/escape.hpp"
#include "billwatch/core/hash.hpp"
#include "site_detail.hpp"
#include "templates.hpp"

namespace billwatch::web {

namespace detail {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]);
      int lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
      // Decoded, a control character is still refused (a NUL would end a C string in a
      // query; the others are never part of an id or a search).
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return std::nullopt;
    } else if (c == '+' && plus_is_space) {
      c = ' ';
    }
    out.push_back(c);
  }
  return out;
}

namespace {

bool all_of(std::string_view s, int (*pred)(int)) {
  return std::all_of(s.begin(), s.end(),
                     [&](char c) { return pred(static_cast<unsigned char>(c)); });
}

}  // namespace

std::string Query::param(const std::string& name) const {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

long long Query::number(const std::string& name, long long fallback) const {
  std::string value = param(name);
  if (value.empty()) return fallback;
  if (value.size() > 12 || !all_of(value, isdigit)) {
    throw PageError(400, "'" + name + "' must be a number");
  }
  return std::stoll(value);
}

std::optional<Query> parse_target(const std::string& target) {
  if (target.empty() || target[0] != '/') return std::nullopt;
  // A request target is printable ASCII (RFC 9112); a control byte or a NUL reaching a
  // query would end a C string inside it.
  for (char c : target) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F) return std::nullopt;
  }
  Query query;
  std::size_t q = target.find('?');
  query.path = target.substr(0, q);
  std::string_view path = query.path;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    auto segment = percent_decode(path.substr(start, end - start), false);
    if (!segment) return std::nullopt;
    if (!segment->empty()) query.segments.push_back(std::move(*segment));
    start = end + 1;
  }
  if (q != std::string::npos) {
    auto pairs = parse_urlencoded(std::string_view(target).substr(q + 1));
    if (!pairs) return std::nullopt;
    for (auto& [key, value] : *pairs) query.params[key] = std::move(value);
  }
  return query;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_urlencoded(
    std::string_view text) {
  std::vector<std::pair<std::string, std::string>> pairs;
  while (!text.empty()) {
    std::size_t amp = text.find('&');
    std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    std::size_t eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
    if (!key || !value) return std::nullopt;
    if (!key->empty()) pairs.emplace_back(std::move(*key), std::move(*value));
  }
  return pairs;
}

std::string checked_bill_id(const std::string& id) {
  bool ok = !id.empty() && id.size() <= 120 && id.find("..") == std::string::npos &&
            std::all_of(id.begin(), id.end(), [](char c) {
              // '/' too: a legislature page's bill is named for its source and page
              // ("or-sb1/sb1-html"); links carry it percent-encoded, as one segment.
              return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ||
                     c == '.' || c == ':' || c == '/';
            });
  if (!ok) throw PageError(404, "There is no such bill.");
  return id;
}

int checked_version(const std::string& number) {
  if (number.empty() || number.size() > 6 || !all_of(number, isdigit) || number == "0") {
    throw PageError(404, "There is no such version.");
  }
  return std::stoi(number);
}

std::string checked_jurisdiction(const std::string& code) {
  if (code.size() != 2 || !all_of(code, isalpha)) {
    throw PageError(404, "A state is named by its two letters, such as WA.");
  }
  std::string upper = code;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper;
}

std::string checked_category(const std::string& id) {
  auto known = category_id_of(id);
  if (!known) throw PageError(404, "There is no such topic.");
  return *known;
}

store::BillFilter bill_filter(const Query& query) {
  store::BillFilter filter;
  if (std::string j = query.param("jurisdiction"); !j.empty()) {
    filter.jurisdiction = checked_jurisdiction(j);
  }
  if (std::string c = query.param("category"); !c.empty()) filter.category = checked_category(c);
  if (std::string s = query.param("stage"); !s.empty()) {
    auto stage = parse_stage(s);
    if (!stage) throw PageError(400, "There is no such stage.");
    filter.stage = *stage;
  }
  return filter;
}

store::EventQuery event_filter(const Query& query) {
  store::EventQuery events;
  if (std::string j = query.param("jurisdiction"); !j.empty()) {
    events.jurisdiction = checked_jurisdiction(j);
  }
  if (std::string c = query.param("category"); !c.empty()) events.category = checked_category(c);
  if (std::string kind = query.param("kind"); !kind.empty()) {
    try {
      events.kind = parse_event_kind(kind);
    } catch (const std::exception&) {
      throw PageError(400, "There is no such kind of change.");
    }
  }
  return events;
}

std::string filter_params(const store::BillFilter& filter) {
  std::string out;
  if (!filter.jurisdiction.empty()) out += "&jurisdiction=" + filter.jurisdiction;
  if (!filter.category.empty()) out += "&category=" + filter.category;
  if (filter.stage != Stage::none) out += "&stage=" + std::string(to_string(filter.stage));
  return out;
}

std::string filter_params(const store::EventQuery& query) {
  std::string out;
  if (!query.jurisdiction.empty()) out += "&jurisdiction=" + query.jurisdiction;
  if (!query.category.empty()) out += "&category=" + query.category;
  if (query.kind) out += "&kind=" + to_string(*query.kind);
  return out;
}

std::string bill_path(const std::string& bill_id) {
  return "/bills/" + url_encode(bill_id);
}

std::string safe_link(const std::string& url) {
  return is_web_link(url) ? url : std::string();
}

std::string date_of(long long timestamp) {
  return format_iso8601(timestamp).substr(0, 10);
}

Response html_page(const Context& context, const std::string& title, const std::string& content) {
  Response response;
  response.body = page(context.options.site_name, title, content);
  return response;
}

Response error_page(const Context& context, int status, const std::string& message,
                    const std::string& request_id) {
  data values;
  values.set("heading", status == 404   ? "Not found"
                        : status == 400 ? "That request cannot be answered"
                        : status == 405 ? "Method not allowed"
                                        : "Something went wrong");
  values.set("message", message);
  set_text(values, "request_id", request_id);
  Response response =
      html_page(context, status == 404 ? "Not found" : "Error", render(Template::error, values));
  response.status = status;
  return response;
}

namespace {

Response route(const Context& context, const Query& q) {
  const auto& s = q.segments;
  auto is = [&](std::initializer_list<const char*> names) {
    if (names.size() > s.size()) return false;
    std::size_t i = 0;
    for (const char* name : names) {
      if (name[0] != '*' && s[i] != name) return false;
      ++i;
    }
    return true;
  };
  if (s.empty()) return home_page(context, q);
  if (s.size() == 1 && s[0] == "style.css") {
    Response response;
    response.content_type = "text/css; charset=utf-8";
    response.body = std::string(k_stylesheet);
    return response;
  }
  if (s.size() == 1 && s[0] == "favicon.svg") {
    Response response;
    response.content_type = "image/svg+xml";
    response.body = std::string(k_favicon);
    return response;
  }
  if (s.size() == 1 && s[0] == "bills") return bills_page(context, q);
  if (s.size() == 2 && is({"bills", "*"})) return bill_page(context, checked_bill_id(s[1]));
  if (s.size() == 4 && is({"bills", "*", "versions", "*"})) {
    return version_page(context, checked_bill_id(s[1]), checked_version(s[3]));
  }
  if (s.size() == 3 && is({"bills", "*", "diff"})) {
    return diff_page(context, checked_bill_id(s[1]), q);
  }
  if (s.size() == 1 && s[0] == "search") return search_page(context, q);
  if (s.size() == 1 && s[0] == "about") return about_page(context);
  if (s.size() >= 2 && s[0] == "feeds") {
    auto name = [&](const std::string& file) {
      if (file.size() <= 5 || file.compare(file.size() - 5, 5, ".atom") != 0) {
        throw PageError(404, "Feeds end in .atom.");
      }
      return file.substr(0, file.size() - 5);
    };
    store::EventQuery query;
    query.limit = context.options.page_size;
    if (s.size() == 2 && s[1] == "all.atom") {
      return feed(context, query, "All changes", "/feeds/all.atom", "/");
    }
    if (s.size() == 3 && s[1] == "jurisdictions") {
      query.jurisdiction = checked_jurisdiction(name(s[2]));
      return feed(context, query, "Changes in " + query.jurisdiction,
                  "/feeds/jurisdictions/" + query.jurisdiction + ".atom",
                  "/?jurisdiction=" + query.jurisdiction);
    }
    if (s.size() == 3 && s[1] == "categories") {
      query.category = checked_category(name(s[2]));
      return feed(context, query, category_name(query.category),
                  "/feeds/categories/" + query.category + ".atom", "/?category=" + query.category);
    }
    if (s.size() == 3 && s[1] == "bills") {
      query.bill_id = checked_bill_id(name(s[2]));
      return feed(context, query, query.bill_id,
                  "/feeds/bills/" + url_encode(query.bill_id) + ".atom", bill_path(query.bill_id));
    }
  }
  if (s.size() >= 2 && s[0] == "api" && s[1] == "v1") return api(context, q);
  throw PageError(404, "There is no page here.");
}

// A strong validator of the body: equal bodies, equal tags.
std::string etag_of(const std::string& body) {
  return "\"" + sha256_hex(body).substr(0, 32) + "\"";
}

bool etag_matches(const std::string& header, const std::string& etag) {
  if (header == "*") return true;
  std::size_t start = 0;
  while (start < header.size()) {
    std::size_t comma = header.find(',', start);
    std::string tag =
        header.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    tag.erase(0, tag.find_first_not_of(" \t"));
    tag.erase(tag.find_last_not_of(" \t") + 1);
    if (tag.rfind("W/", 0) == 0) tag.erase(0, 2);
    if (tag == etag) return true;
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return false;
}

}  // namespace

}  // namespace detail

Site::Site(const store::Bills& bills, const store::Research& research, SiteOptions options,
           SiteServices services)
    : m_bills(bills), m_research(research), m_options(std::move(options)), m_services(services) {}

Response Site::handle(const Request& request, std::string* error_log) const {
  if (request.method != "GET" && request.method != "HEAD") {
    return render(request, error_log);
  }
  Response response;
  // A page is rendered again only when the record has changed since it was kept.
  std::int64_t version = -1;
  try {
    version = m_research.record_version();
  } catch (const std::exception&) {
    // Unreadable now: render() says so with a 500 of its own.
  }
  if (version != m_cache_version) {
    m_cache.clear();
    m_cache_version = version;
  }
  if (auto kept = m_cache.find(request.target); version >= 0 && kept != m_cache.end()) {
    response = kept->second;
  } else {
    response = render(request, error_log);
    // A page that says no-store (a subscriber's own, with its form tokens) is not kept.
    bool personal = std::any_of(
        response.headers.begin(), response.headers.end(),
        [](const auto& h) { return h.first == "Cache-Control" && h.second == "no-store"; });
    if (response.status == 200 && version >= 0 && m_options.cached_pages > 0 && !personal) {
      if (m_cache.size() >= m_options.cached_pages) m_cache.clear();
      m_cache.emplace(request.target, response);
    }
  }
  if (response.status == 200) {
    std::string etag;
    std::string last_modified;
    for (const auto& [name, value] : response.headers) {
      if (name == "ETag") etag = value;
      if (name == "Last-Modified") last_modified = value;
    }
    bool not_modified = !request.if_none_match.empty()
                            ? detail::etag_matches(request.if_none_match, etag)
                            : !request.if_modified_since.empty() && !last_modified.empty() &&
                                  request.if_modified_since == last_modified;
    if (not_modified) {
      response.status = 304;
      response.body.clear();
    }
  }
  return response;
}

Response Site::render(const Request& request, std::string* error_log) const {
  static const SystemClock k_system_clock;
  const Clock& clock = m_services.clock ? *m_services.clock : k_system_clock;
  detail::Context context{m_bills, m_research, m_options, m_services, clock.now()};
  Response response;
  try {
    auto query = detail::parse_target(request.target);
    if (query && detail::is_self_service(*query)) {
      return detail::self_service(context, request, *query);
    }
    if (request.method != "GET" && request.method != "HEAD") {
      response = detail::error_page(context, 405, "This site only shows pages (GET and HEAD).",
                                    request.request_id);
      response.headers.emplace_back("Allow", "GET, HEAD");
      return response;
    }
    if (!query) throw detail::PageError(400, "The address is not one this site makes.");
    response = detail::route(context, *query);
  } catch (const detail::PageError& e) {
    if (request.target.rfind("/api/", 0) == 0) {
      Response error;
      error.status = e.status();
      error.content_type = "application/json";
      error.body = nlohmann::json{{"error", e.what()}, {"status", e.status()}}.dump() + "\n";
      return error;
    }
    return detail::error_page(context, e.status(), e.what(), request.request_id);
  } catch (const std::exception& e) {
    if (error_log) *error_log = e.what();
    try {
      return detail::error_page(context, 500, "The page could not be made. Try again later.",
                                request.request_id);
    } catch (...) {
      Response bare;
      bare.status = 500;
      bare.content_type = "text/plain; charset=utf-8";
      bare.body = "Something went wrong.\n";
      return bare;
    }
  }
  if (response.status == 200) {
    response.headers.emplace_back("ETag", detail::etag_of(response.body));
    response.headers.emplace_back("Cache-Control", "no-cache");
  }
  return response;
}

}  // namespace billwatch::web
