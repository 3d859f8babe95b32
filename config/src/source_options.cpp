// The [[source]] tables: the options of each source type, one reader each.
#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "table_reader.hpp"

namespace billwatch::config::detail {

namespace {

constexpr std::uintmax_t k_max_urls_file_bytes = 4u << 20;
constexpr std::size_t k_max_url_bytes = 2048;

std::vector<std::string> read_urls_file(const std::string& path, const std::string& where) {
  std::error_code error;
  auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    throw ConfigError(where + ": urls_file: cannot read '" + path + "'");
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw ConfigError(where + ": urls_file: '" + path + "' is not a regular file");
  }
  if (std::filesystem::file_size(path, error) > k_max_urls_file_bytes || error) {
    throw ConfigError(where + ": urls_file: '" + path + "' is larger than " +
                      std::to_string(k_max_urls_file_bytes >> 20) + " MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(where + ": urls_file: cannot read '" + path + "'");
  std::vector<std::string> urls;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    std::string at = path + ":" + std::to_string(number) + ": url: ";
    if (line.size() > k_max_url_bytes) {
      throw ConfigError(at + "the line is longer than " + std::to_string(k_max_url_bytes) +
                        " bytes");
    }
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    auto last = line.find_last_not_of(" \t\r");
    std::string url = line.substr(first, last - first + 1);
    bool printable = std::all_of(url.begin(), url.end(), [](char c) {
      auto u = static_cast<unsigned char>(c);
      return u > 0x20 && u < 0x7F;
    });
    if (!printable || !is_http_url(url)) {
      throw ConfigError(at + "not an http:// or https:// URL (one URL a line, '#' comments)");
    }
    urls.push_back(url);
  }
  return urls;
}

bool is_jurisdiction(const std::string& code) {
  return code.size() == 2 && std::isupper(static_cast<unsigned char>(code[0])) &&
         std::isupper(static_cast<unsigned char>(code[1]));
}

bool is_bill_type(const std::string& type) {
  for (const char* known : {"hr", "s", "hjres", "sjres", "hconres", "sconres", "hres", "sres"}) {
    if (type == known) return true;
  }
  return false;
}

// "US-119-HR-6617": jurisdiction, Congress, type, number.
bool is_federal_bill_id(const std::string& id) {
  if (id.rfind("US-", 0) != 0) return false;
  auto second = id.find('-', 3);
  auto third = second == std::string::npos ? second : id.find('-', second + 1);
  if (third == std::string::npos) return false;
  std::string congress = id.substr(3, second - 3);
  std::string type = id.substr(second + 1, third - second - 1);
  std::string number = id.substr(third + 1);
  auto digits = [](const std::string& s, std::size_t max) {
    return !s.empty() && s.size() <= max &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  std::string lower = type;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return digits(congress, 3) && digits(number, 6) && is_bill_type(lower) && lower != type;
}

void read_congress_options(TableReader& reader, const toml::table& table,
                           CongressSourceConfig& congress) {
  if (const toml::node* node = reader.get("congresses")) {
    const toml::array* array = node->as_array();
    if (!array) reader.fail(node->source(), "congresses", "expected an array of integers");
    for (const toml::node& item : *array) {
      if (!item.is_integer())
        reader.fail(item.source(), "congresses", "expected an array of integers");
      std::int64_t value = item.as_integer()->get();
      // BILLSTATUS starts with the 108th Congress (2003).
      if (value < 108 || value > 200) {
        reader.fail(item.source(), "congresses",
                    "must be between 108 (the first in govinfo's bulk data) and 200, got " +
                        std::to_string(value));
      }
      congress.congresses.push_back(static_cast<int>(value));
    }
  }
  if (auto types = reader.string_array("bill_types")) {
    for (const auto& type : *types) {
      if (!is_bill_type(type)) {
        reader.fail(table.get("bill_types")->source(), "bill_types",
                    "unknown bill type '" + type +
                        "' (expected hr, s, hjres, sjres, hconres, sconres, hres or sres)");
      }
    }
    if (types->empty()) reader.fail(table.get("bill_types")->source(), "bill_types", "is empty");
    congress.bill_types = *types;
  }
  if (auto track = reader.string_array("track")) {
    for (const auto& id : *track) {
      if (!is_federal_bill_id(id)) {
        reader.fail(table.get("track")->source(), "track",
                    "'" + id + "' is not a federal bill id such as \"US-119-HR-6617\"");
      }
    }
    congress.track = *track;
  }
  for (auto [key, target] : {std::pair{"base_url", &congress.base_url},
                             std::pair{"api_base_url", &congress.api_base_url},
                             std::pair{"govinfo_api_url", &congress.govinfo_api_url}}) {
    if (auto url = reader.string(key)) {
      if (!is_http_url(*url)) {
        reader.fail(table.get(key)->source(), key,
                    "'" + *url + "' is not an http:// or https:// URL");
      }
      *target = *url;
    }
  }
  congress.api_key_env = reader.string("api_key_env").value_or(congress.api_key_env);
  congress.govinfo_api_key_env =
      reader.string("govinfo_api_key_env").value_or(congress.govinfo_api_key_env);
  reader.integer("api_requests_per_hour", congress.api_requests_per_hour, 1, 100000);
  if (auto terms = reader.string_array("topic_terms")) congress.topic_terms = *terms;
  reader.boolean("scan_text", congress.scan_text);
}

bool is_state_bill_id(const std::string& id) {
  // "WA-2025-HB-1795": state, session key, letters, number.
  auto first = id.find('-');
  if (first != 2 || !is_jurisdiction(id.substr(0, 2))) return false;
  auto last = id.rfind('-');
  if (last == std::string::npos || last <= first) return false;
  auto middle = id.rfind('-', last - 1);
  if (middle == std::string::npos || middle <= first) return false;
  std::string letters = id.substr(middle + 1, last - middle - 1);
  std::string number = id.substr(last + 1);
  return !letters.empty() && !number.empty() &&
         std::all_of(letters.begin(), letters.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) &&
         std::all_of(number.begin(), number.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The options LegiScan and Open States share; the defaults are each service's.
void read_state_api_options(TableReader& reader, const toml::table& table,
                            StateApiSourceConfig& api) {
  if (auto url = reader.string("base_url")) {
    if (!is_http_url(*url)) {
      reader.fail(table.get("base_url")->source(), "base_url",
                  "'" + *url + "' is not an http:// or https:// URL");
    }
    api.base_url = *url;
  }
  api.api_key_env = reader.string("api_key_env").value_or(api.api_key_env);
  if (auto states = reader.string_array("states")) {
    for (const auto& state : *states) {
      if (!is_jurisdiction(state) || state == "US") {
        reader.fail(table.get("states")->source(), "states",
                    "expected two-letter state codes such as \"WA\", got '" + state + "'");
      }
    }
    api.states = *states;
  }
  api.query = reader.string("query").value_or(api.query);
  if (api.query.empty()) reader.fail(table.get("query")->source(), "query", "must not be empty");
  if (auto terms = reader.string_array("topic_terms")) api.topic_terms = *terms;
  if (auto track = reader.string_array("track")) {
    for (const auto& id : *track) {
      if (!is_state_bill_id(id)) {
        reader.fail(table.get("track")->source(), "track",
                    "'" + id + "' is not a state bill id such as \"WA-2025-HB-1795\"");
      }
    }
    api.track = *track;
  }
}

// Where one source table is read: its file and position, and the folder relative paths
// start from.
struct SourceTable {
  const toml::table& table;
  const std::string& file;
  std::size_t index;
  const std::string& base_dir;
};

void read_congress_source(TableReader& reader, const SourceTable& at, SourceConfig& source) {
  source.jurisdiction = reader.string("jurisdiction").value_or("US");
  if (source.jurisdiction != "US") {
    reader.fail(at.table.get("jurisdiction")->source(), "jurisdiction",
                "a congress source is always \"US\"");
  }
  read_congress_options(reader, at.table, source.congress);
}

void read_legiscan_source(TableReader& reader, const SourceTable& at, SourceConfig& source) {
  source.state_api.base_url = "https://api.legiscan.com/";
  source.state_api.api_key_env = "LEGISCAN_API_KEY";
  read_state_api_options(reader, at.table, source.state_api);
  reader.integer("monthly_query_budget", source.state_api.monthly_query_budget, 1, 10000000);
}

void read_openstates_source(TableReader& reader, const SourceTable& at, SourceConfig& source) {
  source.state_api.base_url = "https://v3.openstates.org";
  source.state_api.api_key_env = "OPENSTATES_API_KEY";
  read_state_api_options(reader, at.table, source.state_api);
  reader.integer("requests_per_minute", source.state_api.requests_per_minute, 1, 10000);
  reader.integer("requests_per_day", source.state_api.requests_per_day, 1, 10000000);
}

void read_page_source(TableReader& reader, const SourceTable& at, SourceConfig& source);

// The options of each source type. The types are the sources registry's
// (sources/registry.cpp); a test keeps the two lists equal.
struct SourceOptions {
  const char* type;
  void (*read)(TableReader&, const SourceTable&, SourceConfig&);
};
constexpr std::array<SourceOptions, 4> k_source_options = {{
    {"html", read_page_source},
    {"congress", read_congress_source},
    {"legiscan", read_legiscan_source},
    {"openstates", read_openstates_source},
}};

SourceConfig read_source_table(const toml::table& table, const std::string& file, std::size_t index,
                               const std::string& base_dir) {
  TableReader reader(table, file, "source[" + std::to_string(index) + "].");
  SourceConfig source;
  source.origin = location(file, table.source());
  source.type = reader.required_string("type");
  const SourceOptions* options = nullptr;
  for (const auto& known : k_source_options) {
    if (source.type == known.type) options = &known;
  }
  if (!options) {
    std::string names;
    for (const auto& known : k_source_options)
      names += (names.empty() ? "" : ", ") + std::string(known.type);
    reader.fail(table.get("type")->source(), "type",
                "unknown source type '" + source.type + "' (this version supports: " + names + ")");
  }
  source.name = reader.required_string("name");
  options->read(reader, SourceTable{table, file, index, base_dir}, source);
  reader.reject_unknown_keys();
  return source;
}

void read_page_source(TableReader& reader, const SourceTable& at, SourceConfig& source) {
  const toml::table& table = at.table;
  const std::string& file = at.file;
  std::size_t index = at.index;
  const std::string& base_dir = at.base_dir;
  source.jurisdiction = reader.required_string("jurisdiction");
  if (!is_jurisdiction(source.jurisdiction)) {
    reader.fail(table.get("jurisdiction")->source(), "jurisdiction",
                "expected a two-letter upper-case code such as \"WA\" or \"US\", got '" +
                    source.jurisdiction + "'");
  }
  source.bill_id = reader.string("bill_id").value_or("");

  auto urls = reader.string_array("urls");
  auto urls_file = reader.string("urls_file");
  if (!urls && !urls_file) reader.fail_missing("urls");
  if (urls) {
    for (const auto& url : *urls) {
      if (!is_http_url(url)) {
        reader.fail(table.get("urls")->source(), "urls",
                    "'" + url + "' is not an http:// or https:// URL");
      }
      source.urls.push_back(url);
    }
  }
  if (urls_file) {
    std::filesystem::path path(*urls_file);
    if (path.is_relative()) path = std::filesystem::path(base_dir) / path;
    auto more = read_urls_file(path.string(), location(file, table.get("urls_file")->source()));
    source.urls.insert(source.urls.end(), more.begin(), more.end());
  }
  if (source.urls.empty()) reader.fail(table.source(), "urls", "the source lists no URL");
  if (const toml::table* selectors = sub_table(reader, "selectors")) {
    TableReader selector_reader(*selectors, file,
                                "source[" + std::to_string(index) + "].selectors.");
    SelectorsConfig& s = source.selectors;
    for (auto [key, target] :
         {std::pair{"title", &s.title}, std::pair{"status", &s.status},
          std::pair{"actions", &s.actions}, std::pair{"action_date", &s.action_date},
          std::pair{"action_text", &s.action_text}, std::pair{"text", &s.text},
          std::pair{"versions", &s.versions}}) {
      if (auto value = selector_reader.string(key)) {
        if (value->empty()) {
          selector_reader.fail(selectors->get(key)->source(), key, "must not be empty");
        }
        *target = *value;
        s.origin[key] = location(file, selectors->get(key)->source());
      }
    }
    if ((!s.action_date.empty() || !s.action_text.empty()) && s.actions.empty()) {
      selector_reader.fail(selectors->source(), "actions",
                           "action_date and action_text need an actions selector");
    }
    selector_reader.reject_unknown_keys();
    if (s.empty()) selector_reader.fail(selectors->source(), "title", "no selector given");
  }
  reader.integer("selector_failure_runs", source.selector_failure_runs, 1, 100);
  if (auto hosts = reader.string_array("link_hosts")) source.link_hosts = *hosts;
  if (!source.bill_id.empty() && source.urls.size() > 1) {
    reader.fail(table.get("bill_id")->source(), "bill_id",
                "only allowed on a source with exactly one URL");
  }
}

}  // namespace

SourceConfig read_source(const toml::table& table, const std::string& file, std::size_t index,
                         const std::string& base_dir) {
  return read_source_table(table, file, index, base_dir);
}

}  // namespace billwatch::config::detail

namespace billwatch::config {

std::vector<std::string> source_type_names() {
  std::vector<std::string> names;
  for (const auto& known : detail::k_source_options) names.emplace_back(known.type);
  return names;
}

}  // namespace billwatch::config
