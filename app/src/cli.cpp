#include "billwatch/app/cli.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>

#include "billwatch/app/progress.hpp"
#include "billwatch/app/run_once.hpp"
#include "billwatch/config/config_path.hpp"
#include "billwatch/core/categories.hpp"
#include "billwatch/core/terminal.hpp"
#include "billwatch/crawler/curl_http_client.hpp"
#include "billwatch/notifier/address.hpp"
#include "billwatch/notifier/mail_sender.hpp"
#include "billwatch/notifier/secret.hpp"
#include "billwatch/notifier/tokens.hpp"
#include "billwatch/store/run_lock.hpp"
#include "commands.hpp"

namespace billwatch::app {

namespace detail {

config::Config load(const Options& options) {
  auto path = config::find_config_file(options.config_path);
  config::Config config = path ? config::load_config(*path) : config::default_config();
  sources::check_sources(config);  // what only a source knows of its options (selectors)
  return config;
}

std::string database_path(const config::Config& config) {
  return config::resolve_database_path(config.database.path, config.database.base_dir);
}

store::Store open_store(const config::Config& config) {
  return store::Store::open(database_path(config));
}

store::Store open_existing_store(const config::Config& config) {
  return store::Store::open_existing(database_path(config));
}

}  // namespace detail

namespace {

using detail::load;
using detail::open_store;

using nlohmann::ordered_json;

constexpr const char* k_exit_codes =
    "Exit codes: 0 ok; 1 some sources failed (the others were still processed) or a runtime "
    "error such as an unusable database; 2 usage or configuration error.";

using detail::Options;
using detail::UsageError;

class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
};

crawler::HttpOptions http_options_of(const config::CrawlerConfig& crawler) {
  crawler::HttpOptions o;
  o.user_agent = crawler.user_agent;
  o.per_host_concurrency = crawler.per_host_concurrency;
  o.max_connections = crawler.max_connections;
  o.min_delay_ms = crawler.min_delay_ms;
  for (const auto& [host, policy] : crawler.hosts) {
    o.hosts[host] = crawler::HostPolicy{policy.min_delay_ms, policy.per_host_concurrency};
  }
  o.respect_robots = crawler.respect_robots;
  o.max_crawl_delay_s = crawler.max_crawl_delay_s;
  o.timeout_ms = crawler.timeout_s * 1000L;
  o.connect_timeout_ms = crawler.connect_timeout_s * 1000L;
  o.max_body_bytes = static_cast<std::size_t>(crawler.max_body_mb) << 20;
  o.max_retries = crawler.max_retries;
  o.retry_base_ms = crawler.retry_base_ms;
  o.max_retry_after_s = crawler.max_retry_after_s;
  o.ca_file = crawler.ca_file;
  o.outbound.allowed_hosts = crawler.allow_private;
  return o;
}

int cmd_init(const Options& options, std::ostream& out) {
  if (std::filesystem::exists(options.init_path) && !options.force) {
    throw UsageError(options.init_path + " already exists; use --force to overwrite it");
  }
  std::ofstream file(options.init_path, std::ios::binary | std::ios::trunc);
  file << config::example_config_text();
  if (!file.flush()) throw std::runtime_error("cannot write " + options.init_path);
  out << "wrote " << options.init_path << ": edit the [[source]] and [smtp] sections, then run "
      << "`billwatch --config " << options.init_path << " run`\n";
  return 0;
}

// `notify` and `outbox --retry`: the mail half of a run, under the run lock.
int send_pending(const Options& options, int max_attempts, std::ostream& out, std::ostream& err) {
  config::Config config = load(options);
  store::RunLock lock(detail::database_path(config));
  store::Store store = open_store(config);
  std::unique_ptr<notifier::SmtpSender> smtp = detail::smtp_sender(config, err);
  SystemClock clock;
  RunSummary summary =
      notify_once(config, MailDeps{store, smtp ? &*smtp : nullptr, clock, err}, max_attempts);
  if (options.json) {
    out << to_json(summary) << "\n";
  } else {
    out << "emails sent " << summary.emails_sent << ", failed " << summary.emails_failed
        << ", queued " << summary.emails_queued << "\n";
  }
  return summary.emails_failed > 0 || summary.emails_queued > 0 ? 1 : 0;
}

int cmd_outbox(const Options& options, std::ostream& out, std::ostream& err) {
  // --retry gives failures that used up their attempts a few more; refusals stay refused.
  if (options.retry) {
    notifier::DeliveryPolicy policy;
    return send_pending(options, policy.max_attempts + policy.retry_extra_attempts, out, err);
  }
  config::Config config = load(options);
  store::Store store = open_store(config);
  auto entries = store.outbox(k_max_delivery_attempts);
  // Why each waits, in the delivery policy's terms.
  notifier::DeliveryPolicy policy = delivery_policy(config);
  std::map<std::string, store::Subscriber> subscribers;
  for (auto& s : store.subscribers()) subscribers[s.email] = s;
  Timestamp now = SystemClock().now();
  auto why = [&](const store::OutboxEntry& e) -> std::string {
    if (e.status == "refused") return "the mail server refused it; it is not retried";
    if (e.status == "given up") {
      return "failed " + std::to_string(e.attempts) +
             " times; `billwatch outbox --retry` tries again";
    }
    if (e.status == "failed") {
      return "retry after " + format_iso8601(e.updated_at + policy.retry_wait(e.attempts));
    }
    if (e.status == "queued") return "the mail server did not answer; the next run sends it";
    if (e.status == "sending") return "a send was interrupted; the next run sends it again";
    auto s = subscribers.find(e.email);
    if (s != subscribers.end()) {
      Timestamp next = policy.next_digest_at(s->second);
      if (next > now) {
        return "in the next " + std::string(to_string(s->second.frequency)) + " digest, after " +
               format_iso8601(next);
      }
    }
    return "the next run sends it";
  };
  if (options.json) {
    ordered_json list = ordered_json::array();
    for (const auto& e : entries) {
      list.push_back({{"email", e.email},
                      {"event", e.event_id},
                      {"bill", e.bill_id},
                      {"kind", to_string(e.kind)},
                      {"status", e.status},
                      {"attempts", e.attempts >= 1000000 ? 1 : e.attempts},
                      {"last_error", e.last_error},
                      {"why", why(e)},
                      {"updated_at", format_iso8601(e.updated_at)}});
    }
    out << list.dump(2) << "\n";
    return 0;
  }
  if (entries.empty()) out << "the outbox is empty: every alert was sent\n";
  for (const auto& e : entries) {
    out << e.status << "  " << e.email << "  event " << e.event_id << " (" << to_string(e.kind)
        << ", " << e.bill_id << ")";
    out << "\n    " << why(e);
    if (!e.last_error.empty()) out << " (" << e.last_error << ")";
    out << "\n";
  }
  return 0;
}

int cmd_run(const Options& options, std::ostream& out, std::ostream& err, std::ostream& raw_err) {
  config::Config config = load(options);
  // Before the database is even opened: a second run must not start migrating or crawling.
  store::RunLock lock(detail::database_path(config));
  store::Store store = open_store(config);

  crawler::CurlHttpClient http(http_options_of(config.crawler));

  // The progress line draws with control sequences of its own: it writes to the raw stream
  // and makes each log line terminal-safe itself.
  ProgressPrinter progress(raw_err, isatty(STDERR_FILENO) == 1);
  NullBuffer null_buffer;
  std::ostream null_stream(&null_buffer);
  std::ostream& log = options.quiet ? null_stream : progress.log_stream();

  std::unique_ptr<notifier::SmtpSender> smtp = detail::smtp_sender(config, err);

  SystemClock clock;
  RunSummary summary =
      run_once(config, RunDeps{http, store, smtp ? &*smtp : nullptr, clock, log,
                               progress.log_stream(), options.quiet ? nullptr : &progress});
  if (options.json) {
    out << to_json(summary) << "\n";
  } else if (!options.quiet) {
    out << "fetched " << summary.fetched << ", not modified " << summary.not_modified
        << ", unchanged " << summary.unchanged << ", changed " << summary.changed << ", new "
        << summary.new_bills << ", failed " << summary.failed << "; emails sent "
        << summary.emails_sent << ", failed " << summary.emails_failed << ", queued "
        << summary.emails_queued << "; " << human_bytes(summary.bytes_downloaded) << " in "
        << summary.requests << " requests, " << summary.retries << " retries, " << summary.blocked
        << " blocked, " << summary.robots_skipped << " skipped by robots.txt (" << std::fixed
        << std::setprecision(2) << summary.seconds << " s)\n";
  }
  return exit_code(summary);
}

}  // namespace

