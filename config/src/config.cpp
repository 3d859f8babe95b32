#include "billwatch/config/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "billwatch/config/example_config_text.hpp"

namespace billwatch::config {

namespace {

std::string location(const std::string& file, const toml::source_region& where) {
  return file + ":" + std::to_string(where.begin.line);
}

// Reads one TOML table, remembering which keys were consumed so that unknown keys (usually
// typos) are reported instead of silently ignored.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string file, std::string prefix)
      : m_table(table), m_file(std::move(file)), m_prefix(std::move(prefix)) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& key,
                         const std::string& what) const {
    throw ConfigError(location(m_file, where) + ": " + m_prefix + key + ": " + what);
  }
  [[noreturn]] void fail_missing(const std::string& key) const {
    fail(m_table.source(), key, "required key is missing");
  }

  const toml::node* get(const std::string& key) {
    m_known.insert(key);
    return m_table.get(key);
  }

  std::optional<std::string> string(const std::string& key) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    if (!node->is_string()) fail(node->source(), key, "expected a string");
    return node->as_string()->get();
  }

  std::string required_string(const std::string& key) {
    auto value = string(key);
    if (!value) fail_missing(key);
    if (value->empty()) fail(m_table.get(key)->source(), key, "must not be empty");
    return *value;
  }

  void integer(const std::string& key, int& out, int min, int max) {
    const toml::node* node = get(key);
    if (!node) return;
    if (!node->is_integer()) fail(node->source(), key, "expected an integer");
    std::int64_t value = node->as_integer()->get();
    if (value < min || value > max) {
      fail(node->source(), key,
           "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
               std::to_string(value));
    }
    out = static_cast<int>(value);
  }

  void boolean(const std::string& key, bool& out) {
    const toml::node* node = get(key);
    if (!node) return;
    if (!node->is_boolean()) fail(node->source(), key, "expected true or false");
    out = node->as_boolean()->get();
  }

  std::optional<std::vector<std::string>> string_array(const std::string& key) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    const toml::array* array = node->as_array();
    if (!array) fail(node->source(), key, "expected an array of strings");
    std::vector<std::string> out;
    for (const toml::node& item : *array) {
      if (!item.is_string()) fail(item.source(), key, "expected an array of strings");
      out.push_back(item.as_string()->get());
    }
    return out;
  }

  // Call after reading every key this table may hold.
  void reject_unknown_keys() const {
    for (auto&& [key, node] : m_table) {
      std::string name(key.str());
      if (!m_known.count(name)) fail(node.source(), name, "unknown key");
    }
  }

  const toml::source_region& source() const { return m_table.source(); }
  const std::string& file() const { return m_file; }

 private:
  const toml::table& m_table;
  std::string m_file;
  std::string m_prefix;
  std::set<std::string> m_known;
};

const toml::table* sub_table(TableReader& root, const std::string& key) {
  const toml::node* node = root.get(key);
  if (!node) return nullptr;
  if (!node->is_table()) root.fail(node->source(), key, "expected a table ([" + key + "])");
  return node->as_table();
}

bool is_http_url(const std::string& url) {
  return (url.rfind("http://", 0) == 0 && url.size() > 7) ||
         (url.rfind("https://", 0) == 0 && url.size() > 8);
}

// A list of URLs is bounded like any input: a regular file (not /dev/zero, not a FIFO
// that would hang every command), at most k_max_urls_file_bytes, lines of at most
// k_max_url_bytes that are http(s) URLs. Errors name the file and line, never echo the
// line (it may be anything: binary, escape sequences).
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

