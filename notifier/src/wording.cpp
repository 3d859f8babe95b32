#include "billwatch/notifier/wording.hpp"

#include <algorithm>
#include <cctype>

namespace billwatch::notifier {

namespace {

// "HB 1795" -> "HB"; an id "WA-2025-HB-1795" -> "HB" when the identifier is missing.
std::string bill_type(const Bill& bill) {
  std::string letters;
  if (!bill.identifier.empty()) {
    for (char c : bill.identifier) {
      if (!std::isalpha(static_cast<unsigned char>(c)) && c != '.') break;
      if (c != '.') letters += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return letters;
  }
  // JURISDICTION-SESSION-TYPE-NUMBER
  std::size_t first = bill.id.find('-');
  std::size_t second = first == std::string::npos ? first : bill.id.find('-', first + 1);
  std::size_t third = second == std::string::npos ? second : bill.id.find('-', second + 1);
  if (third == std::string::npos) return {};
  letters = bill.id.substr(second + 1, third - second - 1);
  for (char& c : letters) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return letters;
}

bool is_chamber(const std::string& name) {
  return name == "House" || name == "Senate" || name == "Assembly" || name == "Legislature";
}

bool contains_word(std::string text, const char* word) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text.find(word) != std::string::npos;
}

// The chamber of the last action with the given stage, or "" when none says.
std::string chamber_of_stage(const std::vector<Action>& actions, Stage stage) {
  auto it = std::find_if(actions.rbegin(), actions.rend(), [&](const Action& a) {
    return a.stage == stage && is_chamber(a.chamber);
  });
  return it == actions.rend() ? std::string() : it->chamber;
}

std::string the(const std::string& chamber) {
  return "the " + chamber;
}

}  // namespace

Chambers chambers_of(const Bill& bill) {
  Chambers chambers;
  chambers.executive = bill.jurisdiction == "US" ? "the President" : "the Governor";
  std::string type = bill_type(bill);
  if (type.empty()) return chambers;
  switch (type[0]) {
    case 'H':
      chambers.origin = "House";
      chambers.other = "Senate";
      break;
    case 'S':
      chambers.origin = "Senate";
      chambers.other = bill.jurisdiction == "CA" || bill.jurisdiction == "NY" ||
                               bill.jurisdiction == "NV" || bill.jurisdiction == "NJ" ||
                               bill.jurisdiction == "WI"
                           ? "Assembly"
                           : "House";
      break;
    case 'A':
      chambers.origin = "Assembly";
      chambers.other = "Senate";
      break;
    case 'L':
      if (bill.jurisdiction == "NE") chambers.origin = "Legislature";
      break;
    default:
      break;
  }
  return chambers;
}

std::string position(Stage stage, const Chambers& chambers, const std::vector<Action>& actions) {
  const std::string& origin = chambers.origin;
  if (stage == Stage::none) return "no stage yet";
  if (stage == stage::k_introduced) {
    return origin.empty() ? "introduced" : "introduced in " + the(origin);
  }
  if (stage == stage::k_in_committee || stage == stage::k_reported) {
    std::string chamber = chamber_of_stage(actions, stage);
    if (chamber.empty()) chamber = origin;
    if (chamber == "Legislature") chamber.clear();
    std::string committee = chamber.empty() ? "committee" : chamber + " committee";
    return stage == stage::k_in_committee ? "in " + committee : "reported out of " + committee;
  }
  if (stage == stage::k_passed_one_chamber) {
    std::string passed = chamber_of_stage(actions, stage::k_passed_one_chamber);
    if (passed.empty()) passed = origin;
    std::string words = passed.empty() ? "passed one chamber" : "passed " + the(passed);
    // After a passage the stage stays put while the other chamber takes the bill up: the
    // newest action says where it is now.
    auto last = std::find_if(actions.rbegin(), actions.rend(),
                             [](const Action& a) { return is_chamber(a.chamber); });
    if (last != actions.rend() && !passed.empty() && last->chamber != passed &&
        (contains_word(last->text, "refer") || contains_word(last->text, "committee"))) {
      words += ", in " + last->chamber + " committee";
    }
    return words;
  }
  if (stage == stage::k_passed_both_chambers) {
    if (origin.empty() || chambers.other.empty()) return "passed both chambers";
    return "passed " + the(origin) + " and " + the(chambers.other);
  }
  if (stage == stage::k_to_executive) return "sent to " + chambers.executive;
  if (stage == stage::k_enacted) return "became law";
  if (stage == stage::k_vetoed) return "vetoed by " + chambers.executive;
  if (stage == stage::k_failed) return "failed";
  if (stage == stage::k_dead) {
    return chambers.executive == "the President" ? "died when the Congress ended"
                                                 : "died when the session ended";
  }
  return "no stage yet";
}

std::string next_step(Stage stage, const Chambers& chambers) {
  std::string origin = chambers.origin.empty() ? "the first chamber" : "the " + chambers.origin;
  std::string other = chambers.other.empty() ? "the other chamber" : "the " + chambers.other;
  std::string executive = chambers.executive.empty() ? "the executive" : chambers.executive;
  if (stage == stage::k_introduced) return "a committee hearing in " + origin;
  if (stage == stage::k_in_committee) return "a committee vote";
  if (stage == stage::k_reported) return "a floor vote";
  if (stage == stage::k_passed_one_chamber) {
    return chambers.other.empty() && !chambers.origin.empty() ? executive + "'s signature or veto"
                                                              : "committee and a vote in " + other;
  }
  if (stage == stage::k_passed_both_chambers) return executive + "'s signature or veto";
  if (stage == stage::k_to_executive) return executive + "'s signature or veto";
  return {};
}

}  // namespace billwatch::notifier
