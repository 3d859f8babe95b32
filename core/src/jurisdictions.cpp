#include "billwatch/core/jurisdictions.hpp"

#include <algorithm>

namespace billwatch {

const std::vector<JurisdictionInfo>& jurisdiction_catalogue() {
  static const std::vector<JurisdictionInfo> k_catalogue = {
      {"US", "Congress (federal)"},
      {"AL", "Alabama"},
      {"AK", "Alaska"},
      {"AZ", "Arizona"},
      {"AR", "Arkansas"},
      {"CA", "California"},
      {"CO", "Colorado"},
      {"CT", "Connecticut"},
      {"DE", "Delaware"},
      {"DC", "District of Columbia"},
      {"FL", "Florida"},
      {"GA", "Georgia"},
      {"HI", "Hawaii"},
      {"ID", "Idaho"},
      {"IL", "Illinois"},
      {"IN", "Indiana"},
      {"IA", "Iowa"},
      {"KS", "Kansas"},
      {"KY", "Kentucky"},
      {"LA", "Louisiana"},
      {"ME", "Maine"},
      {"MD", "Maryland"},
      {"MA", "Massachusetts"},
      {"MI", "Michigan"},
      {"MN", "Minnesota"},
      {"MS", "Mississippi"},
      {"MO", "Missouri"},
      {"MT", "Montana"},
      {"NE", "Nebraska"},
      {"NV", "Nevada"},
      {"NH", "New Hampshire"},
      {"NJ", "New Jersey"},
      {"NM", "New Mexico"},
      {"NY", "New York"},
      {"NC", "North Carolina"},
      {"ND", "North Dakota"},
      {"OH", "Ohio"},
      {"OK", "Oklahoma"},
      {"OR", "Oregon"},
      {"PA", "Pennsylvania"},
      {"PR", "Puerto Rico"},
      {"RI", "Rhode Island"},
      {"SC", "South Carolina"},
      {"SD", "South Dakota"},
      {"TN", "Tennessee"},
      {"TX", "Texas"},
      {"UT", "Utah"},
      {"VT", "Vermont"},
      {"VA", "Virginia"},
      {"WA", "Washington"},
      {"WV", "West Virginia"},
      {"WI", "Wisconsin"},
      {"WY", "Wyoming"},
  };
  return k_catalogue;
}

namespace {
const JurisdictionInfo* find(std::string_view code) {
  const auto& all = jurisdiction_catalogue();
  auto it = std::find_if(all.begin(), all.end(), [&](const auto& j) { return j.code == code; });
  return it == all.end() ? nullptr : &*it;
}
}  // namespace

std::string jurisdiction_name(std::string_view code) {
  const JurisdictionInfo* info = find(code);
  return info ? info->name : std::string(code);
}

bool is_jurisdiction(std::string_view code) {
  return find(code) != nullptr;
}

}  // namespace billwatch
