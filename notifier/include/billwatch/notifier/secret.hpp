#pragma once

#include <string>

namespace billwatch::notifier {

// The secret that signs unsubscribe tokens: the environment variable `secret_env` names
// ([notifier] secret_env) when it is set, else `billwatch.secret` beside the database, made
// on first use from 32 random bytes with mode 0600. A secret file others may read is
// refused (anyone who reads it can forge tokens). Throws std::runtime_error naming the file.
std::string unsubscribe_secret(const std::string& secret_env, const std::string& database_path);

}  // namespace billwatch::notifier
