#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace billwatch::test {

// An HTTP/1.1 server on 127.0.0.1 (port 0) written on raw sockets, for faults a normal
// server library cannot produce: connections reset mid-response, bodies cut short, bytes
// dripped slowly, broken gzip. Each connection serves one request and is closed. Every
// request is logged with its arrival time, so tests assert retries, per-host limits and
// delays from what the server saw.
class FaultServer {
 public:
  struct Request {
    std::chrono::steady_clock::time_point at;
    std::string method;
    std::string path;                            // with query
    std::map<std::string, std::string> headers;  // names lower-cased
  };

  struct Reply {
    enum class Action {
      Send,      // write `raw` and close
      Truncate,  // write the first `cut` bytes of `raw`, then close
      Reset,     // write the first `cut` bytes, then reset the connection (RST)
      Drip,      // write `raw` one byte every `drip_ms`, stopping if the client leaves
      Hang,      // write nothing; close when the server stops
    };
    Action action = Action::Send;
    std::string raw;  // status line, headers, blank line, body
    std::size_t cut = 0;
    int drip_ms = 0;
  };

  using Handler = std::function<Reply(const Request&)>;

  FaultServer();
  ~FaultServer();
  FaultServer(const FaultServer&) = delete;
  FaultServer& operator=(const FaultServer&) = delete;

  // Routes by exact path (query excluded); unknown paths get 404.
  void on(const std::string& path, Handler handler);
  std::string url(const std::string& path) const;
  int port() const { return m_port; }

  std::vector<Request> requests() const;                         // all, in arrival order
  std::vector<Request> requests(const std::string& path) const;  // to one path
  int peak_concurrency() const;  // most requests being answered at the same time

  // Builds a raw HTTP response.
  static std::string response(int status, const std::string& body,
                              const std::vector<std::string>& headers = {});

 private:
  void accept_loop();
  void serve(int fd);

  int m_listen_fd = -1;
  int m_port = 0;
  std::thread m_thread;
  mutable std::mutex m_mutex;
  std::map<std::string, Handler> m_handlers;
  std::vector<Request> m_log;
  std::vector<std::thread> m_workers;
  std::vector<int> m_open_fds;
  int m_active = 0;
  int m_peak = 0;
  bool m_stopping = false;
};

}  // namespace billwatch::test
