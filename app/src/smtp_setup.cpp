// The [smtp] section as libcurl options: what `run`, `notify`, `serve` and `subscribe` send
// mail with.
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "commands.hpp"

namespace billwatch::app::detail {

std::optional<notifier::SmtpOptions> smtp_options(const config::Config& config, std::ostream& err) {
  if (!config.smtp) return std::nullopt;
  notifier::SmtpOptions smtp_options{config.smtp->url, config.smtp->username, "", 60000, 15000};
  smtp_options.require_starttls = config.smtp->starttls_required;
  smtp_options.no_tls = config.smtp->starttls_never;
  if (config.smtp->starttls_never) {
    err << "warning: " << config.origin << ": smtp.starttls = \"never\": mail"
        << (config.smtp->username.empty() ? "" : " and the SMTP password")
        << " travel in clear text; anyone on the network path can read "
        << (config.smtp->username.empty() ? "them" : "and reuse the password") << "\n";
  }
  smtp_options.insecure_skip_verify = config.smtp->insecure_skip_verify;
  if (config.smtp->insecure_skip_verify) {
    err << "warning: " << config.origin
        << ": smtp.insecure_skip_verify is on: the mail server's certificate is not checked "
           "(for test servers only)\n";
  }
  if (!config.smtp->password_env.empty()) {
    const char* password = std::getenv(config.smtp->password_env.c_str());
    if (!password) {
      throw config::ConfigError(config.origin + ": smtp.password_env: environment variable " +
                                config.smtp->password_env + " is not set");
    }
    smtp_options.password = password;
  } else if (!config.smtp->password_file.empty()) {
    const std::string& path = config.smtp->password_file;
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
      throw config::ConfigError(config.origin + ": smtp.password_file: cannot read '" + path + "'");
    }
    if ((info.st_mode & 077) != 0) {
      throw config::ConfigError(config.origin + ": smtp.password_file: '" + path +
                                "' can be read by others; run `chmod 600 " + path + "`");
    }
    std::ifstream in(path);
    std::getline(in, smtp_options.password);
  }
  return smtp_options;
}

std::unique_ptr<notifier::SmtpSender> smtp_sender(const config::Config& config, std::ostream& err) {
  auto options = smtp_options(config, err);
  if (!options) return nullptr;
  return std::make_unique<notifier::SmtpSender>(*options);
}

}  // namespace billwatch::app::detail