SourceConfig read_source(const toml::table& table, const std::string& file, std::size_t index,
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

std::vector<std::string> source_type_names() {
  std::vector<std::string> names;
  for (const auto& known : k_source_options) names.emplace_back(known.type);
  return names;
}

Config default_config() {
  Config config;
  config.origin = "(built-in defaults)";
  return config;
}

Config parse_config(const std::string& text, const std::string& name, const std::string& base_dir) {
  if (text.size() > k_max_config_bytes) {
    throw ConfigError(name + ": file is " + std::to_string(text.size()) +
                      " bytes; a config file may be at most " + std::to_string(k_max_config_bytes) +
                      " bytes");
  }
  toml::table root;
  try {
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    throw ConfigError(name + ":" + std::to_string(e.source().begin.line) + ": " +
                      std::string(e.description()));
  }

  Config config = default_config();
  config.origin = name;
  TableReader top(root, name, "");

  if (const toml::table* table = sub_table(top, "database")) {
    TableReader reader(*table, name, "database.");
    config.database.path = reader.string("path").value_or(config.database.path);
    config.database.base_dir = base_dir;
    if (config.database.path.empty()) reader.fail(table->source(), "path", "must not be empty");
    reader.reject_unknown_keys();
  }

  if (const toml::table* table = sub_table(top, "crawler")) {
    TableReader reader(*table, name, "crawler.");
    auto& crawler = config.crawler;
    crawler.user_agent = reader.string("user_agent").value_or(crawler.user_agent);
    reader.integer("per_host_concurrency", crawler.per_host_concurrency, 1, 64);
    reader.integer("max_connections", crawler.max_connections, 1, 1024);
    reader.integer("min_delay_ms", crawler.min_delay_ms, 0, 3600000);
    reader.boolean("respect_robots", crawler.respect_robots);
    reader.integer("max_crawl_delay_s", crawler.max_crawl_delay_s, 0, 3600);
    reader.integer("timeout_s", crawler.timeout_s, 1, 3600);
    reader.integer("connect_timeout_s", crawler.connect_timeout_s, 1, 600);
    reader.integer("max_body_mb", crawler.max_body_mb, 1, 1024);
    reader.integer("max_retries", crawler.max_retries, 0, 10);
    reader.integer("retry_base_ms", crawler.retry_base_ms, 1, 600000);
    reader.integer("max_retry_after_s", crawler.max_retry_after_s, 0, 86400);
    reader.integer("max_links_per_page", crawler.max_links_per_page, 1, 10000);
    if (auto allowed = reader.string_array("allow_private")) crawler.allow_private = *allowed;
    if (auto ca_file = reader.string("ca_file"); ca_file && !ca_file->empty()) {
      std::filesystem::path path(*ca_file);
      if (path.is_relative()) path = std::filesystem::path(base_dir) / path;
      std::error_code ec;
      if (!std::filesystem::is_regular_file(path, ec)) {
        reader.fail(table->get("ca_file")->source(), "ca_file",
                    "no such file '" + path.string() + "'");
      }
      crawler.ca_file = path.string();
    }
    if (const toml::table* hosts = sub_table(reader, "hosts")) {
      for (auto&& [host_key, node] : *hosts) {
        std::string host(host_key.str());
        if (!node.is_table()) {
          reader.fail(node.source(), "hosts." + host,
                      "expected a table ([crawler.hosts.\"" + host + "\"])");
        }
        TableReader host_reader(*node.as_table(), reader.file(), "crawler.hosts.\"" + host + "\".");
        HostConfig host_config;
        host_reader.integer("min_delay_ms", host_config.min_delay_ms, 0, 3600000);
        host_reader.integer("per_host_concurrency", host_config.per_host_concurrency, 1, 64);
        host_reader.reject_unknown_keys();
        crawler.hosts[host] = host_config;
      }
    }
    reader.reject_unknown_keys();
  }

  if (const toml::table* table = sub_table(top, "smtp")) {
    TableReader reader(*table, name, "smtp.");
    SmtpConfig smtp;
    smtp.url = reader.required_string("url");
    if (smtp.url.rfind("smtp://", 0) != 0 && smtp.url.rfind("smtps://", 0) != 0) {
      reader.fail(table->get("url")->source(), "url",
                  "expected an smtp:// or smtps:// URL, got '" + smtp.url + "'");
    }
    smtp.from = reader.required_string("from");
    smtp.username = reader.string("username").value_or("");
    smtp.password_env = reader.string("password_env").value_or("");
    if (auto file = reader.string("password_file"); file && !file->empty()) {
      std::filesystem::path path(*file);
      if (path.is_relative()) path = std::filesystem::path(base_dir) / path;
      smtp.password_file = path.string();
    }
    if (auto starttls = reader.string("starttls")) {
      if (*starttls != "required" && *starttls != "when_offered" && *starttls != "never") {
        reader.fail(
            table->get("starttls")->source(), "starttls",
            "expected \"required\", \"when_offered\" or \"never\", got '" + *starttls + "'");
      }
      smtp.starttls_required = *starttls == "required";
      smtp.starttls_never = *starttls == "never";
    }
    // A password goes only over TLS: a server that does not offer STARTTLS (or anyone on
    // the path who strips it) would otherwise receive it in AUTH PLAIN.
    if (!smtp.username.empty() && !smtp.starttls_never) smtp.starttls_required = true;
    {
      // smtp://user:pass@host would put the password in logs, `outbox` and the database.
      std::string_view url = smtp.url;
      std::size_t authority = url.find("://");
      authority = authority == std::string_view::npos ? 0 : authority + 3;
      std::size_t end = url.find_first_of("/?#", authority);
      if (url.substr(authority, end == std::string_view::npos ? url.npos : end - authority)
              .find('@') != std::string_view::npos) {
        reader.fail(table->get("url")->source(), "url",
                    "credentials do not go in the URL (they would show in logs and the "
                    "database): set username, and password_env or password_file");
      }
    }
    reader.boolean("insecure_skip_verify", smtp.insecure_skip_verify);
    reader.reject_unknown_keys();
    config.smtp = smtp;
  }

  if (const toml::table* table = sub_table(top, "notifier")) {
    TableReader reader(*table, name, "notifier.");
    config.notifier.secret_env = reader.string("secret_env").value_or("");
    reader.integer("digest_hour", config.notifier.digest_hour, 0, 23);
    reader.reject_unknown_keys();
  }

  if (const toml::table* table = sub_table(top, "web")) {
    TableReader reader(*table, name, "web.");
    config.web.base_url = reader.string("base_url").value_or("");
    if (config.web.base_url.rfind("https://", 0) != 0 || config.web.base_url.size() <= 8) {
      reader.fail(table->source(), "base_url",
                  "expected an https:// URL (one-click unsubscribe links must be https)");
    }
    reader.reject_unknown_keys();
  }

  if (const toml::node* node = top.get("source")) {
    const toml::array* array = node->as_array();
    if (!array) top.fail(node->source(), "source", "expected [[source]] tables");
    std::set<std::string> names;
    for (std::size_t i = 0; i < array->size(); ++i) {
      const toml::node& item = *array->get(i);
      if (!item.is_table()) top.fail(item.source(), "source", "expected [[source]] tables");
      SourceConfig source = read_source(*item.as_table(), name, i, base_dir);
      if (!names.insert(source.name).second) {
        throw ConfigError(source.origin + ": source[" + std::to_string(i) + "].name: '" +
                          source.name + "' is used by another source");
      }
      config.sources.push_back(std::move(source));
    }
  }

  top.reject_unknown_keys();
  return config;
}

Config load_config(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) throw ConfigError(path + ": cannot read config file: " + ec.message());
  if (size > k_max_config_bytes) {
    throw ConfigError(path + ": file is " + std::to_string(size) +
                      " bytes; a config file may be at most " + std::to_string(k_max_config_bytes) +
                      " bytes");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open config file");
  std::ostringstream text;
  text << in.rdbuf();
  std::string base_dir = std::filesystem::path(path).parent_path().string();
  if (base_dir.empty()) base_dir = ".";
  return parse_config(text.str(), path, base_dir);
}

const char* example_config_text() {
  return detail::k_example_config;
}

}  // namespace billwatch::config
