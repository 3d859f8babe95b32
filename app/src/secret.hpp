#pragma once

#include <string>

#include "billwatch/config/config.hpp"

namespace billwatch::app {

// The secret that signs unsubscribe tokens: the environment variable named by
// [notifier] secret_env when it is set, else `billwatch.secret` beside the database, made
// on first use from 32 random bytes with mode 0600. A secret file others may read is
// refused (anyone who reads it can forge tokens). Throws std::runtime_error naming the file.
std::string unsubscribe_secret(const config::Config& config, const std::string& database_path);

}  // namespace billwatch::app
