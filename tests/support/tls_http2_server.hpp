#pragma once

#include <memory>
#include <string>

#include "child_process.hpp"
#include "files.hpp"

namespace billwatch::test {

// Debian's nghttpd (package nghttp2-server): HTTPS on 127.0.0.1 offering HTTP/2 by ALPN,
// serving the files of a directory, with a certificate for 127.0.0.1 made for the test by
// the openssl command. Clients trust it through ca_file().
class TlsHttp2Server {
 public:
  TlsHttp2Server();  // throws std::runtime_error when it does not accept connections in 10 s
  ~TlsHttp2Server() = default;
  TlsHttp2Server(const TlsHttp2Server&) = delete;
  TlsHttp2Server& operator=(const TlsHttp2Server&) = delete;

  // Writes a file to be served at /name.
  void put(const std::string& name, const std::string& content);
  std::string url(const std::string& path) const;
  std::string ca_file() const { return m_dir.file("cert.pem"); }

 private:
  TempDir m_dir;
  int m_port = 0;
  std::unique_ptr<ChildProcess> m_process;
};

}  // namespace billwatch::test
