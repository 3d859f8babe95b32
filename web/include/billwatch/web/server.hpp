#pragma once
// `billwatch serve`: HTTP/1.1 on Boost.Beast, meant to sit behind a reverse proxy that
// terminates TLS. Asynchronous: a slow or silent client holds a socket until its timeout,
// never a thread. Every response carries the security headers (no script, no framing, no
// sniffing).
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "billwatch/web/http.hpp"

namespace billwatch::web {

struct ServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0: any free port (tests)
  std::size_t threads = 2;
  std::size_t max_connections = 512;              // more are closed as soon as accepted
  std::chrono::milliseconds read_timeout{10000};  // to read one whole request
  std::chrono::milliseconds idle_timeout{30000};  // between requests on a kept-alive connection
  std::uint32_t header_limit = 8 * 1024;          // request line and headers, bytes
  std::uint64_t body_limit = 8 * 1024;            // the largest form is well under this
  bool stop_on_signals = false;                   // SIGINT and SIGTERM end run() (the CLI)
};

// Answers one request; sets `error` to what went wrong (for the log) on a 500. Called on
// the server's threads, several at once: it must be safe to call concurrently.
using Handler = std::function<Response(const Request& request, std::string& error)>;

class Server {
 public:
  // Binds the address at once (a taken port is a billwatch::Error naming it).
  Server(ServerOptions options, Handler handler, std::ostream& log);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  unsigned short port() const;
  // Serves until stop(); returns when every thread has ended.
  void run();
  // From any thread or a signal handler's thread of control (not the handler itself).
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

// The headers every response carries.
void add_security_headers(Response& response);

}  // namespace billwatch::web
