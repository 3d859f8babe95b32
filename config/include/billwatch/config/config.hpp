#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "billwatch/core/error.hpp"

namespace billwatch::config {

// A configuration that cannot be used. what() reads "FILE:LINE: key: what is wrong".
class ConfigError : public billwatch::Error {
 public:
  using billwatch::Error::Error;
};

struct DatabaseConfig {
  std::string path = "billwatch.db";  // resolved by resolve_database_path()
};

// Politeness towards one host ([crawler.hosts."app.leg.wa.gov"]); -1 keeps the default.
struct HostConfig {
  int min_delay_ms = -1;
  int per_host_concurrency = -1;
};

struct CrawlerConfig {
  std::string user_agent = "billwatch/0.1 (+https://github.com/billwatch)";
  int per_host_concurrency = 4;
  int max_connections = 16;
  int min_delay_ms = 100;
  bool respect_robots = true;
  int max_crawl_delay_s = 60;
  int timeout_s = 30;
  int connect_timeout_s = 10;
  int max_body_mb = 20;
  int max_retries = 2;
  int retry_base_ms = 1000;
  int max_retry_after_s = 120;
  std::string ca_file;  // extra PEM CA bundle (absolute, resolved against the config's folder)
  std::map<std::string, HostConfig> hosts;
};

struct SmtpConfig {
  std::string url;   // smtp://host:port or smtps://host:port
  std::string from;  // "Name <address>" or "address"
  std::string username;
  std::string password_env;  // name of the environment variable holding the password
};

// One configured source. This release knows `type = "html"`: pages read as bill text.
struct SourceConfig {
  std::string type;
  std::string name;
  std::string jurisdiction;  // USPS code or "US"
  std::string bill_id;       // optional; derived from name (and URL) when empty
  std::vector<std::string> urls;
  std::string origin;  // "FILE:LINE" of the [[source]] table, for messages
};

struct Config {
  std::string origin;  // the file it was read from, or "(built-in defaults)"
  DatabaseConfig database;
  CrawlerConfig crawler;
  std::optional<SmtpConfig> smtp;
  std::vector<SourceConfig> sources;
};

// The configuration used when no config file exists: no sources, no mail.
Config default_config();

// Parses TOML text. `name` is used in error messages (usually the file path); relative
// `urls_file` paths are read from `base_dir`. Throws ConfigError.
Config parse_config(const std::string& text, const std::string& name, const std::string& base_dir);

// Reads and parses a config file. Throws ConfigError (unreadable, too large, or invalid).
Config load_config(const std::string& path);

// The fully commented example configuration (config/billwatch.example.toml).
const char* example_config_text();

// Largest config file accepted; a larger one is almost certainly not a config.
inline constexpr std::size_t k_max_config_bytes = 1 << 20;

}  // namespace billwatch::config
