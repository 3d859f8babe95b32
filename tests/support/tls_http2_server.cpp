#include "tls_http2_server.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <thread>

namespace billwatch::test {

namespace {
constexpr const char* k_nghttpd = "/usr/sbin/nghttpd";
}

TlsHttp2Server::TlsHttp2Server() {
  std::filesystem::create_directories(m_dir.path() / "htdocs");
  // A self-signed P-256 certificate valid for 127.0.0.1: quick to make, and a real chain
  // check by libcurl against ca_file().
  std::string make_cert =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
      " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
      m_dir.file("key.pem") + "' -out '" + ca_file() + "' 2>/dev/null";
  if (std::system(make_cert.c_str()) != 0) {
    throw std::runtime_error("openssl could not make a test certificate");
  }
  m_port = free_loopback_port();
  m_process = std::make_unique<ChildProcess>(std::vector<std::string>{
      k_nghttpd, "--address=127.0.0.1", "--htdocs=" + (m_dir.path() / "htdocs").string(),
      std::to_string(m_port), m_dir.file("key.pem"), ca_file()});
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!accepts_connections(m_port)) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("nghttpd did not start listening on port " + std::to_string(m_port));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

void TlsHttp2Server::put(const std::string& name, const std::string& content) {
  write_file((m_dir.path() / "htdocs" / name).string(), content);
}

std::string TlsHttp2Server::url(const std::string& path) const {
  return "https://127.0.0.1:" + std::to_string(m_port) + path;
}

}  // namespace billwatch::test
