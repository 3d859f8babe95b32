#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "billwatch/config/config.hpp"
#include "billwatch/core/error.hpp"
#include "billwatch/notifier/mail_sender.hpp"
#include "billwatch/store/store.hpp"

// What the command line hands to each command. One function per command; cli.cpp parses
// and dispatches.
namespace billwatch::app::detail {

struct Options {
  std::optional<std::string> config_path;
  bool json = false;
  bool csv = false;
  bool quiet = false;
  bool force = false;
  std::string init_path = "billwatch.toml";
  std::string email;
  std::vector<std::string> jurisdictions;
  // subscribe
  std::string name;
  std::vector<std::string> sub_bills;
  std::vector<std::string> sub_categories;
  std::vector<std::string> sub_events;
  std::vector<std::string> sub_stages;
  std::vector<std::string> sub_keywords;
  bool all_pages = false;  // subscribe: also pages found off topic
  bool confirmed = false;  // subscribe: the address agreed elsewhere; no confirmation mail
  std::string digest;      // immediate, daily, weekly
  std::string token;       // unsubscribe --token
  bool retry = false;      // outbox --retry
  std::string bill_id;
  // bills
  std::string jurisdiction;
  std::string stage;
  std::string category;
  std::string since;
  std::string as_of;
  std::string added_category;    // bills whose versions gained a provision of it
  std::string removed_category;  // ... or lost one
  // show, diff: versions by their number per bill (1, 2, 3 ...)
  bool text = false;
  std::optional<int> version;
  std::optional<int> from_version;
  std::optional<int> to_version;
  std::string section;  // "3(4)(b)": only this section
  std::string format;   // diff: text|html; export: csv|json
  std::string color = "auto";
  // search
  std::string query;
  std::size_t limit = 20;
  // serve
  std::string listen = "127.0.0.1:8080";
  // export, backup
  std::string out_dir;
  std::string backup_path;
  // analyze, eval
  std::vector<std::string> files;
  bool diff = false;
  bool verbose = false;
  bool by_jurisdiction = false;  // eval
};

// A usage error found after parsing (e.g. an invalid address): exit code 2.
struct UsageError : billwatch::Error {
  using billwatch::Error::Error;
};

config::Config load(const Options& options);
store::Store open_store(const config::Config& config);
// For commands that only read: a missing database is an error naming its path.
store::Store open_existing_store(const config::Config& config);
std::string database_path(const config::Config& config);

// The [smtp] section as sender options, with the password read and warnings for settings
// that weaken it; nullopt without an [smtp] section (smtp_setup.cpp).
std::optional<notifier::SmtpOptions> smtp_options(const config::Config& config, std::ostream& err);
std::unique_ptr<notifier::SmtpSender> smtp_sender(const config::Config& config, std::ostream& err);

// The subscriber commands (subscriber_commands.cpp).
int cmd_subscribe(const Options& options, std::ostream& out);
int cmd_unsubscribe(const Options& options, std::ostream& out, std::ostream& err);
int cmd_subscribers(const Options& options, std::ostream& out);
int cmd_forget(const Options& options, std::ostream& out, std::ostream& err);

// The researchers' commands (research_commands.cpp).
int cmd_bills(const Options& options, std::ostream& out);
int cmd_show(const Options& options, std::ostream& out, std::ostream& err);
int cmd_history(const Options& options, std::ostream& out, std::ostream& err);
int cmd_diff(const Options& options, std::ostream& out, std::ostream& err, bool terminal);
int cmd_search(const Options& options, std::ostream& out);
int cmd_export(const Options& options, std::ostream& out);
int cmd_backup(const Options& options, std::ostream& out);
int cmd_check(const Options& options, std::ostream& out);
int cmd_serve(const Options& options, std::ostream& out, std::ostream& err);

// The provision analyzer (analysis_commands.cpp).
int cmd_analyze(const Options& options, std::ostream& out, std::ostream& err);
int cmd_eval(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace billwatch::app::detail
