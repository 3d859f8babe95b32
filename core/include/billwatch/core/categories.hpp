#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace billwatch {

// The words people see for each provision category, written once: alerts, --help, the
// export codebook and pages all say the same thing. From docs/provision-taxonomy.md §2.
struct CategoryInfo {
  std::string id;           // "prone_restraint_ban"
  std::string name;         // "Ban on prone and other dangerous restraint"
  std::string description;  // one plain sentence
  bool permits = false;     // true: it permits restraint or seclusion rather than protecting
};

// The 17 categories, in the taxonomy's order.
const std::vector<CategoryInfo>& category_catalogue();
// The entry for an id; nullptr when there is none.
const CategoryInfo* category_info(std::string_view id);
// The human name of a category ("Ban on seclusion"); "Another provision" for an unknown id,
// so that no raw id ever reaches a reader.
std::string category_name(std::string_view id);
// The id a person means by `text`: an id or a human name, in any case ("Ban on seclusion",
// "SECLUSION_BAN"); nullopt when it is neither.
std::optional<std::string> category_id_of(std::string_view text);
// The category whose id or name is nearest to `text` (for "did you mean").
const CategoryInfo& nearest_category(std::string_view text);

}  // namespace billwatch
