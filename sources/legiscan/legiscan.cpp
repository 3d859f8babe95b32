#include "billwatch/sources/legiscan/legiscan.hpp"

#include <algorithm>
#include <cstdint>
#include <map>

#include "billwatch/core/ascii.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/sources/common/json.hpp"
#include "billwatch/sources/common/stages.hpp"
#include "billwatch/sources/common/state_bills.hpp"

namespace billwatch::sources {

namespace {

using nlohmann::json;

// The answer's object, after checking LegiScan's status.
Result<json> checked(std::string_view text) {
  auto document = parse_json(text);
  if (!document) return document.failure();
  json& root = document.value();
  if (!root.is_object()) return Failure{"expected a JSON object"};
  if (json_string(root, "status") == "ERROR") {
    std::string message = root.contains("alert") ? json_string(root["alert"], "message") : "";
    return Failure{"LegiScan answered ERROR" + (message.empty() ? "" : ": " + message)};
  }
  return std::move(root);
}

std::string chamber_name(std::string_view code) {
  if (code == "H" || code == "A") return "House";  // A: Assembly (CA, NV, NY, WI)
  if (code == "S") return "Senate";
  if (code == "J") return "Joint";
  return {};
}

// The chamber an action's words start with, for history entries whose `chamber` is ""
// (the 2011-2012 datasets: "House Read the third time and passed", "Senate Received from
// the House"); "" when they name none.
std::string chamber_from_words(std::string_view text) {
  std::string start = ascii_lower(text.substr(0, 9));
  if (start.rfind("house ", 0) == 0) return "House";
  if (start.rfind("senate ", 0) == 0) return "Senate";
  if (start.rfind("assembly ", 0) == 0) return "House";  // as chamber_name's "A"
  return {};
}

// The words that say a progress event happened, most telling first (LegiScan's progress
// codes, tests/fixtures/states/legiscan_lookup_progress.csv). A progress event names a day; the
// action it belongs to is the day's first entry with the first of these words found that day.
const std::vector<const char*>& progress_words(int event) {
  static const std::vector<const char*> k_none;
  static const std::map<int, std::vector<const char*>> k_words = {
      {1, {"introduc", "prefile", "first time", "first reading", "filed"}},
      {2, {"passed", "third reading", "third time", "engross"}},
      {3, {"passed", "concur", "enroll"}},
      {4, {"signed", "became law", "approved", " act ", "chapter"}},
      {5, {"veto"}},
      {6, {"fail", "died", "postponed", "withdrawn"}},
      {7, {"overrid"}},
      {8, {" act ", "chapter", "signed"}},
      {9, {"refer"}},
      {10, {"do pass", "report", "rpt", "returned by the committee"}},
      {11, {"do not pass", "report", "rpt"}},
      {12, {"draft", "prefile"}},
  };
  auto it = k_words.find(event);
  return it == k_words.end() ? k_none : it->second;
}

// The action of `date` a progress event belongs to: by its words, else the day's last.
Action* progress_action(std::vector<Action>& actions, const std::string& date, int event) {
  for (const char* word : progress_words(event)) {
    for (Action& a : actions) {
      if (a.date == date && ascii_lower(" " + a.text + " ").find(word) != std::string::npos) {
        return &a;
      }
    }
  }
  auto last_of_day = std::find_if(actions.rbegin(), actions.rend(),
                                  [&](const Action& a) { return a.date == date; });
  return last_of_day == actions.rend() ? nullptr : &*last_of_day;
}

// The primary sponsor (sponsor_type_id 1), else the first listed (sponsor_order, as the
// 2011-2012 datasets give every sponsor type 0): "Rep Carl Gatto (R, HD-013)".
std::string primary_sponsor(const json& bill) {
  const json* list = json_array(bill, "sponsors");
  if (!list) return {};
  const json* chosen = nullptr;
  for (const json& s : *list) {
    if (!s.is_object() || json_string(s, "name").empty()) continue;
    if (json_integer(s, "sponsor_type_id") == 1) {
      chosen = &s;
      break;
    }
    if (!chosen || json_integer(s, "sponsor_order") < json_integer(*chosen, "sponsor_order")) {
      chosen = &s;
    }
  }
  if (!chosen) return {};
  std::string role = json_string(*chosen, "role");
  std::string party = json_string(*chosen, "party");
  std::string district = json_string(*chosen, "district");
  std::string out = (role.empty() ? "" : role + " ") + json_string(*chosen, "name");
  std::string details = party + (!party.empty() && !district.empty() ? ", " : "") + district;
  if (!details.empty()) out += " (" + details + ")";
  return out;
}

}  // namespace

bool LegiscanText::is_version() const {
  return type_id != 7 && type_id != 8 && type_id != 12 && type_id != 13;
}

Bill LegiscanBill::bill() const {
  Bill bill;
  bill.id = state_bill_id(state, session_key, bill_number);
  bill.jurisdiction = state;
  bill.title = title;
  bill.url = state_link.empty() ? url : state_link;
  bill.session = session_key;
  bill.identifier = normalize_identifier(bill_number);
  bill.legiscan_id = std::to_string(bill_id);
  bill.sponsor = sponsor;
  return bill;
}

Stage legiscan_progress_stage(int event) {
  switch (event) {
    case 1:
    case 12:
      return stage::k_introduced;
    case 9:
    case 11:
      return stage::k_in_committee;
    case 10:
      return stage::k_reported;
    case 2:
      return stage::k_passed_one_chamber;
    case 3:
      return stage::k_passed_both_chambers;
    case 4:
    case 7:
    case 8:
      return stage::k_enacted;
    case 5:
      return stage::k_vetoed;
    case 6:
      return stage::k_dead;
    default:
      return {};
  }
}

Result<LegiscanBill> parse_legiscan_bill(std::string_view text) {
  auto root = checked(text);
  if (!root) return root.failure();
  auto it = root.value().find("bill");
  if (it == root.value().end() || !it->is_object()) return Failure{"expected a \"bill\" object"};
  const json& b = *it;
  LegiscanBill bill;
  bill.bill_id = json_integer(b, "bill_id");
  bill.change_hash = json_string(b, "change_hash");
  bill.state = json_string(b, "state");
  bill.bill_number = json_string(b, "bill_number");
  bill.title = json_string(b, "title");
  bill.description = json_string(b, "description");
  bill.sponsor = primary_sponsor(b);
  bill.url = json_string(b, "url");
  bill.state_link = json_string(b, "state_link");
  bill.status = static_cast<int>(json_integer(b, "status"));
  bill.status_date = json_string(b, "status_date");
  bill.completed = json_integer(b, "completed") == 1;
  const json* session = b.contains("session") && b["session"].is_object() ? &b["session"] : nullptr;
  std::int64_t year = session ? json_integer(*session, "year_start") : 0;
  if (year < 1900 || year > 2200) return Failure{"LegiScan bill without a usable session year"};
  bill.session_key =
      session_key_from_legiscan(static_cast<int>(year), json_integer(*session, "special") == 1,
                                json_integer(*session, "session_id"));
  bill.session_name = json_string(*session, "session_name");
  bill.session_id = json_integer(*session, "session_id");
  if (bill.bill_id <= 0 || bill.state.size() != 2 ||
      normalize_identifier(bill.bill_number).empty()) {
    return Failure{"LegiScan bill without bill_id, state or a bill number such as \"HB1\""};
  }

  // history[] is oldest first (T8); each entry gets the stage of a progress event of the
  // same day whose words it has (progress_action), else what its own words say.
  if (auto history = b.find("history"); history != b.end() && history->is_array()) {
    for (const json& h : *history) {
      Action action;
      action.date = json_string(h, "date");
      action.text = json_string(h, "action");
      action.chamber = chamber_name(json_string(h, "chamber"));
      if (action.chamber.empty()) action.chamber = chamber_from_words(action.text);
      if (action.date.empty() && action.text.empty()) continue;
      action.stage = stage_from_wording(action.text);
      bill.actions.push_back(std::move(action));
    }
  }
  std::stable_sort(bill.actions.begin(), bill.actions.end(),
                   [](const Action& x, const Action& y) { return x.date < y.date; });
  if (auto progress = b.find("progress"); progress != b.end() && progress->is_array()) {
    for (const json& p : *progress) {
      std::string date = json_string(p, "date");
      Stage stage = legiscan_progress_stage(static_cast<int>(json_integer(p, "event")));
      // "Passed" (4) is enacted only for a completed bill; otherwise it is a passage.
      if (json_integer(p, "event") == 4 && !bill.completed) stage = stage::k_passed_both_chambers;
      if (stage == Stage::none) continue;
      int event = static_cast<int>(json_integer(p, "event"));
      Action* action = progress_action(bill.actions, date, event);
      if (!action) continue;
      action->stage = stage;
      action->code = "progress " + std::to_string(event);
    }
  }
  bill.stage = furthest_stage(bill.actions);
  keep_stage_moves(bill.actions);

  if (auto texts = b.find("texts"); texts != b.end() && texts->is_array()) {
    for (const json& t : *texts) {
      LegiscanText doc;
      doc.doc_id = json_integer(t, "doc_id");
      doc.date = json_string(t, "date");
      doc.type = json_string(t, "type");
      doc.type_id = static_cast<int>(json_integer(t, "type_id"));
      doc.mime = json_string(t, "mime");
      doc.url = json_string(t, "url");
      doc.state_link = json_string(t, "state_link");
      doc.text_hash = json_string(t, "text_hash");
      if (doc.doc_id > 0) bill.texts.push_back(std::move(doc));
    }
  }
  return bill;
}

Result<LegiscanList> parse_legiscan_list(std::string_view text) {
  auto root = checked(text);
  if (!root) return root.failure();
  const json* list = nullptr;
  for (const char* key : {"masterlist", "searchresult"}) {
    auto it = root.value().find(key);
    if (it != root.value().end() && it->is_object()) list = &*it;
  }
  if (!list) return Failure{"expected a \"masterlist\" or \"searchresult\" object"};
  LegiscanList result;
  if (auto summary = list->find("summary"); summary != list->end()) {
    std::int64_t pages = json_integer(*summary, "page_total", 1);
    result.page_total = static_cast<int>(std::clamp<std::int64_t>(pages, 1, 1000));
    result.stated = json_integer(*summary, "count", -1);
  }
  std::vector<LegiscanListEntry>& entries = result.entries;
  auto read_entry = [&](const json& item) {
    if (!item.is_object()) return;
    LegiscanListEntry entry;
    entry.bill_id = json_integer(item, "bill_id");
    entry.number = json_string(item, "number");
    if (entry.number.empty()) entry.number = json_string(item, "bill_number");
    entry.change_hash = json_string(item, "change_hash");
    entry.state = json_string(item, "state");
    if (entry.bill_id > 0) entries.push_back(std::move(entry));
  };
  if (const json* results = json_array(*list, "results")) {
    for (const json& item : *results) read_entry(item);
  }
  for (auto it = list->begin(); it != list->end(); ++it) {
    const std::string& key = it.key();
    // "session" and "summary" describe the list; entries are keyed "0", "1", ...
    if (key.empty() ||
        !std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    read_entry(*it);
  }
  return result;
}

Result<LegiscanDocument> parse_legiscan_text(std::string_view text) {
  auto root = checked(text);
  if (!root) return root.failure();
  auto it = root.value().find("text");
  if (it == root.value().end() || !it->is_object()) return Failure{"expected a \"text\" object"};
  const json& t = *it;
  LegiscanDocument document;
  document.doc_id = json_integer(t, "doc_id");
  document.bill_id = json_integer(t, "bill_id");
  document.date = json_string(t, "date");
  document.type = json_string(t, "type");
  document.mime = json_string(t, "mime");
  auto body = base64_decode(json_string(t, "doc"));
  if (!body)
    return Failure{"LegiScan text " + std::to_string(document.doc_id) + ": doc is not base64"};
  if (body->empty())
    return Failure{"LegiScan text " + std::to_string(document.doc_id) + ": empty doc"};
  document.body = std::move(*body);
  return document;
}

}  // namespace billwatch::sources
