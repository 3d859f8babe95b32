#pragma once

#include <optional>
#include <string>

namespace billwatch::config {

// Where the configuration comes from, in order: --config, $BILLWATCH_CONFIG,
// /etc/billwatch/billwatch.toml, ./billwatch.toml. nullopt means "no file: use defaults".
// An explicit path (flag or environment) is returned even when the file does not exist, so
// that loading it reports the missing file instead of silently using defaults.
std::optional<std::string> find_config_file(const std::optional<std::string>& flag);

// A relative database path is taken relative to $STATE_DIRECTORY (set by systemd's
// StateDirectory=) when that is set, else to the directory of the config file that named
// it (`base_dir`, as urls_file and ca_file are), else to the working directory.
std::string resolve_database_path(const std::string& configured, const std::string& base_dir = "");

}  // namespace billwatch::config
