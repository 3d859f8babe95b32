#include "billwatch/core/categories.hpp"

namespace billwatch {

const std::vector<CategoryInfo>& category_catalogue() {
  static const std::vector<CategoryInfo> k_catalogue = {
      {"definition", "Definitions",
       "Defines restraint, seclusion or a related term, or says what they do not include.", false},
      {"use_conditions", "Limits on when restraint or seclusion may be used",
       "Allows restraint or seclusion only in an emergency (imminent danger of serious harm), "
       "after less restrictive measures, with the least force, ending when the danger ends.",
       false},
      {"prone_restraint_ban", "Ban on prone and other dangerous restraint",
       "Forbids face-down (prone), face-up (supine) or wall restraint and any restraint that "
       "restricts breathing.",
       false},
      {"mechanical_restraint_ban", "Ban on mechanical restraint",
       "Forbids restraining students with devices such as straps, cuffs or tape.", false},
      {"chemical_restraint_ban", "Ban on chemical restraint",
       "Forbids using drugs or medication to control a student's behavior or movement.", false},
      {"seclusion_ban", "Ban on seclusion",
       "Forbids secluding (isolating) a student alone in a room or space they cannot leave, or "
       "in a locked space.",
       false},
      {"seclusion_conditions", "Conditions on seclusion",
       "Requires constant watching, room standards or time limits when seclusion (or "
       "restraint) is used.",
       false},
      {"aversive_ban", "Ban on aversive interventions",
       "Forbids noxious sprays or substances and techniques meant to cause pain.", false},
      {"no_punitive_use", "No restraint or seclusion as punishment",
       "Forbids restraint or seclusion for discipline, punishment, convenience or retaliation, "
       "or planned in a student's IEP or behavior plan.",
       false},
      {"parent_notification", "Telling parents",
       "Requires telling the parent or guardian after an incident, often within a deadline.",
       false},
      {"incident_reporting", "Incident reports",
       "Requires a written report of each incident with its details, and reports of injuries.",
       false},
      {"debriefing", "Review after an incident",
       "Requires a review meeting or a behavior assessment after an incident.", false},
      {"data_reporting", "Public data on incidents",
       "Requires counting incidents and reporting the numbers to the state or the public.", false},
      {"staff_training", "Staff training",
       "Requires training staff in de-escalation and in safe restraint.", false},
      {"oversight_enforcement", "Oversight and enforcement",
       "Requires policies, monitoring, complaints, investigations or penalties.", false},
      {"scope", "Who is covered", "Says which schools, programs or students the rules apply to.",
       false},
      {"permissive_use", "Permission to restrain or seclude",
       "Allows restraint or seclusion in some situations: it permits rather than protects.", true},
  };
  return k_catalogue;
}

std::string category_name(std::string_view id) {
  const CategoryInfo* info = category_info(id);
  return info ? info->name : "Another provision";
}

const CategoryInfo* category_info(std::string_view id) {
  for (const auto& info : category_catalogue()) {
    if (info.id == id) return &info;
  }
  return nullptr;
}

}  // namespace billwatch
