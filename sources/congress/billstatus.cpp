#include "billwatch/sources/congress/billstatus.hpp"

#include <algorithm>
#include <charconv>
#include <pugixml.hpp>
#include <set>

#include "billwatch/core/ascii.hpp"
#include "billwatch/sources/congress/govinfo.hpp"

namespace billwatch::sources {

namespace {

std::string text_of(const pugi::xml_node& node) {
  return node.child_value();
}

// The first child that exists among `names` (the generations name fields differently).
pugi::xml_node first_child(const pugi::xml_node& node, std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (pugi::xml_node child = node.child(name)) return child;
  }
  return {};
}

std::string date_part(std::string value) {
  return value.size() > 10 ? value.substr(0, 10) : value;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string chamber_of(const pugi::xml_node& item) {
  return federal_action_chamber(item.child("sourceSystem").child_value("name"),
                                item.child_value("actionCode"), item.child_value("text"));
}

// "US-117-HR-4350", and "H.R. 4350" as Congress writes it.
std::string identifier_of(const std::string& type, const std::string& number) {
  static const std::pair<const char*, const char*> k_names[] = {{"hr", "H.R."},
                                                                {"s", "S."},
                                                                {"hjres", "H.J.Res."},
                                                                {"sjres", "S.J.Res."},
                                                                {"hconres", "H.Con.Res."},
                                                                {"sconres", "S.Con.Res."},
                                                                {"hres", "H.Res."},
                                                                {"sres", "S.Res."}};
  for (const auto& [code, name] : k_names) {
    if (type == code) return std::string(name) + " " + number;
  }
  return ascii_lower(type) + " " + number;
}

// The CRS summaries are HTML fragments; topic matching needs their words only.
std::string strip_tags(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  bool in_tag = false;
  for (char c : html) {
    if (c == '<') {
      in_tag = true;
      out += ' ';
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      out += c;
    }
  }
  return out;
}

// 3.0.0 lists <summary> elements, the older formats billSummaries/item; either way the
// last one is the latest.
std::string latest_summary(const pugi::xml_node& summaries) {
  pugi::xml_node list =
      summaries.child("billSummaries") ? summaries.child("billSummaries") : summaries;
  std::string latest;
  for (pugi::xml_node item : list.children()) {
    std::string_view name = item.name();
    if (name != "summary" && name != "item") continue;
    std::string text = item.child_value("text");
    if (!text.empty()) latest = strip_tags(text);
  }
  return latest;
}

}  // namespace

std::string federal_action_chamber(std::string_view source_name, std::string_view action_code,
                                   std::string_view text) {
  // "House floor actions" -> House; action codes starting with H are House ones.
  std::string source = ascii_lower(source_name);
  if (contains(source, "house")) return "House";
  if (contains(source, "senate")) return "Senate";
  if (action_code.size() > 1 && action_code[0] == 'H' &&
      std::isdigit(static_cast<unsigned char>(action_code[1]))) {
    return "House";
  }
  // The Library of Congress's own items (source code 9) name the chamber in their text
  // ("Passed/agreed to in House: ..."); without it a House passage recorded only there
  // would never count towards passing both chambers.
  std::string lower = ascii_lower(text);
  for (auto [chamber, words] : {std::pair{"House", "house"}, std::pair{"Senate", "senate"}}) {
    for (const char* lead : {"in ", "passed "}) {
      std::string phrase = std::string(lead) + words;
      // A whole word: "in house" must not match "in housing".
      for (auto at = lower.find(phrase); at != std::string::npos; at = lower.find(phrase, at + 1)) {
        std::size_t end = at + phrase.size();
        if (end == lower.size() || !std::isalpha(static_cast<unsigned char>(lower[end]))) {
          return chamber;
        }
      }
    }
  }
  return {};
}

Bill federal_bill(int congress, std::string_view type, std::string_view number) {
  std::string t = ascii_lower(type);
  std::string upper = t;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string c = std::to_string(congress);
  Bill bill;
  bill.id = "US-" + c + "-" + upper + "-" + std::string(number);
  bill.jurisdiction = "US";
  bill.session = c;
  bill.identifier = identifier_of(t, std::string(number));
  // The bill's page for people (billwatch never fetches congress.gov: T6).
  static const std::pair<const char*, const char*> k_paths[] = {
      {"hr", "house-bill"},
      {"s", "senate-bill"},
      {"hjres", "house-joint-resolution"},
      {"sjres", "senate-joint-resolution"},
      {"hconres", "house-concurrent-resolution"},
      {"sconres", "senate-concurrent-resolution"},
      {"hres", "house-resolution"},
      {"sres", "senate-resolution"}};
  std::string path = "bill";
  for (const auto& [code, name] : k_paths) {
    if (t == code) path = name;
  }
  int tens = congress % 100;
  const char* suffix = (tens >= 11 && tens <= 13) ? "th"
                       : congress % 10 == 1       ? "st"
                       : congress % 10 == 2       ? "nd"
                       : congress % 10 == 3       ? "rd"
                                                  : "th";
  bill.url = "https://www.congress.gov/bill/" + c + suffix + "-congress/" + path + "/" +
             std::string(number);
  return bill;
}

Stage federal_action_stage(const Action& action, std::string_view type) {
  std::string text = ascii_lower(action.text);
  if (contains(text, "became public law") || contains(text, "became private law") ||
      type == "BecameLaw") {
    return stage::k_enacted;
  }
  if (contains(text, "vetoed by president") || contains(text, "pocket vetoed") || type == "Veto") {
    return stage::k_vetoed;
  }
  if (contains(text, "presented to president") || type == "President") return stage::k_to_executive;
  // Congress.gov's passage wordings; not "motion to proceed ... agreed to in Senate".
  if (contains(text, "passed senate") || contains(text, "passed/agreed to in") ||
      contains(text, "passed house") || contains(text, "resolution agreed to in") ||
      contains(text, "on passage passed")) {
    return stage::k_passed_one_chamber;
  }
  if (contains(text, "reported by") || contains(text, "reported to") ||
      contains(text, "reported with") || contains(text, "reported without") ||
      contains(text, "ordered to be reported")) {
    return stage::k_reported;
  }
  if (contains(text, "referred to") || type == "IntroReferral") {
    return contains(text, "introduced") ? stage::k_introduced : stage::k_in_committee;
  }
  if (contains(text, "introduced in")) return stage::k_introduced;
  return {};
}

Stage federal_stage(const std::vector<Action>& actions) {
  return furthest_stage(actions);
}

namespace {

// The largest BILLSTATUS file is a few megabytes and the deepest nests about ten
// elements; these bounds leave room and stop hostile files early.
constexpr std::size_t k_max_xml_bytes = 64u << 20;
constexpr std::size_t k_max_xml_depth = 256;

// The document's deepest element nesting, walked without recursion.
std::size_t xml_depth(const pugi::xml_document& document) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  pugi::xml_node node = document.first_child();
  while (node) {
    deepest = std::max(deepest, depth + 1);
    if (node.first_child()) {
      node = node.first_child();
      ++depth;
      continue;
    }
    while (node && !node.next_sibling()) {
      node = node.parent();
      if (depth == 0) return deepest;
      --depth;
    }
    if (node) node = node.next_sibling();
  }
  return deepest;
}

// Parses `xml` into `document`; a Failure says what is wrong and at which byte.
Status load_xml(std::string_view xml, pugi::xml_document& document) {
  if (xml.size() > k_max_xml_bytes) {
    return Failure{"XML document of " + std::to_string(xml.size()) + " bytes is larger than " +
                   std::to_string(k_max_xml_bytes >> 20) + " MiB; not read"};
  }
  // pugixml parses without recursion, so a deep document is safe to parse and then measure.
  pugi::xml_parse_result parsed = document.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return Failure{std::string("not well-formed XML: ") + parsed.description() + " at byte " +
                   std::to_string(parsed.offset)};
  }
  if (xml_depth(document) > k_max_xml_depth) {
    document.reset();
    return Failure{"XML nesting is deeper than " + std::to_string(k_max_xml_depth) +
                   " elements; not read"};
  }
  return Ok{};
}

}  // namespace

