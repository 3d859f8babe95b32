#include "fault_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace billwatch::test {

namespace {

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

std::string reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Status";
  }
}

}  // namespace

std::string FaultServer::response(int status, const std::string& body,
                                  const std::vector<std::string>& headers) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason(status) + "\r\n";
  bool has_length = false;
  for (const auto& h : headers) {
    out += h + "\r\n";
    if (h.rfind("Content-Length:", 0) == 0 || h.rfind("Transfer-Encoding:", 0) == 0) {
      has_length = true;
    }
  }
  if (!has_length && status != 304)
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "Connection: close\r\n\r\n";
  return out + body;
}

FaultServer::FaultServer() {
  m_listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (m_listen_fd < 0) throw std::runtime_error("socket failed");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      listen(m_listen_fd, 64) != 0 ||
      getsockname(m_listen_fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    close(m_listen_fd);
    throw std::runtime_error("cannot listen on loopback");
  }
  m_port = ntohs(addr.sin_port);
  m_thread = std::thread([this] { accept_loop(); });
}

FaultServer::~FaultServer() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_stopping = true;
    for (int fd : m_open_fds) shutdown(fd, SHUT_RDWR);
  }
  shutdown(m_listen_fd, SHUT_RDWR);
  m_thread.join();
  close(m_listen_fd);
  for (auto& worker : m_workers) worker.join();
}

void FaultServer::on(const std::string& path, Handler handler) {
  std::lock_guard<std::mutex> lock(m_mutex);
  m_handlers[path] = std::move(handler);
}

std::string FaultServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(m_port) + path;
}

std::vector<FaultServer::Request> FaultServer::requests() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_log;
}

std::vector<FaultServer::Request> FaultServer::requests(const std::string& path) const {
  std::vector<Request> out;
  for (auto& r : requests()) {
    if (r.path.substr(0, r.path.find('?')) == path) out.push_back(r);
  }
  return out;
}

int FaultServer::peak_concurrency() const {
  std::lock_guard<std::mutex> lock(m_mutex);
  return m_peak;
}

void FaultServer::accept_loop() {
  while (true) {
    int fd = accept4(m_listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    std::lock_guard<std::mutex> lock(m_mutex);
    if (fd < 0 || m_stopping) {
      if (fd >= 0) close(fd);
      if (m_stopping) return;
      continue;
    }
    m_open_fds.push_back(fd);
    m_workers.emplace_back([this, fd] { serve(fd); });
  }
}

void FaultServer::serve(int fd) {
  std::string data;
  char buf[4096];
  while (data.find("\r\n\r\n") == std::string::npos && data.size() < 65536) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<std::size_t>(n));
  }
  Request request;
  request.at = std::chrono::steady_clock::now();
  std::size_t line_end = data.find("\r\n");
  std::string line = data.substr(0, line_end);
  std::size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
  if (sp1 != std::string::npos && sp2 > sp1) {
    request.method = line.substr(0, sp1);
    request.path = line.substr(sp1 + 1, sp2 - sp1 - 1);
  }
  std::size_t pos = line_end == std::string::npos ? data.size() : line_end + 2;
  while (pos < data.size()) {
    std::size_t end = data.find("\r\n", pos);
    if (end == std::string::npos || end == pos) break;
    std::string header = data.substr(pos, end - pos);
    std::size_t colon = header.find(':');
    if (colon != std::string::npos) {
      std::string name = header.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      std::size_t v = header.find_first_not_of(' ', colon + 1);
      request.headers[name] = v == std::string::npos ? "" : header.substr(v);
    }
    pos = end + 2;
  }

  Handler handler;
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_log.push_back(request);
    m_peak = std::max(m_peak, ++m_active);
    auto it = m_handlers.find(request.path.substr(0, request.path.find('?')));
    if (it != m_handlers.end()) handler = it->second;
  }
  Reply reply = handler ? handler(request) : Reply{Reply::Action::Send, response(404, "not found")};

  // A request stops counting as "being answered" just before its last byte is sent: after
  // that the client may already start its next request while this thread has not yet
  // caught up, which would look like one request too many in flight.
  bool counted = true;
  auto done = [&] {
    if (!counted) return;
    counted = false;
    std::lock_guard<std::mutex> lock(m_mutex);
    --m_active;
  };
  switch (reply.action) {
    case Reply::Action::Send:
      if (!reply.raw.empty()) {
        write_all(fd, reply.raw.data(), reply.raw.size() - 1);
        done();
        write_all(fd, reply.raw.data() + reply.raw.size() - 1, 1);
      }
      break;
    case Reply::Action::Truncate:
      write_all(fd, reply.raw.data(), std::min(reply.cut, reply.raw.size()));
      break;
    case Reply::Action::Reset: {
      write_all(fd, reply.raw.data(), std::min(reply.cut, reply.raw.size()));
      linger hard{1, 0};  // close with RST instead of FIN
      setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
      break;
    }
    case Reply::Action::Drip:
      for (std::size_t i = 0; i < reply.raw.size(); ++i) {
        if (i + 1 == reply.raw.size()) done();
        if (!write_all(fd, &reply.raw[i], 1)) break;
        pollfd pfd{fd, POLLRDHUP, 0};  // wakes early when the client goes away
        if (poll(&pfd, 1, reply.drip_ms) > 0) break;
      }
      break;
    case Reply::Action::Hang: {
      pollfd pfd{fd, POLLRDHUP, 0};
      poll(&pfd, 1, 30000);
      break;
    }
  }
  done();
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_open_fds.erase(std::remove(m_open_fds.begin(), m_open_fds.end(), fd), m_open_fds.end());
  }
  close(fd);
}

}  // namespace billwatch::test
