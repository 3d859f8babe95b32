#include "billwatch/web/server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/version.hpp>
#include <csignal>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "billwatch/core/error.hpp"

namespace billwatch::web {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

void add_security_headers(Response& response) {
  // A page may ask for stricter (its own Cache-Control, X-Robots-Tag); never for less.
  auto add = [&](const char* name, const char* value) {
    for (const auto& header : response.headers) {
      if (header.first == name) return;
    }
    response.headers.emplace_back(name, value);
  };
  add("Content-Security-Policy",
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
      "base-uri 'none'; frame-ancestors 'none'");
  add("X-Content-Type-Options", "nosniff");
  add("Referrer-Policy", "same-origin");
  add("X-Frame-Options", "DENY");
}

namespace {

std::string request_id(std::uint64_t n) {
  std::ostringstream out;
  out << std::hex << n;
  return out.str();
}

struct Shared {
  Shared(ServerOptions o, Handler h, std::ostream& l)
      : options(std::move(o)), handler(std::move(h)), log(l) {}
  ServerOptions options;
  Handler handler;
  std::ostream& log;
  std::mutex log_mutex;
  std::atomic<std::size_t> connections{0};
  std::atomic<std::uint64_t> requests{0};

  void write_log(const std::string& line) {
    std::lock_guard<std::mutex> lock(log_mutex);
    log << line << "\n" << std::flush;
  }
};

// Who sent a request, for the per-client limits: the peer's address, or, when the peer is
// a reverse proxy on this machine (the documented setup), the last address it added to
// X-Forwarded-For. A peer elsewhere cannot name itself someone else.
std::string client_of(const tcp::socket& socket, const std::string& forwarded_for) {
  beast::error_code ec;
  auto endpoint = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  auto address = endpoint.address();
  if (address.is_loopback() && !forwarded_for.empty()) {
    std::string last = forwarded_for.substr(forwarded_for.rfind(',') + 1);
    last.erase(0, last.find_first_not_of(" \t"));
    last.erase(last.find_last_not_of(" \t") + 1);
    asio::ip::address parsed = asio::ip::make_address(last, ec);
    if (!ec) return parsed.to_string();
  }
  return address.to_string();
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Shared& shared) : m_stream(std::move(socket)), m_shared(shared) {
    ++m_shared.connections;
  }
  ~Session() { --m_shared.connections; }

  void start() {
    asio::dispatch(m_stream.get_executor(),
                   beast::bind_front_handler(&Session::read, shared_from_this()));
  }

 private:
  void read() {
    m_parser.emplace();
    m_parser->header_limit(m_shared.options.header_limit);
    m_parser->body_limit(m_shared.options.body_limit);
    // The first request has the read timeout; a kept-alive connection waits for the next
    // one up to the idle timeout, then the whole request must come within the read timeout
    // (set again once its first bytes are in: a slow-loris client is cut off either way).
    m_stream.expires_after(m_served == 0 ? m_shared.options.read_timeout
                                         : m_shared.options.idle_timeout);
    http::async_read(m_stream, m_buffer, *m_parser,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset) {
      return close();
    }
    if (ec) {
      // Over a limit or not HTTP: a plain 400 or 431, then the connection ends.
      int status = ec == http::error::header_limit ? 431
                   : ec == http::error::body_limit ? 413
                                                   : 400;
      Response response;
      response.status = status;
      response.content_type = "text/plain; charset=utf-8";
      response.body = status == 431   ? "Request headers too large.\n"
                      : status == 413 ? "Request body too large.\n"
                                      : "Bad request.\n";
      return send(std::move(response), false, false);
    }
    const auto& req = m_parser->get();
    Request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    request.if_none_match = std::string(req[http::field::if_none_match]);
    request.if_modified_since = std::string(req[http::field::if_modified_since]);
    request.request_id = request_id(++m_shared.requests);
    request.body = req.body();
    request.origin = std::string(req[http::field::origin]);
    request.fetch_site = std::string(req["Sec-Fetch-Site"]);
    request.client = client_of(m_stream.socket(), std::string(req["X-Forwarded-For"]));
    std::string error;
    Response response;
    try {
      response = m_shared.handler(request, error);
    } catch (const std::exception& e) {
      error = e.what();
      response = Response{500, "text/plain; charset=utf-8", "Something went wrong.\n", {}};
    }
    if (!error.empty()) {
      m_shared.write_log("request " + request.request_id + " " + request.method + " " +
                         request.target + ": " + std::to_string(response.status) + ": " + error);
    }
    ++m_served;
    send(std::move(response), req.keep_alive(), req.method() == http::verb::head);
  }

  void send(Response response, bool keep_alive, bool head) {
    add_security_headers(response);
    auto message = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), 11);
    message->set(http::field::server, "billwatch");
    message->set(http::field::content_type, response.content_type);
    for (const auto& [name, value] : response.headers) message->set(name, value);
    message->keep_alive(keep_alive);
    std::size_t length = response.body.size();
    if (!head && response.status != 304) message->body() = std::move(response.body);
    message->content_length(response.status == 304 ? 0 : length);
    if (head) message->body().clear();
    m_stream.expires_after(m_shared.options.read_timeout);
    http::async_write(
        m_stream, *message,
        [self = shared_from_this(), message, keep_alive](beast::error_code ec, std::size_t) {
          if (ec || !keep_alive) return self->close();
          self->read();
        });
  }

  void close() {
    beast::error_code ignored;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    m_stream.close();
  }

  beast::tcp_stream m_stream;
  beast::flat_buffer m_buffer{8192};
  std::optional<http::request_parser<http::string_body>> m_parser;
  Shared& m_shared;
  std::size_t m_served = 0;
};

}  // namespace

struct Server::Impl {
  Impl(ServerOptions options, Handler handler, std::ostream& log)
      : shared(std::move(options), std::move(handler), log),
        io(static_cast<int>(shared.options.threads)),
        acceptor(asio::make_strand(io)) {}

  void accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) {
        if (shared.connections.load() >= shared.options.max_connections) {
          // Full: this one is closed at once, so the ones being served keep their sockets.
          beast::error_code ignored;
          socket.close(ignored);
        } else {
          std::make_shared<Session>(std::move(socket), shared)->start();
        }
      }
      accept();
    });
  }

  Shared shared;
  asio::io_context io;
  tcp::acceptor acceptor;
};

Server::Server(ServerOptions options, Handler handler, std::ostream& log)
    : m_impl(std::make_unique<Impl>(std::move(options), std::move(handler), log)) {
  const ServerOptions& o = m_impl->shared.options;
  beast::error_code ec;
  auto address = asio::ip::make_address(o.address, ec);
  if (ec) throw Error("--listen: '" + o.address + "' is not an IP address");
  tcp::endpoint endpoint(address, o.port);
  auto& acceptor = m_impl->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    throw Error("cannot listen on " + o.address + ":" + std::to_string(o.port) + ": " +
                ec.message());
  }
}

Server::~Server() {
  stop();
}

unsigned short Server::port() const {
  return m_impl->acceptor.local_endpoint().port();
}

void Server::run() {
  m_impl->accept();
  std::optional<asio::signal_set> signals;
  if (m_impl->shared.options.stop_on_signals) {
    signals.emplace(m_impl->io, SIGINT, SIGTERM);
    signals->async_wait([this](beast::error_code, int) { stop(); });
  }
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < m_impl->shared.options.threads; ++i) {
    threads.emplace_back([this] { m_impl->io.run(); });
  }
  m_impl->io.run();
  for (auto& t : threads) t.join();
}

void Server::stop() {
  m_impl->io.stop();
}

}  // namespace billwatch::web
