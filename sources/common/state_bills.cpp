#include "billwatch/sources/common/state_bills.hpp"

#include <cctype>

namespace billwatch::sources {

std::string normalize_identifier(std::string_view identifier) {
  std::string letters;
  std::size_t i = 0;
  for (; i < identifier.size(); ++i) {
    auto c = static_cast<unsigned char>(identifier[i]);
    if (std::isalpha(c)) {
      letters += static_cast<char>(std::toupper(c));
    } else if (c == '.' || c == ' ' || c == '-') {
      continue;
    } else {
      break;
    }
  }
  std::string digits;
  for (; i < identifier.size(); ++i) {
    auto c = static_cast<unsigned char>(identifier[i]);
    if (!std::isdigit(c)) break;
    digits += static_cast<char>(c);
  }
  // Anything after the number ("HB 65 (substitute)") makes it not a plain identifier.
  if (letters.empty() || letters.size() > 6 || digits.empty() || i != identifier.size()) return {};
  std::size_t first = digits.find_first_not_of('0');
  digits = first == std::string::npos ? "0" : digits.substr(first);
  if (digits.size() > 7) return {};
  return letters + " " + digits;
}

std::string state_bill_id(std::string_view jurisdiction, std::string_view session_key,
                          std::string_view identifier) {
  std::string normalized = normalize_identifier(identifier);
  if (normalized.empty() || jurisdiction.empty() || session_key.empty()) return {};
  std::string id(jurisdiction);
  id += "-";
  id += session_key;
  id += "-";
  for (char c : normalized) id += c == ' ' ? '-' : c;
  return id;
}

std::string session_key_from_openstates(std::string_view session) {
  std::string lower;
  for (char c : session) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.size() < 4) return lower;
  for (std::size_t i = 0; i < 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(lower[i]))) return lower;
  }
  std::string_view rest = std::string_view(lower).substr(4);
  // "2025", "2025rs", "2025r", "2025-2026": the regular session starting that year.
  bool biennium =
      rest.size() == 5 && rest[0] == '-' && std::isdigit(static_cast<unsigned char>(rest[1]));
  if (rest.empty() || rest == "rs" || rest == "r" || biennium) return lower.substr(0, 4);
  return lower;
}

std::string session_key_from_legiscan(int year_start, bool special, long long session_id) {
  std::string key = std::to_string(year_start);
  if (special) key += "s" + std::to_string(session_id);
  return key;
}

std::string usps_from_ocd(std::string_view jurisdiction_id) {
  auto at = jurisdiction_id.find("/state:");
  if (at == std::string_view::npos) at = jurisdiction_id.find("/district:");
  if (at == std::string_view::npos) return {};
  std::size_t start = jurisdiction_id.find(':', at) + 1;
  std::string code;
  for (std::size_t i = start; i < jurisdiction_id.size() && jurisdiction_id[i] != '/'; ++i) {
    code += static_cast<char>(std::toupper(static_cast<unsigned char>(jurisdiction_id[i])));
  }
  if (code.size() != 2) return {};
  return code;
}

}  // namespace billwatch::sources
