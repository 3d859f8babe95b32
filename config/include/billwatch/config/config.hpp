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
  std::string base_dir;               // the config file's directory; "" for built-in defaults
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
  // Hosts billwatch may reach although they are (or resolve to) internal addresses:
  // loopback, private, link-local. Empty: none (tests and the demo allow 127.0.0.1).
  std::vector<std::string> allow_private;
  int max_links_per_page = 50;  // version links followed from one page or API answer
};

struct SmtpConfig {
  std::string url;   // smtp://host:port or smtps://host:port
  std::string from;  // "Name <address>" or "address"
  std::string username;
  std::string password_env;        // name of the environment variable holding the password
  std::string password_file = {};  // or a file (mode 0600) holding it; absolute
  // starttls = "required" (and always with a username, so a password never travels in
  // clear text): never send without STARTTLS; "never": plain text, warned about every run.
  bool starttls_required = false;
  bool starttls_never = false;
  bool insecure_skip_verify = false;  // test servers only: certificates not checked
};

// `type = "congress"`: every federal bill of the chosen Congresses through govinfo's
// BILLSTATUS bulk data (no key), followed when it is on topic or listed in `track`.
struct CongressSourceConfig {
  std::vector<int> congresses;  // empty: the Congress in session on the day of the run
  std::vector<std::string> bill_types = {"hr", "s", "hjres", "sjres"};
  std::vector<std::string> track;  // "US-119-HR-6617": always followed, any Congress
  std::string base_url = "https://www.govinfo.gov";
  // Optional api.congress.gov v3, when the variable named by api_key_env holds a key: the
  // bills changed since the last run, and fresher actions and text lists for followed ones.
  std::string api_base_url = "https://api.congress.gov/v3";
  std::string api_key_env = "CONGRESS_API_KEY";
  int api_requests_per_hour = 5000;  // the key's limit; billwatch stays under it
  // Optional api.govinfo.gov, when govinfo_api_key_env holds a key: its changed-since list
  // of BILLSTATUS packages replaces the sitemaps (GPO's recommended way).
  std::string govinfo_api_url = "https://api.govinfo.gov";
  std::string govinfo_api_key_env = "GOVINFO_API_KEY";
  // Phrases that put a bill on topic beside the built-in restraint/seclusion screen
  // (case-insensitive, matched against titles, subjects and the latest summary).
  std::vector<std::string> topic_terms = {"keeping all students safe"};
  // Also fetch the newest text of bills that are not on topic by their metadata and
  // follow those whose text the analyzer finds relevant (costs one text fetch per bill).
  bool scan_text = false;
};

// `type = "legiscan"` or `type = "openstates"`: the national services that cover every
// state. Bills matching `query` (and the topic screen) are followed, as are those in
// `track`; only followed bills' texts are fetched.
struct StateApiSourceConfig {
  std::string base_url;             // https://api.legiscan.com/ or https://v3.openstates.org
  std::string api_key_env;          // LEGISCAN_API_KEY or OPENSTATES_API_KEY
  std::vector<std::string> states;  // USPS codes; empty: every state
  std::string query = "restraint OR seclusion";
  std::vector<std::string> topic_terms;  // phrases that put a bill on topic
  std::vector<std::string> track;        // "WA-2025-HB-1795": always followed
  int monthly_query_budget = 30000;      // LegiScan's free tier: 30,000 a month
  int requests_per_minute = 10;          // Open States' default tier: 10 a minute,
  int requests_per_day = 250;            // 250 a day
};

// `[source.selectors]` of an html source: CSS selectors (the subset in
// crawler/html_selectors.hpp) that read a status page instead of taking its whole text.
// Empty: not used. `origin` keeps each key's FILE:LINE for messages.
struct SelectorsConfig {
  std::string title;        // the bill's title
  std::string status;       // a status line; a new status is recorded as an action
  std::string actions;      // one element per action...
  std::string action_date;  // ...with its date and text inside it
  std::string action_text;  // (default: the action element's whole text)
  std::string text;         // the bill's text, stored as a version
  std::string versions;     // links to version documents (HTML, PDF), fetched and stored
  std::map<std::string, std::string> origin;  // key -> "FILE:LINE"
  bool empty() const {
    return title.empty() && status.empty() && actions.empty() && text.empty() && versions.empty();
  }
};

// One configured source: `type = "html"` (pages read as bill text), `"congress"`,
// `"legiscan"` or `"openstates"`.
struct SourceConfig {
  std::string type;
  std::string name;
  std::string jurisdiction;  // USPS code or "US"
  std::string bill_id;       // optional; derived from name (and URL) when empty
  std::vector<std::string> urls;
  SelectorsConfig selectors;      // type = "html"
  int selector_failure_runs = 3;  // runs a selector that matched may match nothing
  // Hosts (besides the page's own registrable domain) that version links found on a page
  // may point to; a link elsewhere is not followed (type = "html" with selectors).
  std::vector<std::string> link_hosts;
  CongressSourceConfig congress;   // type = "congress"
  StateApiSourceConfig state_api;  // type = "legiscan" or "openstates"
  std::string origin;              // "FILE:LINE" of the [[source]] table, for messages
};

// [notifier]: the secret that signs unsubscribe tokens comes from this environment
// variable; without it, from a 0600 file beside the database, made on first use.
struct NotifierConfig {
  std::string secret_env;
  int digest_hour = 7;  // UTC: daily and weekly digests go out with the first run after it
};

// [web]: where a web front end answers (one-click unsubscribe links); "" when none.
struct WebConfig {
  std::string base_url;
};

struct Config {
  std::string origin;  // the file it was read from, or "(built-in defaults)"
  DatabaseConfig database;
  CrawlerConfig crawler;
  std::optional<SmtpConfig> smtp;
  NotifierConfig notifier;
  WebConfig web;
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

// The `type = "..."` names the loader accepts, each with its own options.
std::vector<std::string> source_type_names();

}  // namespace billwatch::config
