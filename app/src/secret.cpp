#include "secret.hpp"

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

namespace billwatch::app {

std::string unsubscribe_secret(const config::Config& config, const std::string& database_path) {
  if (!config.notifier.secret_env.empty()) {
    const char* value = std::getenv(config.notifier.secret_env.c_str());
    if (value && std::strlen(value) >= 16) return value;
    if (value && *value) {
      throw std::runtime_error("$" + config.notifier.secret_env +
                               " is shorter than 16 characters: too short to sign tokens");
    }
  }
  std::filesystem::path dir = std::filesystem::path(database_path).parent_path();
  if (dir.empty()) dir = ".";
  std::string path = (dir / "billwatch.secret").string();
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    if ((info.st_mode & 077) != 0) {
      throw std::runtime_error(path + ": others can read this secret; run `chmod 600 " + path +
                               "` (anyone who reads it can forge unsubscribe tokens)");
    }
    std::ifstream in(path);
    std::string secret;
    std::getline(in, secret);
    if (secret.size() < 16) throw std::runtime_error(path + ": the secret is too short");
    return secret;
  }
  // O_EXCL: two processes making it at once cannot both write it.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
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

}  // namespace billwatch::app