namespace {

// "definition (Definitions), use_conditions (Limits on when ...), ...": the 17 categories
// for --help.
std::string category_list() {
  std::string out = "Categories:";
  for (const auto& info : category_catalogue()) out += " " + info.id + " (" + info.name + ");";
  out.back() = '.';
  return out;
}

// The subcommands, as CLI11 parsed them.
struct Commands {
  CLI::App* init = nullptr;
  CLI::App* run = nullptr;
  CLI::App* notify = nullptr;
  CLI::App* outbox = nullptr;
  CLI::App* subscribe = nullptr;
  CLI::App* unsubscribe = nullptr;
  CLI::App* subscribers = nullptr;
  CLI::App* bills = nullptr;
  CLI::App* show = nullptr;
  CLI::App* history = nullptr;
  CLI::App* diff = nullptr;
  CLI::App* search = nullptr;
  CLI::App* export_ = nullptr;
  CLI::App* check = nullptr;
  CLI::App* backup = nullptr;
  CLI::App* analyze = nullptr;
  CLI::App* eval = nullptr;
  CLI::App* serve = nullptr;
  CLI::App* forget = nullptr;
};

// The operator's commands: configuration, runs, mail and subscribers.
void add_operator_commands(CLI::App& app, Options& options, Commands& c) {
  c.init = app.add_subcommand("init", "Write the annotated example configuration");
  c.init->add_option("path", options.init_path, "Where to write it (default: ./billwatch.toml)");
  c.init->add_flag("--force", options.force, "Overwrite an existing file");

  c.run = app.add_subcommand("run", "Fetch all sources, store changes, mail subscribers");
  c.run->add_flag("--json", options.json, "Print the summary as one JSON object");
  c.run->add_flag("-q,--quiet", options.quiet, "Print only errors (for cron)");
  c.run->footer(k_exit_codes);

  c.notify = app.add_subcommand("notify", "Send pending alerts now, without fetching");
  c.notify->add_flag("--json", options.json, "Print the summary as one JSON object");

  c.outbox = app.add_subcommand("outbox", "List alerts not sent yet and failed ones");
  c.outbox->add_flag("--json", options.json, "Print JSON");
  c.outbox->add_flag("--retry", options.retry, "Send pending and failed alerts now");

  c.subscribe = app.add_subcommand("subscribe", "Subscribe an address to alerts");
  c.subscribe->add_option("email", options.email, "Mail address")->required();
  c.subscribe->add_option("--jurisdiction", options.jurisdictions,
                          "Only bills of this jurisdiction (repeatable; default: all)");
  c.subscribe->add_option("--bill", options.sub_bills, "Only this bill id (repeatable)");
  c.subscribe->add_option("--category", options.sub_categories,
                          "Only bills with a provision of this category (repeatable): an id or "
                          "its name, e.g. seclusion_ban or \"Ban on seclusion\". " +
                              category_list());
  c.subscribe->add_option("--event", options.sub_events,
                          "Only these events: new_bill, status_changed, action, new_version, "
                          "provisions_changed, source_unhealthy (repeatable)");
  c.subscribe->add_option("--stage", options.sub_stages,
                          "With status_changed: only moves to this stage (repeatable)");
  c.subscribe->add_flag("--all-pages", options.all_pages,
                        "Also alert on pages the relevance screen found not about restraint or "
                        "seclusion (everything a source sees)");
  c.subscribe->add_option("--keyword", options.sub_keywords,
                          "Only bills whose title has this word (repeatable)");
  c.subscribe->add_option("--name", options.name, "The subscriber's name");
  c.subscribe->add_option("--digest", options.digest, "immediate (default), daily or weekly");
  c.subscribe->add_flag("--confirmed", options.confirmed,
                        "The address already agreed elsewhere: subscribe it at once. Without "
                        "it, billwatch mails a confirmation link ([smtp] and an https [web] "
                        "base_url needed) and subscribes only when it is opened");

  c.unsubscribe = app.add_subcommand("unsubscribe", "Remove an address and its alerts");
  c.unsubscribe->add_option("email", options.email, "Mail address");
  c.unsubscribe->add_option("--token", options.token,
                            "The token of an alert's unsubscribe link, instead of an address");

  c.forget = app.add_subcommand(
      "forget",
      "Delete an address completely: subscriber, subscriptions, delivery ledger rows, requests");
  c.forget->add_option("email", options.email, "The address")->required();
  c.subscribers = app.add_subcommand(
      "subscribers", "List subscribers, their subscriptions and requests waiting for confirmation");
  c.subscribers->alias("subscriptions");
  c.subscribers->add_option("email", options.email, "Only this address");
  c.subscribers->add_flag("--json", options.json, "Print JSON");
}

// The researchers' and the analyzer's commands.
void add_research_commands(CLI::App& app, Options& options, Commands& c) {
  c.bills = app.add_subcommand("bills", "List stored bills, optionally as of a past date");
  c.bills->add_option("--jurisdiction", options.jurisdiction,
                      "Only this jurisdiction (WA, US, ...)");
  c.bills->add_option("--stage", options.stage,
                      "Only bills at this stage (introduced, in_committee, passed_one_chamber, "
                      "passed_both_chambers, to_executive, enacted, vetoed, failed)");
  c.bills->add_option("--category", options.category,
                      "Only bills whose latest version has a provision of this category");
  c.bills->add_option("--added-category", options.added_category,
                      "Only bills one of whose versions added a provision of this category "
                      "(with --since: a version stored on or after that date)");
  c.bills->add_option("--removed-category", options.removed_category,
                      "Only bills one of whose versions removed a provision of this category");
  c.bills->add_option("--since", options.since, "Only bills that changed on or after YYYY-MM-DD");
  c.bills->add_option("--as-of", options.as_of,
                      "Reconstruct the list as billwatch knew it at the end of YYYY-MM-DD");
  c.bills->add_flag("--json", options.json, "Print JSON");
  c.bills->add_flag("--csv", options.csv, "Print CSV");

  c.show = app.add_subcommand("show", "One bill: metadata, stage, latest version, provisions");
  c.show->add_option("bill", options.bill_id, "Bill id, as `billwatch bills` shows it")->required();
  c.show
      ->add_option("--version", options.version,
                   "This version (1, 2, ... as `billwatch history` numbers them; default: latest)")
      ->check(CLI::PositiveNumber);
  c.show->add_option("--section", options.section,
                     "Only this section with its subdivisions, e.g. \"3(4)(b)\"");
  c.show->add_flag("--text", options.text, "Also print the version's text");
  c.show->add_flag("--json", options.json, "Print JSON");

  c.history =
      app.add_subcommand("history", "One bill's timeline: actions, versions, provision changes");
  c.history->add_option("bill", options.bill_id, "Bill id, as `billwatch bills` shows it")
      ->required();
  c.history->add_flag("--json", options.json, "Print JSON (with provenance and events)");
  c.history->add_flag("--csv", options.csv, "Print the timeline as CSV");

  c.diff = app.add_subcommand("diff", "Section-aware word diff of two versions of a bill");
  c.diff->add_option("bill", options.bill_id, "Bill id")->required();
  c.diff
      ->add_option("--from", options.from_version,
                   "Older version number (default: the one before --to)")
      ->check(CLI::PositiveNumber);
  c.diff->add_option("--to", options.to_version, "Newer version number (default: the latest)")
      ->check(CLI::PositiveNumber);
  c.diff->add_option("--section", options.section, "Only this section, e.g. \"3(4)(b)\"");
  c.diff->add_option("--format", options.format, "text (default) or html");
  c.diff->add_option("--color", options.color, "auto (default: on a terminal), always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));

  c.search = app.add_subcommand("search", "Full-text search over every stored version");
  c.search
      ->add_option("query", options.query,
                   "Words, \"a phrase\", prefix*, AND / OR / NOT between terms, (groups); "
                   "anything else is searched as words. Each paragraph is searched on its own")
      ->required();
  c.search->add_option("--limit", options.limit, "At most this many bills (default 20)")
      ->check(CLI::Range(1, 10000));
  c.search->add_flag("--json", options.json, "Print JSON");
  c.search->add_flag("--csv", options.csv, "Print CSV");

  c.export_ = app.add_subcommand(
      "export", "Write bills, versions, actions, provisions and events tables with a codebook");
  c.export_->add_option("--format", options.format, "csv (default) or json");
  c.export_
      ->add_option("--out", options.out_dir,
                   "A new directory to write (written whole or not at all)")
      ->required();
  c.export_->add_flag("--force", options.force, "Replace the directory when it exists");

  c.check = app.add_subcommand(
      "check", "Verify the database: integrity, every text against its hash, events, deliveries");
  c.check->footer(
      "Exit codes: 0 nothing damaged; 1 damage found (listed by bill and version) or "
      "the database cannot be opened; 2 usage or configuration error.");

  c.serve = app.add_subcommand(
      "serve", "Serve the bills on the web: pages, Atom feeds and a JSON API (read-only)");
  c.serve->add_option("--listen", options.listen,
                      "ADDRESS:PORT to listen on (default 127.0.0.1:8080; put a TLS proxy in "
                      "front of it)");

  c.backup = app.add_subcommand("backup", "Copy the database safely, even during a run");
  c.backup->add_option("file", options.backup_path, "The copy to create (must not exist)")
      ->required();

  c.analyze = app.add_subcommand(
      "analyze", "Find restraint/seclusion provisions in bill files (HTML, Markdown, text)");
  c.analyze->add_option("files", options.files, "Bill text files")->required();
  c.analyze->add_flag("--diff", options.diff,
                      "Compare two files: the provisions added, removed, changed");
  c.analyze->add_flag("--json", options.json, "One JSON object per file (per line)");

  c.eval = app.add_subcommand("eval", "Score the analyzer on a labeled JSON Lines file");
  c.eval
      ->add_option("files", options.files,
                   "Labeled passages, as tests/fixtures/provisions/dev.jsonl; several files "
                   "are scored together")
      ->required();
  c.eval->add_flag("--by-jurisdiction", options.by_jurisdiction,
                   "Also score each jurisdiction on its own (a state with its districts)");
  c.eval->add_flag("--json", options.json, "Print JSON");
  c.eval->add_flag("-v,--verbose", options.verbose, "List the passages the analyzer got wrong");
}

}  // namespace

int run_cli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Options options;
  CLI::App app{"billwatch: watches restraint and seclusion legislation and mails changes."};
  app.footer(k_exit_codes);
  app.set_version_flag("--version", std::string("billwatch ") + BILLWATCH_VERSION);
  app.add_option("-c,--config", options.config_path,
                 "Config file (default: $BILLWATCH_CONFIG, /etc/billwatch/billwatch.toml, "
                 "./billwatch.toml, else built-in defaults)");
  app.require_subcommand(1);

