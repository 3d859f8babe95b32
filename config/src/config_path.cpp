#include "billwatch/config/config_path.hpp"

#include <cstdlib>
#include <filesystem>

namespace billwatch::config {

std::optional<std::string> find_config_file(const std::optional<std::string>& flag) {
  if (flag) return flag;
  if (const char* env = std::getenv("BILLWATCH_CONFIG"); env && *env) return std::string(env);
  for (const char* candidate : {"/etc/billwatch/billwatch.toml", "billwatch.toml"}) {
    if (std::filesystem::exists(candidate)) return std::string(candidate);
  }
  return std::nullopt;
}

std::string resolve_database_path(const std::string& configured, const std::string& base_dir) {
  std::filesystem::path path(configured);
  if (path.is_absolute() || configured == ":memory:") return configured;
  if (const char* state = std::getenv("STATE_DIRECTORY"); state && *state) {
    // systemd may pass several directories separated by ':'; the first is ours.
    std::string first(state);
    first = first.substr(0, first.find(':'));
    return (std::filesystem::path(first) / path).string();
  }
  if (!base_dir.empty() && base_dir != ".")
    return (std::filesystem::path(base_dir) / path).string();
  return configured;
}

}  // namespace billwatch::config
