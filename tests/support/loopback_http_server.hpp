#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>

namespace billwatch::test {

// A real HTTP server on 127.0.0.1 with a port the kernel picks, serving from its own
// thread. Tests register handlers on server(); every request is counted per path.
// The socket listens as soon as the constructor returns, so no readiness wait is needed.
class LoopbackHttpServer {
 public:
  LoopbackHttpServer() {
    m_server.set_logger([this](const httplib::Request& request, const httplib::Response&) {
      std::lock_guard<std::mutex> lock(m_mutex);
      ++m_hits[request.path];
    });
    m_port = m_server.bind_to_any_port("127.0.0.1");
    if (m_port <= 0) throw std::runtime_error("cannot bind a loopback port");
    m_thread = std::thread([this] { m_server.listen_after_bind(); });
  }
  ~LoopbackHttpServer() {
    // httplib's stop() does nothing until the listening loop has started, and the loop
    // would then run forever: wait (bounded) for it to start first.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!m_server.is_running() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    m_server.stop();
    if (m_thread.joinable()) m_thread.join();
  }
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  httplib::Server& server() { return m_server; }
  int port() const { return m_port; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(m_port) + path;
  }
  int hits(const std::string& path) const {
    std::lock_guard<std::mutex> lock(m_mutex);
    auto it = m_hits.find(path);
    return it == m_hits.end() ? 0 : it->second;
  }

 private:
  httplib::Server m_server;
  int m_port = 0;
  std::thread m_thread;
  mutable std::mutex m_mutex;
  std::map<std::string, int> m_hits;
};

}  // namespace billwatch::test