  Commands c;
  add_operator_commands(app, options, c);
  add_research_commands(app, options, c);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e, out, err);
    return code == 0 ? 0 : 2;
  }

  // Whatever is printed for people passes through terminal_safe: titles, URLs, server
  // replies and subscriber names come from outsiders. JSON gets JSON escapes (it reads back
  // the same); CSV stays byte-exact when it goes to a file; `diff` makes its texts safe
  // before colouring.
  bool stdout_terminal = isatty(STDOUT_FILENO) == 1;
  bool exact = (options.csv && !stdout_terminal) || c.diff->parsed();
  TerminalSafeBuffer safe_out_buffer(out.rdbuf(), options.json);
  std::ostream safe_out(&safe_out_buffer);
  std::ostream& shown = exact ? out : safe_out;
  TerminalSafeBuffer safe_err_buffer(err.rdbuf());
  std::ostream safe_err(&safe_err_buffer);
  try {
    if (c.init->parsed()) return cmd_init(options, shown);
    if (c.run->parsed()) return cmd_run(options, shown, safe_err, err);
    if (c.notify->parsed()) return send_pending(options, k_max_delivery_attempts, shown, safe_err);
    if (c.outbox->parsed()) return cmd_outbox(options, shown, safe_err);
    if (c.subscribe->parsed()) return detail::cmd_subscribe(options, shown);
    if (c.unsubscribe->parsed()) return detail::cmd_unsubscribe(options, shown, safe_err);
    if (c.subscribers->parsed()) return detail::cmd_subscribers(options, shown);
    if (c.forget->parsed()) return detail::cmd_forget(options, shown, safe_err);
    if (c.bills->parsed()) return detail::cmd_bills(options, shown);
    if (c.show->parsed()) return detail::cmd_show(options, shown, safe_err);
    if (c.history->parsed()) return detail::cmd_history(options, shown, safe_err);
    if (c.diff->parsed()) return detail::cmd_diff(options, shown, safe_err, stdout_terminal);
    if (c.search->parsed()) return detail::cmd_search(options, shown);
    if (c.export_->parsed()) return detail::cmd_export(options, shown);
    if (c.backup->parsed()) return detail::cmd_backup(options, shown);
    if (c.check->parsed()) return detail::cmd_check(options, shown);
    if (c.serve->parsed()) return detail::cmd_serve(options, shown, safe_err);
    if (c.analyze->parsed()) return detail::cmd_analyze(options, shown, safe_err);
    if (c.eval->parsed()) return detail::cmd_eval(options, shown, safe_err);
  } catch (const UsageError& e) {
    safe_err << "billwatch: " << e.what() << "\n";
    return 2;
  } catch (const config::ConfigError& e) {
    safe_err << "billwatch: configuration error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    safe_err << "billwatch: " << e.what() << "\n";
    return 1;
  }
  return 2;
}

}  // namespace billwatch::app
