#include "billwatch/sources/congress/govinfo.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

#include "billwatch/core/ascii.hpp"

namespace billwatch::sources {

namespace {

std::string trim_slash(std::string_view base) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  return std::string(base);
}

bool is_bill_type(std::string_view type) {
  for (std::string_view known :
       {"hr", "s", "hjres", "sjres", "hconres", "sconres", "hres", "sres"}) {
    if (type == known) return true;
  }
  return false;
}

// Reads "{congress}{type}{number}{version}" at `text` (already lower case), e.g.
// "117hr4350ih". Bill types share prefixes (h, hr, hres), so the longest known type whose
// remainder starts with a digit wins.
std::optional<BillRef> read_bill(std::string_view text, bool with_version) {
  std::size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0 || i > 3) return std::nullopt;
  BillRef ref;
  ref.congress = std::stoi(std::string(text.substr(0, i)));
  std::size_t letters = i;
  while (letters < text.size() && std::isalpha(static_cast<unsigned char>(text[letters]))) {
    ++letters;
  }
  ref.type = std::string(text.substr(i, letters - i));
  if (!is_bill_type(ref.type)) return std::nullopt;
  std::size_t digits = letters;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == letters || digits - letters > 6) return std::nullopt;
  ref.number = std::string(text.substr(letters, digits - letters));
  // The version code: letters, and a digit when a stage repeats (BILLS-117hr3076pcs2 is the
  // second "Placed on Calendar Senate" text, a week after pcs).
  std::size_t version_end = digits;
  while (version_end < text.size() && std::isalpha(static_cast<unsigned char>(text[version_end]))) {
    ++version_end;
  }
  if (version_end > digits) {
    while (version_end < text.size() &&
           std::isdigit(static_cast<unsigned char>(text[version_end]))) {
      ++version_end;
    }
  }
  ref.version = std::string(text.substr(digits, version_end - digits));
  if (with_version == ref.version.empty()) return std::nullopt;
  return ref;
}

}  // namespace

std::string BillRef::bill_id() const {
  std::string upper = type;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "US-" + std::to_string(congress) + "-" + upper + "-" + number;
}

