#include "billwatch/notifier/address.hpp"

namespace billwatch::notifier {

bool is_valid_address(std::string_view address) {
  if (address.size() > 254) return false;
  auto at = address.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= address.size()) return false;
  if (address.find('@', at + 1) != std::string_view::npos) return false;
  for (char c : address) {
    auto u = static_cast<unsigned char>(c);
    // ASCII only: internationalized addresses need SMTPUTF8 end to end, which billwatch
    // does not speak; a server would refuse them later, one alert at a time.
    if (u <= 0x20 || u >= 0x7f || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' ||
        c == '(' || c == ')' || c == '\\') {
      return false;
    }
  }
  std::string_view domain = address.substr(at + 1);
  return domain.front() != '.' && domain.back() != '.' &&
         domain.find("..") == std::string_view::npos;
}

std::string address_of(std::string_view mailbox) {
  auto open = mailbox.rfind('<');
  auto close = mailbox.rfind('>');
  if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
    return std::string(mailbox.substr(open + 1, close - open - 1));
  }
  auto first = mailbox.find_first_not_of(' ');
  auto last = mailbox.find_last_not_of(' ');
  if (first == std::string_view::npos) return {};
  return std::string(mailbox.substr(first, last - first + 1));
}

bool has_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos;
}

}  // namespace billwatch::notifier
