// Atom 1.0 feeds (RFC 4287) of the change stream: entries are the events the mails report,
// in the mails' words.
#include "billwatch/core/clock.hpp"
#include "billwatch/core/escape.hpp"
#include "billwatch/notifier/message.hpp"
#include "site_detail.hpp"
#include "templates.hpp"

namespace billwatch::web::detail {

namespace {

// XML 1.0 allows no control characters but tab, newline and carriage return, even
// escaped: a page's text could carry one, and one would make the whole feed unreadable.
std::string xml_safe(std::string text) {
  std::erase_if(text, [](char c) {
    auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t' && c != '\n' && c != '\r') || u == 0x7F;
  });
  return text;
}

// HTTP-date (RFC 9110), for Last-Modified.
std::string http_date(Timestamp t) {
  std::string rfc5322 = format_rfc5322(t);  // "Mon, 07 Dec 2026 10:26:09 +0000"
  std::size_t zone = rfc5322.rfind(' ');
  return rfc5322.substr(0, zone) + " GMT";
}

}  // namespace

Response feed(const Context& context, const store::EventQuery& query, const std::string& title,
              const std::string& self_path, const std::string& alternate_path) {
  std::string base = context.options.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  // Ids must be permanent and absolute: the site's address when it has one, else a URN
  // that stays the same however the site is reached.
  auto id_of = [&](const std::string& path) {
    return base.empty() ? "urn:billwatch:" + path : base + path;
  };
  std::vector<ChangeEvent> events = context.research.events(query);
  data values;
  values.set("id", id_of(self_path));
  values.set("title", xml_safe(context.options.site_name + ": " + title));
  values.set("self", base + self_path);
  values.set("alternate", base + alternate_path);
  values.set("site", xml_safe(context.options.site_name));
  Timestamp updated = events.empty() ? 0 : events.front().created_at;
  values.set("updated", format_iso8601(updated));
  list entries;
  for (const auto& event : events) {
    notifier::EventWords words = notifier::describe_event(event, base);
    entries.push_back(object{{"id", id_of("/events/" + std::to_string(event.id))},
                             {"title", xml_safe(words.title)},
                             {"updated", format_iso8601(event.created_at)},
                             {"link", base + bill_path(event.bill.id)},
                             {"content", xml_safe(words.text)}});
  }
  values.set("entries", entries);
  Response response;
  response.content_type = "application/atom+xml; charset=utf-8";
  response.body = render(Template::atom, values);
  response.headers.emplace_back("Last-Modified", http_date(updated));
  return response;
}

}  // namespace billwatch::web::detail
