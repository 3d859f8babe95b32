#include "billwatch/sources/openstates/openstates.hpp"

#include <algorithm>

#include "billwatch/core/escape.hpp"
#include "billwatch/core/hash.hpp"
#include "billwatch/sources/common/json.hpp"
#include "billwatch/sources/common/stages.hpp"
#include "billwatch/sources/common/state_bills.hpp"

namespace billwatch::sources {

namespace {

using nlohmann::json;

int int_at(const json& object, const char* key, int fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return fallback;
  auto value = it->get<std::int64_t>();
  return value < 0 || value > 1000000 ? fallback : static_cast<int>(value);
}

// "2025-05-14T04:00:00+00:00" -> "2025-05-14": the date as written; converting the UTC
// midnight to the state's zone would move it a day back (data-sources §1.8).
std::string date_part(std::string value) {
  return value.size() > 10 ? value.substr(0, 10) : value;
}

// The chamber from an organization's classification: the API nests the organization,
// the scraper writes a "~{json}" pseudo-id.
std::string chamber_of(const json& action) {
  std::string classification;
  if (auto it = action.find("organization"); it != action.end() && it->is_object()) {
    classification = json_string(*it, "classification");
  } else {
    std::string pseudo = json_string(action, "organization_id");
    if (pseudo.find("\"lower\"") != std::string::npos) classification = "lower";
    if (pseudo.find("\"upper\"") != std::string::npos) classification = "upper";
    if (pseudo.find("\"legislature\"") != std::string::npos) classification = "legislature";
    if (pseudo.find("\"executive\"") != std::string::npos) classification = "executive";
  }
  if (classification == "lower") return "House";
  if (classification == "upper") return "Senate";
  if (classification == "executive") return "Executive";
  return {};
}

std::vector<std::string> strings_of(const json& object, const char* key) {
  std::vector<std::string> out;
  if (const json* array = json_array(object, key)) {
    for (const json& item : *array) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  } else if (auto single = json_string(object, key); !single.empty()) {
    out.push_back(single);
  }
  return out;
}

// Reads the fields both forms share into `bill`.
Status read_bill(const json& b, OpenStatesBill& bill, std::string_view fallback_jurisdiction) {
  if (!b.is_object()) return Failure{"expected a bill object"};
  bill.id = json_string(b, "id");
  std::string jurisdiction;
  if (auto it = b.find("jurisdiction"); it != b.end()) {
    jurisdiction = it->is_object()   ? json_string(*it, "id")
                   : it->is_string() ? it->get<std::string>()
                                     : "";
  }
  bill.jurisdiction = usps_from_ocd(jurisdiction);
  if (bill.jurisdiction.empty()) bill.jurisdiction = std::string(fallback_jurisdiction);
  bill.session = json_string(b, "session");
  if (bill.session.empty()) bill.session = json_string(b, "legislative_session");
  // Some answers nest it: "legislative_session": {"identifier": "2021", "title": ...}.
  if (auto it = b.find("legislative_session");
      bill.session.empty() && it != b.end() && it->is_object()) {
    bill.session = json_string(*it, "identifier");
  }
  bill.session_key = session_key_from_openstates(bill.session);
  bill.identifier = normalize_identifier(json_string(b, "identifier"));
  bill.title = json_string(b, "title");
  bill.updated_at = json_string(b, "updated_at");
  if (const json* list = json_array(b, "sponsorships")) {
    for (const json& s : *list) {
      if (!s.is_object() || !s.value("primary", false)) continue;
      bill.sponsor = json_string(s, "name");
      if (!bill.sponsor.empty()) break;
    }
  }
  if (const json* list = json_array(b, "abstracts")) {
    for (const json& a : *list) {
      std::string abstract = json_string(a, "abstract");
      if (!abstract.empty()) bill.abstracts.push_back(std::move(abstract));
    }
  }
  if (bill.jurisdiction.empty() || bill.session_key.empty() || bill.identifier.empty()) {
    return Failure{"Open States bill without jurisdiction, session or a bill identifier"};
  }

  struct Ordered {
    Action action;
    int order;
  };
  std::vector<Ordered> actions;
  if (const json* list = json_array(b, "actions")) {
    int position = 0;
    for (const json& a : *list) {
      Action action;
      action.date = date_part(json_string(a, "date"));
      action.text = json_string(a, "description");
      action.chamber = chamber_of(a);
      std::vector<std::string> classes = strings_of(a, "classification");
      action.stage = openstates_action_stage(classes);
      if (action.stage == Stage::none) action.stage = stage_from_wording(action.text);
      for (const auto& c : classes) action.type += (action.type.empty() ? "" : ",") + c;
      if (action.date.empty() && action.text.empty()) continue;
      actions.push_back({std::move(action), int_at(a, "order", position++)});
    }
  }
  // Newest first in some scrapes (T8): order by date, then by the source's own order
  // within a day, reversed when the list runs backwards.
  bool backwards = actions.size() > 1 && actions.front().action.date > actions.back().action.date;
  if (backwards) std::reverse(actions.begin(), actions.end());
  std::stable_sort(actions.begin(), actions.end(), [](const Ordered& x, const Ordered& y) {
    return x.action.date < y.action.date;
  });
  for (auto& a : actions) bill.actions.push_back(std::move(a.action));
  bool unicameral = bill.jurisdiction == "NE";
  bill.stage = furthest_stage(bill.actions, unicameral);
  keep_stage_moves(bill.actions, unicameral);

  if (const json* list = json_array(b, "versions")) {
    for (const json& v : *list) {
      OpenStatesVersion version;
      version.note = json_string(v, "note");
      version.date = date_part(json_string(v, "date"));
      if (const json* links = json_array(v, "links")) {
        // HTML reads best, then PDF, then whatever else is offered.
        auto rank = [](const std::string& type) {
          return type == "text/html" ? 0 : type == "application/pdf" ? 1 : 2;
        };
        for (const json& link : *links) {
          std::string url = json_string(link, "url");
          std::string type = json_string(link, "media_type");
          if (url.empty()) continue;
          if (version.url.empty() || rank(type) < rank(version.media_type)) {
            version.url = url;
            version.media_type = type;
          }
        }
      }
      if (!version.url.empty()) bill.versions.push_back(std::move(version));
    }
  }
  if (const json* list = json_array(b, "sources")) {
    for (const json& s : *list) {
      std::string url = json_string(s, "url");
      if (!url.empty()) bill.sources.push_back(url);
    }
  }
  return Ok{};
}

}  // namespace

Stage openstates_action_stage(const std::vector<std::string>& classifications) {
  // The furthest-reaching classification of the action decides.
  Stage best = Stage::none;
  auto consider = [&](Stage stage) {
    if (best == Stage::none) best = stage;
  };
  for (const char* wanted :
       {"became-law", "executive-signature", "executive-veto-line-item", "executive-veto",
        "veto-override-failure", "executive-receipt", "enrolled", "passage", "failure",
        "committee-failure", "withdrawal", "committee-passage", "committee-passage-favorable",
        "referral-committee", "referral", "committee-passage-unfavorable", "introduction", "filing",
        "reading-1"}) {
    if (std::find(classifications.begin(), classifications.end(), wanted) ==
        classifications.end()) {
      continue;
    }
    std::string_view w = wanted;
    if (w == "became-law" || w == "executive-signature" || w == "executive-veto-line-item") {
      consider(stage::k_enacted);
    } else if (w == "executive-veto" || w == "veto-override-failure") {
      consider(stage::k_vetoed);
    } else if (w == "executive-receipt") {
      consider(stage::k_to_executive);
    } else if (w == "enrolled") {
      consider(stage::k_passed_both_chambers);
    } else if (w == "passage") {
      consider(stage::k_passed_one_chamber);  // both once two chambers passed it
    } else if (w == "failure" || w == "committee-failure" || w == "withdrawal") {
      consider(stage::k_dead);
    } else if (w == "committee-passage" || w == "committee-passage-favorable") {
      consider(stage::k_reported);
    } else if (w == "referral-committee" || w == "referral" ||
               w == "committee-passage-unfavorable") {
      consider(stage::k_in_committee);
    } else {
      consider(stage::k_introduced);
    }
  }
  return best;
}

Bill OpenStatesBill::bill() const {
  Bill bill;
  bill.id = state_bill_id(jurisdiction, session_key, identifier);
  bill.jurisdiction = jurisdiction;
  bill.title = title;
  bill.url = sources.empty() ? std::string() : sources.front();
  bill.session = session_key;
  bill.identifier = identifier;
  bill.openstates_id = id;
  bill.sponsor = sponsor;
  return bill;
}

std::string OpenStatesBill::content_hash() const {
  std::string text = identifier + "\n" + title + "\n";
  std::vector<std::string> lines;
  for (const auto& a : actions) lines.push_back(a.date + "|" + a.chamber + "|" + a.text);
  std::sort(lines.begin(), lines.end());
  for (const auto& line : lines) text += "A " + line + "\n";
  for (const auto& v : versions) text += "V " + v.note + "|" + v.date + "|" + v.url + "\n";
  return sha256_hex(text);
}

Result<OpenStatesPage> parse_openstates_page(std::string_view text) {
  auto document = parse_json(text);
  if (!document) return document.failure();
  const json& root = document.value();
  const json* results = json_array(root, "results");
  if (!results) {
    std::string detail = json_string(root, "detail");
    return Failure{detail.empty() ? "expected a \"results\" array"
                                  : "Open States answered: " + utf8_truncate(detail, 200)};
  }
  OpenStatesPage page;
  for (const json& item : *results) {
    OpenStatesBill bill;
    // A result Open States could not describe fully is skipped, not fatal for the page.
    if (Status read = read_bill(item, bill, ""); read) {
      page.bills.push_back(std::move(bill));
    } else if (page.skipped++ == 0) {
      page.first_skip = read.error();
    }
  }
  if (auto it = root.find("pagination"); it != root.end()) {
    page.page = int_at(*it, "page", 1);
    page.max_page = int_at(*it, "max_page", page.page);
    page.total_items = int_at(*it, "total_items", -1);
  }
  return page;
}

Result<OpenStatesBill> parse_openstates_scrape(std::string_view text,
                                               std::string_view jurisdiction) {
  auto document = parse_json(text);
  if (!document) return document.failure();
  OpenStatesBill bill;
  if (Status read = read_bill(document.value(), bill, jurisdiction); !read) return read.failure();
  return bill;
}

Result<std::map<std::string, std::string>> parse_openstates_sessions(std::string_view text) {
  auto document = parse_json(text);
  if (!document) return document.failure();
  const json* sessions = json_array(document.value(), "legislative_sessions");
  if (!sessions) {
    std::string detail = json_string(document.value(), "detail");
    return Failure{detail.empty() ? "expected a \"legislative_sessions\" array"
                                  : "Open States answered: " + utf8_truncate(detail, 200)};
  }
  std::map<std::string, std::string> keys;
  for (const json& s : *sessions) {
    std::string identifier = json_string(s, "identifier");
    std::string start = json_string(s, "start_date");
    if (identifier.empty() || start.size() < 4 || !session_key_has_year(start.substr(0, 4))) {
      continue;
    }
    std::string key = start.substr(0, 4);
    if (json_string(s, "classification") == "special") {
      key += "s";
      for (char c : identifier) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
          key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
      }
    }
    keys[identifier] = key;
  }
  return keys;
}

bool session_key_has_year(std::string_view key) {
  if (key.size() < 4) return false;
  for (std::size_t i = 0; i < 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(key[i]))) return false;
  }
  return true;
}

}  // namespace billwatch::sources
