// The rules per category over one clause.
#include "classify.hpp"

#include <algorithm>
#include <optional>

#include "cues.hpp"

namespace billwatch::analysis::detail {

namespace {

void add(std::vector<std::pair<std::string, double>>& found, std::string_view category,
         double confidence) {
  found.emplace_back(std::string(category), confidence);
}

// What one clause says, read once for all the rules: the clause and its context (with the
// lead-in), and the slots most rules share.
struct Reading {
  std::string_view c;              // lead-in + clause (the clause itself without a lead-in)
  std::string_view own;            // the clause
  std::string_view lead;           // the lead-in ("" without one)
  bool rs_context = false;         // the context names a restraint or seclusion practice
  bool policy_list = false;        // an item of what a policy or rules must cover (§9)
  bool contents_item = false;      // an item of what a report or training contains
  bool duty_lead = false;          // the lead-in hands its duty to the item
  bool topic_data = false;         // a policy list's topic of yearly or public reporting
  bool inline_definition = false;  // "prone restraint, defined as ..."
  bool definition = false;
  bool ban_beside_definition = false;
  bool defined_prohibitions = false;  // '"Prohibited isolation or restraint" means'
  bool prohibition = false;           // a ban's operator governs the practice
  bool punitive_purpose = false;      // discipline, punishment, convenience, coercion
  bool purpose_restricted = false;    // banned for a purpose only ("not be used to ...")
  bool room_construction = false;     // building or designing isolation rooms
};

using Found = std::vector<std::pair<std::string, double>>;

// 2.1: a definition of an R/S term; false when the clause is only that.
bool add_definition(const Reading& r, Found& found) {
  std::string_view own = r.own;
  // 2.1 definition (a definition alone is only a definition; exclusions count too).
  // Only R/S terms: "school district property" means ... is not a restraint definition.
  // A definition establishes no duty, whatever it defines ("Behavioral intervention plan"
  // means ...); only definitions of restraint and seclusion terms are reported.
  if (r.definition) {
    if (has_rs_term(own) || has_any(own, {"time out", "timeout", "time-out", "escort"})) {
      add(found, "definition", 0.9);
    }
    // §9: who is covered, defined for the section ("Student" means ...): scope too.
    if (states_coverage(own)) add(found, "scope", 0.7);
    if (!r.ban_beside_definition) return false;
  }
  return true;
}

// 2.3–2.6: bans on dangerous, mechanical and chemical restraint and on seclusion.
void add_bans(const Reading& r, Found& found) {
  std::string_view c = r.c;
  std::string_view own = r.own;
  // 2.3 dangerous restraint bans.
  if (r.prohibition && has_any(c, {"prone", "supine", "wall restraint", "breathing", "airway",
                                   "asphyxia", "chest", "life threatening", "life-threatening",
                                   "blood flow", "contraindicated", "respiratory"})) {
    add(found, "prone_restraint_ban", 0.85);
  }
  // 2.4, 2.5 device and drug bans.
  if (r.prohibition && has(c, "mechanical restraint") &&
      !has(own, "mechanical restraint does not")) {
    add(found, "mechanical_restraint_ban", 0.85);
  }
  if (r.prohibition &&
      has_any(c, {"chemical restraint", "medication restraint", "pharmacological restraint",
                  "psychopharmacologic", "chemical and mechanical restraint",
                  "chemical or mechanical restraint"})) {
    add(found, "chemical_restraint_ban", 0.85);
  }
  // 2.6 seclusion bans, including locked spaces and removing isolation rooms.
  bool seclusion_words =
      has_any(c, {"seclu", "isolat", "lock", "confine", "alone"}) &&  // stems of the words below
      has_any(c, {"seclusion", "isolation", "locked box", "locked closet", "locked space",
                  "isolation room", "locked door", "locking a student", "isolating", "secluding",
                  "secluded", "confinement of a student", "locked alone", "confined alone",
                  "alone in a room"});
  if (seclusion_words && !r.room_construction && !r.punitive_purpose &&
      (has_any(c,
               {"shall not use seclusion", "no student shall be subjected",
                "shall remove or repurpose", "may not be confined", "locked box",
                "seclusion shall be prohibited", "seclusion is prohibited",
                "isolation is prohibited", "shall not be secluded", "use seclusion on any student",
                "not use seclusion", "beginning september 1", "with a locked door"}) ||
       (r.prohibition && has_any(own, {"locked door", "locking a student"})) ||
       (r.defined_prohibitions && has(own, "isolation") && !has(own, "contraindicated")) ||
       (prohibits(own) &&
        has_any(own, {"seclusion", "isolation", "isolating", "secluding", "secluded",
                      "confinement of a student", "locked alone", "confined alone",
                      "alone in a room"}) &&
        !has(own, "only") && !r.purpose_restricted &&
        !has_any(own, {"restraint or seclusion", "seclusion or restraint", "isolation or restraint",
                       "restraint or isolation"})))) {
    add(found, "seclusion_ban", 0.8);
  }
}

// 2.7, 2.8, 2.9, 2.2: conditions on seclusion and restraint, aversives, never as punishment, when
// restraint or seclusion is permitted.
void add_conditions(const Reading& r, Found& found) {
  std::string_view c = r.c;
  std::string_view own = r.own;
  // 2.7 conditions on seclusion (and restraint): monitoring, rooms, duration. Minutes that
  // trigger a notice or are counted in data are not a duration limit.
  bool duration = (has(own, "minutes") && !has_any(own, {"notif", "notice", "report"}) &&
                   !has(own, "number of")) ||
                  has_any(own, {"minimum time necessary", "short time period", "shortest of",
                                "maximum duration", "time limit"});
  if (r.room_construction || duration ||
      (has_any(own,
               {"contin", "consta", "obser", "monit", "sight", "ceil", "lock", "bath", "every"}) &&
       has_any(own,
               {"continuous", "constant, direct", "direct observation", "visual monitoring",
                "line of sight", "observed by", "monitored by", "be monitored",
                "continuously monitored", "ceiling height", "unlocked", "incapable of being locked",
                "locking mechanism", "every 30 minutes", "bathroom"}))) {
    add(found, "seclusion_conditions", 0.7);
  }
  // 2.8 aversives.
  if ((r.prohibition || r.defined_prohibitions) &&
      has_any(c, {"aversive", "noxious", "inflict pain", "cause pain", "causes pain",
                  "electric shock"})) {
    add(found, "aversive_ban", 0.85);
  }
  // 2.9 never as punishment, never planned in an IEP, no consent to prohibited practices.
  if ((r.punitive_purpose && r.rs_context && (r.prohibition || has_any(own, {"never", " not "}))) ||
      has_any(own, {"written into a student", "may consent, or be asked to consent",
                    "shall not be included in a student's", "be asked to consent"})) {
    add(found, "no_punitive_use", 0.8);
  }
  // 2.2 when restraint or seclusion is permitted: a restriction operator ("only when",
  // "may be used only", "except in those situations") and a standard (danger, less
  // restrictive or intrusive measures, least force, ending when the danger ends). §5: a
  // named practice banned with an exception is the ban (with `exceptions`), not a use
  // condition; §9: an exception that points elsewhere ("except as provided in") is too.
  bool named_ban = false;
  for (const auto& [category, confidence] : found) {
    named_ban =
        named_ban || (category.size() > 4 && category.substr(category.size() - 4) == "_ban");
  }
  bool use_condition_setting =
      !has(own, "complaint") && !has(c, "report") && !has(own, "no less restrictive than");
  auto exception_elsewhere = [&] {
    return has_any(own, {"except as provided", "except as described", "except as permitted",
                         "except as otherwise", "except as set forth", "except as allowed",
                         "conditions described in"});
  };
  bool standard =
      use_condition_setting &&
      has_any(own, {"imminent", "immediate danger", "clear and present danger", "less restrictive",
                    "least restrictive", "less intrusive", "least intrusive", "less intensive",
                    "least amount of force", "no longer an imminent", "no longer an immediate",
                    "ends immediately", "last resort", "from communicating"});
  bool restriction = use_condition_setting && has_any(own, {"only", "terminat"}) &&
                     has_any(own, {"only if", "only when", "only in emergency", "only to control",
                                   "only for as long as", "only be used", "be used only",
                                   "only be utilized", "terminated when", "terminated as soon"});
  bool conditional_ban = use_condition_setting && r.prohibition &&
                         has_any(own, {"except when", "except in", "unless"}) &&
                         !exception_elsewhere();
  // The exception qualifies the named practice, unless the clause bans physical restraint
  // as such (603 CMR 46.03(1)(c), §5).
  bool named_exception = named_ban && !restriction && (standard || conditional_ban) &&
                         has_exception(own) &&
                         !has_any(own, {"physical restraint", "use of restraint"});
  if (use_condition_setting && !named_exception &&
      (standard || restriction || conditional_ban ||
       (r.purpose_restricted && !r.punitive_purpose && r.prohibition && r.rs_context))) {
    add(found, "use_conditions", 0.75);
  }
}

// 2.10–2.14: telling parents, incident reports, debriefing, aggregate data, training.
void add_duties(const Reading& r, Found& found) {
  std::string_view c = r.c;
  std::string_view own = r.own;
  // 2.10 telling the parent.
  // The notice may be in the lead-in and the parent in the item ("shall provide notice ...
  // to: (a) the student's parent").
  bool parent = has_any(c, {"parent", "guardian"});
  // A notice or letter to a parent is about restraint or seclusion only when the clause
  // says so: a discipline bill's "written notice to the student's parent" is not (§2.10).
  Phrases notify_words = {"notify",
                          "notified",
                          "notification",
                          "copy to the parent",
                          "documentation to the parent",
                          "provided to a parent",
                          "electronic communication"};
  Phrases notice_words = {"provide notice", "notice to", "receive notice", "letter", "mailed"};
  bool about_an_incident = r.rs_context || has_any(own, {"incident", "occurrence"});
  auto tells = [&](std::string_view s) {
    return has_any(s, notify_words) || (about_an_incident && has_any(s, notice_words));
  };
  if (parent && (tells(own) || (!r.lead.empty() && has_any(own, {"parent", "guardian"}) &&
                                about_an_incident && tells(r.lead)))) {
    add(found, "parent_notification", 0.8);
  }
  // 2.11 incident reports and telling administrators.
  bool documents =
      has_any(own, {"report", "document", "principal", "advocacy", "injury", "prepare"});
  if (((documents &&
        has_any(own,
                {"written report", "incident report shall", "report of the incident",
                 "documentation of the incident", "written documentation", "maintain the report",
                 "copy of each incident report", "documentation and reporting",
                 "notify the principal", "shall be documented", "must be documented",
                 "protection and advocacy", "injury or death", "report the incident",
                 "report shall be completed", "documentation of the use", "shall prepare"})) ||
       // A written notification to whom? To the parent it is 2.10.
       (has(own, "written notification") && !parent) ||
       // A policy list's topic: documenting or reporting each incident (§9).
       (r.policy_list && !r.topic_data && has_any(own, {"document", "report", "record"}) &&
        has_any(own, {"incident", "occurrence"})) ||
       // Telling an administrator (§2.11 administrator_notification).
       tells_an_administrator(own) ||
       // A notice or report whose contents are listed is incident documentation (§2.11).
       (has_any(own, {"incident", "occurrence"}) && lists_contents(own))) &&
      !has(own, "incident report data")) {
    add(found, "incident_reporting", 0.75);
  }
  // 2.12 debriefing and follow-up.
  bool assessment =
      has_any(own, {"functional behavior assessment", "functional behavioral assessment",
                    "behavioral intervention plan", "behavior intervention plan"}) &&
      has_any(own, {"complete", "develop", "conduct", "review", "contain", "modify"}) &&
      // §2.12: a duty to assess or plan ("shall also contain a ... functional behavior
      // assessment"), not a condition that mentions a plan the student has.
      has_any(own, {"shall", "must", "will be", "is required", "are required"});
  if ((assessment || has_any(own, {"review the incident", "debrief", "discuss the incident",
                                   "meeting", "prevent future", "de-escalate"})) &&
      !has(own, "behavioral interventions and supports")) {
    add(found, "debriefing", 0.7);
  }
  // 2.13 aggregate data. In a list of what rules must cover, a topic of reporting incidents
  // in a yearly or public report is this too (§9).
  if (has_any(own, {"total number", "core data", "data system", "report data", "publish the",
                    "compile and maintain", "disaggregat", "annual report"}) ||
      reports_aggregate_data(own) || r.topic_data ||
      (has(own, "incident report") && has(own, "department of") && has(own, "within"))) {
    add(found, "data_reporting", 0.75);
  }
  // 2.14 training duties: training as what staff provide, receive, complete or attend, or
  // what training shall be (not "only trained staff may", which is a use condition). In a
  // list of what rules must cover, training as a topic (§9).
  if (has(own, "training") && ((!has(own, "only") && has_any(own, {"complete mandatory",
                                                                   "annually complete",
                                                                   "shall receive",
                                                                   "must receive",
                                                                   "initial and advanced",
                                                                   "shall be trained",
                                                                   "training program for",
                                                                   "provide training",
                                                                   "with training",
                                                                   "shall complete",
                                                                   "refresher",
                                                                   "participate in",
                                                                   "attend",
                                                                   "undergo",
                                                                   "training shall",
                                                                   "training must",
                                                                   "training should",
                                                                   "training will",
                                                                   "advanced training",
                                                                   "recurrent",
                                                                   "shall cover",
                                                                   "must cover",
                                                                   "will cover",
                                                                   "curricul"})) ||
                               r.policy_list)) {
    add(found, "staff_training", 0.75);
  }
}

// 2.15, 2.16: oversight, policies and rules, complaints and enforcement; police and private schools
// carved out.
void add_oversight(const Reading& r, Found& found) {
  std::string_view own = r.own;
  // 2.15 oversight, rules, policies, complaints, enforcement, anti-retaliation; §9: a
  // mandate to adopt a policy or rules, and the items such a mandate lists.
  if (has_any(own, {"adopt regulations", "promulgate rules", "file a complaint",
                    "complaint shall be investigated", "shall withhold", "civil action",
                    "shall not retaliate", "state oversight", "monitoring compliance",
                    "site visits", "sufficient progress", "develop and implement written polic",
                    "shall adopt a policy", "shall adopt policies", "rules adopted by",
                    "investigation of complaints", "complaint procedure"}) ||
      (mandates_policy(own, r.duty_lead) && r.rs_context) || r.policy_list) {
    add(found, "oversight_enforcement", 0.75);
  }
  // 2.16 coverage: police, SROs and guards, private schools, exclusions.
  if (carves_out_coverage(own)) add(found, "scope", 0.7);
}

}  // namespace

std::vector<std::pair<std::string, double>> classify(const Clause& clause, bool in_findings) {
  std::vector<std::pair<std::string, double>> found;
  // Without a lead-in the context is the clause itself (one string, one index).
  const std::string& c = clause.context.empty() ? clause.lowered : clause.context;
  const std::string& own = clause.lowered;
  if (in_findings) return found;  // §3: findings establish nothing
  if (describes_the_law(own)) return found;
  // §3 and §9: a purpose clause describes what the law does without enacting it, also when
  // it is a paragraph of its own ("The purpose of this chapter is to ... These rules clarify
  // that ... are prohibited") or the lead-in of a list of purposes.
  std::string_view body = after_enumerator(own);
  std::string_view lead_body = clause.lead_size > 0 ? after_enumerator(c) : std::string_view();
  for (std::string_view start :
       {"the purpose of this", "the purposes of this", "the purpose of these",
        "the purposes of these", "the intent of this"}) {
    if (body.rfind(start, 0) == 0 || lead_body.rfind(start, 0) == 0) return found;
  }
  BigramIndex own_index(own);
  std::optional<BigramIndex> context_index;
  if (!clause.context.empty()) {
    context_index.emplace(c, std::string_view(c).substr(0, clause.lead_size), own_index);
  }
  Reading r{c, own, std::string_view(c).substr(0, clause.lead_size)};
  r.rs_context = has_rs_term(c);
  bool rs = r.rs_context || clause.section_rs;
  // Items of a list take their meaning from its lead-in (§9): what a policy or rules must
  // cover establishes those provisions; what a definition, a report or a training covers is
  // contents, not duties.
  r.policy_list = clause.lead.policy;
  if (!r.policy_list && clause.lead.definition) return found;
  r.contents_item = !r.policy_list && clause.lead.contents;
  r.duty_lead = clause.lead.duty;
  r.topic_data = r.policy_list && has(own, "report") &&
                 has_any(own, {"annual", "performance report", "public", "data"});
  // "prone restraint, defined as physical pressure ...": a ban that defines its object in
  // passing is both (§9).
  r.inline_definition = has_any(own, {", defined as ", "(defined as "});
  r.definition = (is_definition(own) || r.inline_definition) && !defines_prohibited_practices(own);
  // A definition beside a ban in one clause: both are reported (§9).
  if (r.definition) {
    // One sentence that defines leaves nothing beside the definition.
    std::string rest = has(own, ". ") ? undefined_sentences(own) : std::string();
    r.ban_beside_definition = (prohibits(rest) && has_rs_term(rest)) || r.inline_definition;
  }
  r.defined_prohibitions = defines_prohibited_practices(c);
  // The lead-in of a list of prohibited practices: its items carry the bans.
  if (defines_prohibited_practices(own) && own.find_last_not_of(" \n") == own.rfind(':')) {
    return found;
  }
  r.prohibition =
      (prohibits(c) || r.defined_prohibitions) && (!r.definition || r.ban_beside_definition);
  r.punitive_purpose =
      has_any(own, {"discipline", "punishment", "punitive", "convenience", "coercion"}) &&
      !has(own, "discipline management") && !has(own, "retaliate against") &&
      !has(own, "corporal punishment");

  // 2.17 permissive use: immunity for physical control, reasonable force, restraint
  // planned into an IEP.
  if (has_any(c, {"physical control over", "shall not be subject to criminal prosecution",
                  "may be included in a student", "provided for in the student's individual",
                  "restraint may be included in", "isolation may be included in"}) ||
      (authorizes_force(c) && (clause.force_law || has_any(c, {"student", "pupil", "school"})))) {
    add(found, "permissive_use", 0.8);
  }
  // §2.16 and §9: who is covered, stated for the whole text ("These rules are applicable to
  // all learning environments"), also in a section that names no practice.
  if (states_coverage(own) && !r.definition) add(found, "scope", 0.7);
  bool defines_time_out = r.definition && has_any(own, {"time-out", "time out", "timeout"});
  if (!rs && !defines_time_out && !has_any(c, {"incident", "physical control"})) return found;
  // A ban for a purpose ("may not be used as a therapeutic intervention", "should not be
  // used to manage behavior") says when the practice may not be used, not that it may never
  // be: a use condition (§9), or no_punitive_use when the purpose is punishment.
  r.purpose_restricted =
      has_any(own, {"be used", "be utilized", "be implemented"}) &&  // one of these, or none
      has_any(own,
              {"not be used to", "not be used for", "not be used as", "never be used to",
               "never be used for", "never be used as", "not be utilized as", "not be utilized for",
               "not be utilized to", "not be implemented as", "not be implemented for"});
  r.room_construction =
      has_any(own, {"construct", "remodel", "design"}) &&
      has_any(own, {"isolation room", "seclusion room", "enclosed area", "room or other"});

  if (!add_definition(r, found)) return found;
  add_bans(r, found);
  add_conditions(r, found);
  add_duties(r, found);
  add_oversight(r, found);
  // An item of a report's or training's contents ("the total number of such incidents"):
  // only what such a report is about.
  if (r.contents_item) {
    std::erase_if(found, [](const auto& f) {
      return f.first != "data_reporting" && f.first != "incident_reporting";
    });
  }
  return found;
}

}  // namespace billwatch::analysis::detail
