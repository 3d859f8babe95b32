// `billwatch serve`: the web side over the same database the daily run writes, each
// server thread reading through a read-only connection of its own.
#include "billwatch/notifier/secret.hpp"
#include "billwatch/store/store.hpp"
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
  // The secret the mails' unsubscribe tokens were signed with (made on first use).
  site.unsubscribe_secret = notifier::unsubscribe_secret(config.notifier.secret_env, database);
  web::ServerOptions server_options;
  std::tie(server_options.address, server_options.port) = parse_listen(options.listen);
  server_options.stop_on_signals = true;
  web::Server server(server_options, web::database_handler(database, site), err);
  out << "serving " << database << " at http://" << server_options.address << ":" << server.port()
      << "/ (Ctrl-C stops)\n"
      << std::flush;
  server.run();
  out << "stopped\n";
  return 0;
}

}  // namespace billwatch::app::detail
