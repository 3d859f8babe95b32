#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace billwatch {

// The jurisdictions billwatch follows, as people name them: the 50 states, the District of
// Columbia, Puerto Rico and Congress ("US"). For forms and mails; ids stay the codes.
struct JurisdictionInfo {
  std::string code;  // "WA"
  std::string name;  // "Washington"; "Congress (federal)" for US
};

// Congress first, then the states and territories by name.
const std::vector<JurisdictionInfo>& jurisdiction_catalogue();
// The name of a code ("WA" -> "Washington"); the code itself when it is not one.
std::string jurisdiction_name(std::string_view code);
bool is_jurisdiction(std::string_view code);

}  // namespace billwatch
