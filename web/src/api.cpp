// The read-only JSON API for researchers: the CLI's --json names (store/record_json.hpp).
#include <nlohmann/json.hpp>

#include "billwatch/core/clock.hpp"
#include "billwatch/core/escape.hpp"
#include "billwatch/store/record_json.hpp"
#include "site_detail.hpp"

namespace billwatch::web::detail {

namespace {

using nlohmann::ordered_json;

Response json_response(const ordered_json& body) {
  Response response;
  response.content_type = "application/json";
  // Replacing invalid UTF-8 rather than failing: a page's text is what it is.
  response.body = body.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
  return response;
}

}  // namespace

Response api(const Context& context, const Query& q) {
  const auto& s = q.segments;  // "api", "v1", ...
  if (s.size() == 3 && s[2] == "bills") {
    store::BillFilter filter = bill_filter(q);
    std::vector<store::BillRow> rows = context.bills.bills(filter);
    const std::size_t size = context.options.page_size;
    long long page = q.number("page", 1);
    if (page < 1) throw PageError(400, "'page' starts at 1");
    std::size_t first = static_cast<std::size_t>(page - 1) * size;
    ordered_json bills = ordered_json::array();
    for (std::size_t i = first; i < rows.size() && i < first + size; ++i) {
      bills.push_back(store::bill_json(rows[i]));
    }
    ordered_json body{{"bills", bills}, {"page", page}, {"total", rows.size()}};
    if (first + size < rows.size()) {
      body["next"] = "/api/v1/bills?page=" + std::to_string(page + 1) + filter_params(filter);
    }
    return json_response(body);
  }
  if ((s.size() == 4 || s.size() == 6) && s[2] == "bills") {
    std::string bill_id = checked_bill_id(s[3]);
    if (s.size() == 6) {
      if (s[4] != "versions") throw PageError(404, "There is no page here.");
      int number = checked_version(s[5]);
      auto version = context.research.version_numbered(bill_id, number);
      if (!version)
        throw PageError(404, bill_id + " has no version " + std::to_string(number) + ".");
      ordered_json body = store::version_json(*version, true);
      body["bill_id"] = bill_id;
      return json_response(body);
    }
    auto history = context.research.history(bill_id);
    if (!history) throw PageError(404, "billwatch does not track a bill " + bill_id + ".");
    ordered_json body = store::bill_json(history->bill);
    ordered_json actions = ordered_json::array();
    for (const auto& a : history->actions) actions.push_back(store::action_json(a.action));
    body["actions"] = actions;
    ordered_json versions = ordered_json::array();
    for (const auto& v : history->versions) {
      ordered_json version = store::version_row_json(v);
      version["href"] =
          "/api/v1/bills/" + url_encode(bill_id) + "/versions/" + std::to_string(v.number);
      versions.push_back(std::move(version));
    }
    body["versions"] = versions;
    if (!history->versions.empty()) {
      ordered_json provisions = ordered_json::array();
      for (const auto& p : history->versions.back().provisions) {
        provisions.push_back(store::provision_json(p));
      }
      body["provisions"] = provisions;
    }
    return json_response(body);
  }
  if (s.size() == 3 && s[2] == "events") {
    store::EventQuery query = event_filter(q);
    query.oldest_first = true;
    query.after = q.number("after", 0);
    query.limit = context.options.page_size;
    std::vector<ChangeEvent> events = context.research.events(query);
    ordered_json list = ordered_json::array();
    for (const auto& e : events) list.push_back(store::event_json(e));
    ordered_json body{{"events", list}};
    if (!events.empty()) {
      body["next"] =
          "/api/v1/events?after=" + std::to_string(events.back().id) + filter_params(query);
    }
    return json_response(body);
  }
  throw PageError(404, "There is no such API path.");
}

}  // namespace billwatch::web::detail