int congress_at(Timestamp t) {
  std::time_t seconds = static_cast<std::time_t>(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  int year = utc.tm_year + 1900;
  // A Congress starts on January 3rd of an odd year (20th Amendment).
  bool before_start = utc.tm_mon == 0 && utc.tm_mday < 3;
  if (year % 2 == 1 && before_start) year -= 2;
  return (year - 1789) / 2 + 1;
}

std::string congress_end_date(int congress) {
  return std::to_string(1789 + 2 * congress) + "-01-03";
}

std::string billstatus_sitemap_url(std::string_view base, int congress, std::string_view type) {
  return trim_slash(base) + "/sitemap/bulkdata/BILLSTATUS/" + std::to_string(congress) +
         std::string(type) + "/sitemap.xml";
}

std::string billstatus_url(std::string_view base, int congress, std::string_view type,
                           std::string_view number) {
  std::string c = std::to_string(congress);
  std::string t(type);
  return trim_slash(base) + "/bulkdata/BILLSTATUS/" + c + "/" + t + "/BILLSTATUS-" + c + t +
         std::string(number) + ".xml";
}

std::optional<BillRef> parse_billstatus_name(std::string_view url_or_name) {
  std::string lower = ascii_lower(url_or_name);
  std::size_t at = lower.rfind("billstatus-");
  if (at == std::string::npos) return std::nullopt;
  std::string_view rest = std::string_view(lower).substr(at + 11);
  auto ref = read_bill(rest, false);
  if (!ref) return std::nullopt;
  std::string expected = std::to_string(ref->congress) + ref->type + ref->number + ".xml";
  if (rest != expected) return std::nullopt;
  return ref;
}

std::optional<BillRef> parse_bills_package(std::string_view url_or_name) {
  std::string lower = ascii_lower(url_or_name);
  std::size_t at = lower.rfind("bills-");
  if (at == std::string::npos) return std::nullopt;
  return read_bill(std::string_view(lower).substr(at + 6), true);
}

std::optional<BillRef> parse_federal_bill_id(std::string_view id) {
  std::string lower = ascii_lower(id);
  if (lower.rfind("us-", 0) != 0) return std::nullopt;
  std::string compact;
  for (char c : lower.substr(3)) {
    if (c != '-') compact += c;
  }
  auto ref = read_bill(compact, false);
  if (!ref || std::to_string(ref->congress) + ref->type + ref->number != compact) {
    return std::nullopt;
  }
  return ref;
}

// A Public Law's package, "PLAW-117publ108" (or pvtl for a private law), from any URL that
// names it; nullopt when none.
std::optional<std::string> public_law_package(std::string_view url) {
  std::string lower = ascii_lower(url);
  std::size_t at = lower.rfind("plaw-");
  if (at == std::string::npos) return std::nullopt;
  std::size_t i = at + 5;
  std::size_t congress = i;
  while (i < lower.size() && std::isdigit(static_cast<unsigned char>(lower[i]))) ++i;
  if (i == congress || i - congress > 3) return std::nullopt;
  std::string kind = lower.substr(i, 4);
  if (kind != "publ" && kind != "pvtl") return std::nullopt;
  i += 4;
  std::size_t number = i;
  while (i < lower.size() && std::isdigit(static_cast<unsigned char>(lower[i]))) ++i;
  if (i == number || i - number > 4) return std::nullopt;
  return "PLAW-" + lower.substr(congress, i - congress);
}

std::optional<TextFiles> text_files(std::string_view base, std::string_view url) {
  if (auto law = public_law_package(url)) {
    // The enacted text is govinfo's PLAW package: USLM XML, and HTML to fall back on.
    TextFiles files;
    files.package = *law;
    files.ref.version = "pl";
    std::string root = trim_slash(base) + "/content/pkg/" + files.package;
    files.xml_url = root + "/uslm/" + files.package + ".xml";
    files.html_url = root + "/html/" + files.package + ".htm";
    return files;
  }
  auto ref = parse_bills_package(url);
  if (!ref) return std::nullopt;
  TextFiles files;
  files.ref = *ref;
  files.package = "BILLS-" + std::to_string(ref->congress) + ref->type + ref->number + ref->version;
  std::string root = trim_slash(base) + "/content/pkg/" + files.package;
  files.xml_url = root + "/xml/" + files.package + ".xml";
  files.html_url = root + "/html/" + files.package + ".htm";
  return files;
}

std::string version_name(std::string_view code) {
  static const std::pair<const char*, const char*> k_names[] = {
      {"ih", "Introduced in House"},
      {"is", "Introduced in Senate"},
      {"rh", "Reported in House"},
      {"rs", "Reported in Senate"},
      {"rfh", "Referred in House"},
      {"rfs", "Referred in Senate"},
      {"rds", "Received in Senate"},
      {"rdh", "Received in House"},
      {"eh", "Engrossed in House"},
      {"es", "Engrossed in Senate"},
      {"eah", "Engrossed Amendment House"},
      {"eas", "Engrossed Amendment Senate"},
      {"ats", "Agreed to Senate"},
      {"ath", "Agreed to House"},
      {"enr", "Enrolled Bill"},
      {"pcs", "Placed on Calendar Senate"},
      {"pch", "Placed on Calendar House"},
      {"cph", "Considered and Passed House"},
      {"cps", "Considered and Passed Senate"},
      {"cdh", "Committee Discharged House"},
      {"cds", "Committee Discharged Senate"},
      {"lth", "Laid on Table in House"},
      {"ips", "Indefinitely Postponed in Senate"},
      {"rcs", "Reference Change Senate"},
      {"ris", "Referral Instructions Senate"},
      {"pl", "Public Law"},
  };
  // "pcs2" is the second "pcs": the same name.
  while (!code.empty() && std::isdigit(static_cast<unsigned char>(code.back()))) {
    code.remove_suffix(1);
  }
  for (const auto& [c, name] : k_names) {
    if (code == c) return name;
  }
  return {};
}

std::string washington_date(std::string_view timestamp) {
  if (timestamp.size() < 20 || timestamp[10] != 'T' || timestamp.back() != 'Z') {
    return std::string(timestamp.substr(0, std::min<std::size_t>(timestamp.size(), 10)));
  }
  auto day = parse_date(timestamp.substr(0, 10));
  auto two = [&](std::size_t at) {
    char a = timestamp[at], b = timestamp[at + 1];
    if (!std::isdigit(static_cast<unsigned char>(a)) ||
        !std::isdigit(static_cast<unsigned char>(b)))
      return -1;
    return (a - '0') * 10 + (b - '0');
  };
  int hours = two(11), minutes = two(14), seconds = two(17);
  if (!day || hours < 0 || minutes < 0 || seconds < 0) {
    return std::string(timestamp.substr(0, 10));
  }
  Timestamp t = *day + hours * 3600 + minutes * 60 + seconds;
  return format_iso8601(t - 4 * 3600).substr(0, 10);
}

}  // namespace billwatch::sources
