#include "billwatch/sources/congress/congress_api.hpp"

#include <algorithm>

#include "billwatch/core/ascii.hpp"
#include "billwatch/sources/common/json.hpp"
#include "billwatch/sources/congress/govinfo.hpp"

namespace billwatch::sources {

namespace {

using nlohmann::json;

// The document, which must be an object holding the array `key`.
Result<const json*> list_of(const json& document, const char* key) {
  if (!document.is_object()) return Failure{"expected a JSON object"};
  const json* list = json_array(document, key);
  if (!list) return Failure{std::string("expected a \"") + key + "\" array"};
  return list;
}

std::int64_t count_of(const json& document) {
  if (auto it = document.find("pagination"); it != document.end()) {
    return json_integer(*it, "count", -1);
  }
  return -1;
}

std::string next_of(const json& document) {
  if (auto it = document.find("pagination"); it != document.end()) {
    return json_string(*it, "next");
  }
  return {};
}

std::string date_part(std::string value) {
  return value.size() > 10 ? value.substr(0, 10) : value;
}

}  // namespace

std::string ApiBill::bill_id() const {
  return BillRef{congress, type, number, ""}.bill_id();
}

Result<ApiPage<ApiBill>> parse_congress_bill_list(std::string_view text) {
  auto document = parse_json(text);
  if (!document) return document.failure();
  auto list = list_of(document.value(), "bills");
  if (!list) return list.failure();
  ApiPage<ApiBill> page;
  page.next = next_of(document.value());
  page.stated = count_of(document.value());
  for (const json& item : *list.value()) {
    ApiBill bill;
    auto congress = item.is_object() ? item.find("congress") : item.end();
    if (item.is_object() && congress != item.end() && congress->is_number_integer()) {
      auto value = congress->get<std::int64_t>();
      if (value > 0 && value < 1000) bill.congress = static_cast<int>(value);
    }
    bill.type = ascii_lower(json_string(item, "type"));
    bill.title = json_string(item, "title");
    bill.number = json_string(item, "number");
    bill.update_date = json_string(item, "updateDateIncludingText");
    if (bill.update_date.empty()) bill.update_date = json_string(item, "updateDate");
    bool digits = !bill.number.empty() && bill.number.size() <= 6 &&
                  std::all_of(bill.number.begin(), bill.number.end(),
                              [](char c) { return c >= '0' && c <= '9'; });
    if (bill.congress == 0 || bill.type.empty() || !digits) {
      ++page.skipped;  // not a bill we know
      continue;
    }
    page.items.push_back(std::move(bill));
  }
  return page;
}

Result<ApiPage<Action>> parse_congress_actions(std::string_view text) {
  auto document = parse_json(text);
  if (!document) return document.failure();
  auto list = list_of(document.value(), "actions");
  if (!list) return list.failure();
  struct Timed {
    Action action;
    std::string time;
  };
  std::vector<Timed> timed;
  for (const json& item : *list.value()) {
    Action action;
    action.date = date_part(json_string(item, "actionDate"));
    action.text = json_string(item, "text");
    if (action.date.empty() && action.text.empty()) continue;
    std::string source = item.is_object() && item.contains("sourceSystem")
                             ? json_string(item["sourceSystem"], "name")
                             : std::string();
    action.chamber = federal_action_chamber(source, json_string(item, "actionCode"), action.text);
    action.code = json_string(item, "actionCode");
    action.type = json_string(item, "type");
    action.stage = federal_action_stage(action, action.type);
    timed.push_back({std::move(action), json_string(item, "actionTime")});
  }
  // Newest first in the answer: reversed, then sorted by date and time (T8).
  std::reverse(timed.begin(), timed.end());
  std::stable_sort(timed.begin(), timed.end(), [](const Timed& a, const Timed& b) {
    if (a.action.date != b.action.date) return a.action.date < b.action.date;
    if (!a.time.empty() && !b.time.empty()) return a.time < b.time;
    return false;
  });
  ApiPage<Action> page;
  page.next = next_of(document.value());
  for (auto& t : timed) page.items.push_back(std::move(t.action));
  return page;
}

Result<ApiPage<TextVersionRef>> parse_congress_text_versions(std::string_view text) {
  auto document = parse_json(text);
  if (!document) return document.failure();
  auto list = list_of(document.value(), "textVersions");
  if (!list) return list.failure();
  ApiPage<TextVersionRef> page;
  page.next = next_of(document.value());
  for (const json& item : *list.value()) {
    TextVersionRef version;
    version.type = json_string(item, "type");
    version.date = washington_date(json_string(item, "date"));
    if (const json* formats = json_array(item, "formats")) {
      for (const json& format : *formats) {
        std::string url = json_string(format, "url");
        if (url.empty()) continue;
        if (version.url.empty() || json_string(format, "type") == "Formatted XML")
          version.url = url;
      }
    }
    if (version.type.empty() && version.url.empty()) continue;
    page.items.push_back(std::move(version));
  }
  return page;
}

Result<ApiPage<GovinfoPackage>> parse_govinfo_collection(std::string_view text) {
  auto document = parse_json(text);
  if (!document) return document.failure();
  auto list = list_of(document.value(), "packages");
  if (!list) return list.failure();
  ApiPage<GovinfoPackage> page;
  page.next = json_string(document.value(), "nextPage");
  for (const json& item : *list.value()) {
    GovinfoPackage package{json_string(item, "packageId"), json_string(item, "lastModified")};
    if (!package.package_id.empty()) page.items.push_back(std::move(package));
  }
  return page;
}

}  // namespace billwatch::sources