Result<std::vector<SitemapEntry>> parse_sitemap(std::string_view xml) {
  pugi::xml_document document;
  if (Status loaded = load_xml(xml, document); !loaded) return loaded.failure();
  pugi::xml_node root = document.document_element();
  std::string_view name = root.name();
  const char* item = name == "urlset" ? "url" : name == "sitemapindex" ? "sitemap" : nullptr;
  if (!item) {
    return Failure{std::string("not a sitemap (its root element is <") + root.name() + ">)"};
  }
  std::vector<SitemapEntry> entries;
  for (pugi::xml_node node : root.children(item)) {
    SitemapEntry entry{node.child_value("loc"), node.child_value("lastmod")};
    if (!entry.loc.empty()) entries.push_back(std::move(entry));
  }
  return entries;
}

Result<BillStatus> parse_billstatus(std::string_view xml) {
  pugi::xml_document document;
  if (Status loaded = load_xml(xml, document); !loaded) return loaded.failure();
  pugi::xml_node root = document.document_element();
  if (std::string_view(root.name()) != "billStatus") {
    return Failure{std::string("not a BILLSTATUS document (its root element is <") + root.name() +
                   ">)"};
  }
  pugi::xml_node bill = root.child("bill");
  if (!bill) return Failure{"BILLSTATUS document without a <bill>"};

  BillStatus status;
  status.number = text_of(first_child(bill, {"number", "billNumber"}));
  status.type = ascii_lower(text_of(first_child(bill, {"type", "billType"})));
  std::string congress = bill.child_value("congress");
  if (status.number.empty() || status.type.empty() || congress.empty()) {
    return Failure{"BILLSTATUS <bill> without number, type or congress"};
  }
  int congress_number = 0;
  auto [end, error] =
      std::from_chars(congress.data(), congress.data() + congress.size(), congress_number);
  if (error != std::errc() || end != congress.data() + congress.size() || congress_number < 1 ||
      congress_number > 999) {
    return Failure{"BILLSTATUS <congress> is not a Congress number: '" + congress + "'"};
  }
  status.congress = congress_number;
  status.bill = federal_bill(status.congress, status.type, status.number);
  status.bill.title = bill.child_value("title");
  status.introduced_date = bill.child_value("introducedDate");
  status.update_date = bill.child_value("updateDate");
  status.origin_chamber = bill.child_value("originChamber");

  for (pugi::xml_node item : bill.child("sponsors").children("item")) {
    std::string name = item.child_value("fullName");
    if (!name.empty()) status.sponsors.push_back(name);
  }
  if (!status.sponsors.empty()) status.bill.sponsor = status.sponsors.front();
  for (pugi::xml_node item : bill.child("cosponsors").children("item")) {
    (void)item;
    ++status.cosponsors;
  }
  for (pugi::xml_node item : bill.child("titles").children("item")) {
    std::string title = item.child_value("title");
    if (!title.empty() &&
        std::find(status.titles.begin(), status.titles.end(), title) == status.titles.end()) {
      status.titles.push_back(std::move(title));
    }
  }
  status.summary = latest_summary(bill.child("summaries"));
  status.policy_area = bill.child("policyArea").child_value("name");
  pugi::xml_node subjects = bill.child("subjects");
  for (pugi::xml_node item :
       first_child(subjects, {"legislativeSubjects", "billSubjects"}).children("item")) {
    status.subjects.push_back(item.child_value("name"));
  }
  if (pugi::xml_node nested = subjects.child("billSubjects").child("legislativeSubjects")) {
    for (pugi::xml_node item : nested.children("item"))
      status.subjects.push_back(item.child_value("name"));
  }
  pugi::xml_node committees = bill.child("committees");
  pugi::xml_node committee_list =
      committees.child("billCommittees") ? committees.child("billCommittees") : committees;
  for (pugi::xml_node item : committee_list.children("item")) {
    std::string name = item.child_value("name");
    if (!name.empty()) status.committees.push_back(name);
  }
  for (pugi::xml_node item : bill.child("laws").children("item")) {
    status.laws.push_back(std::string(item.child_value("type")) + " " + item.child_value("number"));
  }

  // Actions come newest first, but not strictly (data-sources T8): sort by date and time,
  // keeping the file's reversed order among equals.
  struct Timed {
    Action action;
    std::string time;
  };
  std::vector<Timed> timed;
  for (pugi::xml_node item : bill.child("actions").children("item")) {
    Action action;
    action.date = date_part(item.child_value("actionDate"));
    action.text = item.child_value("text");
    action.chamber = chamber_of(item);
    if (action.date.empty() && action.text.empty()) continue;
    action.code = item.child_value("actionCode");
    action.type = item.child_value("type");
    action.stage = federal_action_stage(action, action.type);
    timed.push_back({std::move(action), item.child_value("actionTime")});
  }
  std::reverse(timed.begin(), timed.end());
  std::stable_sort(timed.begin(), timed.end(), [](const Timed& a, const Timed& b) {
    if (a.action.date != b.action.date) return a.action.date < b.action.date;
    if (!a.time.empty() && !b.time.empty()) return a.time < b.time;
    return false;
  });
  for (auto& t : timed) status.actions.push_back(std::move(t.action));
  status.stage = federal_stage(status.actions);
  if (!status.laws.empty() && status.stage != stage::k_enacted) status.stage = stage::k_enacted;
  keep_stage_moves(status.actions);

  if (pugi::xml_node latest = bill.child("latestAction")) {
    status.latest_action.date = date_part(latest.child_value("actionDate"));
    status.latest_action.text = latest.child_value("text");
  }

  for (pugi::xml_node item : bill.child("textVersions").children("item")) {
    TextVersionRef version;
    version.type = item.child_value("type");
    version.date = washington_date(item.child_value("date"));
    version.url = item.child("formats").child("item").child_value("url");
    if (version.type.empty() && version.url.empty()) continue;  // the empty item of 3.0.0
    status.text_versions.push_back(std::move(version));
  }
  return status;
}

}  // namespace billwatch::sources
