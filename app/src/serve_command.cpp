// `billwatch serve`: the web side over the same database the daily run writes, each
// server thread reading through a read-only connection of its own.
#include "billwatch/core/escape.hpp"
#include "billwatch/notifier/account_mail.hpp"
#include "billwatch/notifier/secret.hpp"
#include "billwatch/store/store.hpp"
#include "billwatch/web/mail_queue.hpp"
#include "billwatch/web/server.hpp"
#include "billwatch/web/site.hpp"
#include "commands.hpp"

namespace billwatch::app::detail {

namespace {

// "127.0.0.1:8080", "[::1]:8080", ":8080" (loopback) into address and port.
std::pair<std::string, unsigned short> parse_listen(const std::string& listen) {
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw UsageError("--listen '" + listen + "': expected ADDRESS:PORT");
  std::string address = listen.substr(0, colon);
  std::string port = listen.substr(colon + 1);
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']') {
    address = address.substr(1, address.size() - 2);
  }
  if (address.empty()) address = "127.0.0.1";
  bool digits = !port.empty() && port.size() <= 5 &&
                port.find_first_not_of("0123456789") == std::string::npos;
  if (!digits || std::stoi(port) > 65535) {
    throw UsageError("--listen '" + listen + "': the port must be a number up to 65535");
  }
  return {address, static_cast<unsigned short>(std::stoi(port))};
}

}  // namespace

int cmd_serve(const Options& options, std::ostream& out, std::ostream& err) {
  config::Config config = load(options);
  std::string database = database_path(config);
  // Opened once here so that a missing or unreadable database is said before listening.
  store::Store::open_read_only(database);
  web::SiteOptions site;
  site.base_url = config.web.base_url;
  // The secret the mails' links were signed with (made on first use).
  site.link_secret = notifier::unsubscribe_secret(config.notifier.secret_env, database);
  // Subscribing on the site needs mail and links that work in mails; without them the
  // pages say so, and the rest of the site serves as before.
  std::unique_ptr<web::MailQueue> mail;
  if (auto smtp = smtp_options(config, err)) {
    site.mail_from = config.smtp->from;
    mail = std::make_unique<web::MailQueue>(
        [smtp = *smtp] { return std::make_unique<notifier::SmtpSender>(smtp); }, err);
  }
  if (!mail) {
    err << "note: no [smtp] section: the subscribe and new-link pages are closed\n";
  } else if (!is_site_base_url(site.base_url)) {
    err << "note: [web] base_url is not an https address: the subscribe and new-link pages "
           "are closed (links in mails would not work)\n";
  }
  web::ServerOptions server_options;
  std::tie(server_options.address, server_options.port) = parse_listen(options.listen);
  server_options.stop_on_signals = true;
  web::Server server(server_options, web::database_handler(database, site, mail.get()), err);
  out << "serving " << database << " at http://" << server_options.address << ":" << server.port()
      << "/ (Ctrl-C stops)\n"
      << std::flush;
  server.run();
  out << "stopped\n";
  return 0;
}

}  // namespace billwatch::app::detail
