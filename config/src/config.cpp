#include "billwatch/config/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "billwatch/config/example_config_text.hpp"
#include "billwatch/core/escape.hpp"
#include "table_reader.hpp"

namespace billwatch::config {

namespace {

using namespace detail;

// The tables of the configuration, one function each.
void read_database(const toml::table* table, const std::string& name,
                   [[maybe_unused]] const std::string& base_dir, Config& config) {
  TableReader reader(*table, name, "database.");
  config.database.path = reader.string("path").value_or(config.database.path);
  config.database.base_dir = base_dir;
  if (config.database.path.empty()) reader.fail(table->source(), "path", "must not be empty");
  reader.reject_unknown_keys();
}

void read_crawler(const toml::table* table, const std::string& name,
                  [[maybe_unused]] const std::string& base_dir, Config& config) {
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

void read_smtp(const toml::table* table, const std::string& name,
               [[maybe_unused]] const std::string& base_dir, Config& config) {
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
      reader.fail(table->get("starttls")->source(), "starttls",
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

void read_notifier(const toml::table* table, const std::string& name,
                   [[maybe_unused]] const std::string& base_dir, Config& config) {
  TableReader reader(*table, name, "notifier.");
  config.notifier.secret_env = reader.string("secret_env").value_or("");
  reader.integer("digest_hour", config.notifier.digest_hour, 0, 23);
  reader.reject_unknown_keys();
}

void read_web(const toml::table* table, const std::string& name,
              [[maybe_unused]] const std::string& base_dir, Config& config) {
  TableReader reader(*table, name, "web.");
  config.web.base_url = reader.string("base_url").value_or("");
  if (!is_site_base_url(config.web.base_url)) {
    reader.fail(table->source(), "base_url",
                "expected an https:// URL (links in mails carry tokens; plain http only on "
                "loopback, for a site on this machine)");
  }
  reader.reject_unknown_keys();
}

}  // namespace

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

  if (const toml::table* table = sub_table(top, "database"))
    read_database(table, name, base_dir, config);

  if (const toml::table* table = sub_table(top, "crawler"))
    read_crawler(table, name, base_dir, config);

  if (const toml::table* table = sub_table(top, "smtp")) read_smtp(table, name, base_dir, config);

  if (const toml::table* table = sub_table(top, "notifier"))
    read_notifier(table, name, base_dir, config);

  if (const toml::table* table = sub_table(top, "web")) read_web(table, name, base_dir, config);

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
