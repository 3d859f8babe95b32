#include "billwatch/notifier/secret.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "billwatch/core/hash.hpp"

namespace billwatch::notifier {

std::string unsubscribe_secret(const std::string& secret_env, const std::string& database_path) {
  if (!secret_env.empty()) {
    const char* value = std::getenv(secret_env.c_str());
    if (value && std::strlen(value) >= 16) return value;
    if (value && *value) {
      throw std::runtime_error("$" + secret_env +
                               " is shorter than 16 characters: too short to sign tokens");
    }
  }
  std::filesystem::path dir = std::filesystem::path(database_path).parent_path();
  if (dir.empty()) dir = ".";
  std::string path = (dir / "billwatch.secret").string();
  // Opened without following a symlink, and checked on the descriptor actually read: a
  // link planted beside the database cannot point billwatch at another file.
  int existing = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (existing < 0 && errno == ELOOP) {
    throw std::runtime_error(path +
                             ": is a symbolic link; the unsubscribe secret must be a "
                             "regular file");
  }
  if (existing >= 0) {
    struct stat info {};
    bool ok = ::fstat(existing, &info) == 0;
    std::string secret;
    if (ok && S_ISREG(info.st_mode) && info.st_uid == ::geteuid() && (info.st_mode & 077) == 0) {
      char buffer[256];
      ssize_t n = ::read(existing, buffer, sizeof buffer);
      if (n > 0) secret.assign(buffer, static_cast<std::size_t>(n));
    }
    ::close(existing);
    if (!ok || !S_ISREG(info.st_mode)) {
      throw std::runtime_error(path + ": the unsubscribe secret must be a regular file");
    }
    if (info.st_uid != ::geteuid()) {
      throw std::runtime_error(path +
                               ": the unsubscribe secret belongs to another user; it "
                               "must be owned by the user billwatch runs as");
    }
    if ((info.st_mode & 077) != 0) {
      throw std::runtime_error(path + ": others can read this secret; run `chmod 600 " + path +
                               "` (anyone who reads it can forge unsubscribe tokens)");
    }
    secret = secret.substr(0, secret.find('\n'));
    if (secret.size() < 16) throw std::runtime_error(path + ": the secret is too short");
    return secret;
  }
  // O_EXCL (with O_NOFOLLOW): two processes making it at once cannot both write it, and a
  // dangling link is not followed into a file elsewhere.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw std::runtime_error(path +
                             ": cannot create the unsubscribe secret: " + std::strerror(errno));
  }
  std::string secret = random_hex(32);
  std::string line = secret + "\n";
  bool written = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  ::close(fd);
  if (!written) throw std::runtime_error(path + ": cannot write the unsubscribe secret");
  return secret;
}

}  // namespace billwatch::notifier
