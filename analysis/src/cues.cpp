#include "cues.hpp"

#include <algorithm>
#include <array>

namespace billwatch::analysis::detail {

// Restraint, seclusion and kindred practices (§6 stage 1).
bool has_rs_term(std::string_view s) {
  if (has_any(s, {"seclu", "isolat", "aversive", "noxious", "time-out room", "timeout room",
                  "prone", "supine", "physical control", "physical escort"})) {
    return true;
  }
  if (!has(s, "restrain")) return has(s, "confine") && has(s, "locked");
  for (std::size_t at = s.find("restrain"); at != std::string_view::npos;
       at = s.find("restrain", at + 8)) {
    // False friends (§4): trade, orders, passenger systems, the press's prior restraint.
    bool false_friend = at >= 6 && s.substr(at - 6, 6) == "prior ";
    for (std::string_view phrase :
         {"restraint of trade", "restraining order", "restraint system", "restrained from"}) {
      false_friend = false_friend || s.compare(at, phrase.size(), phrase) == 0;
    }
    if (!false_friend) return true;
  }
  return has(s, "confine") && has(s, "locked");
}

int count_of(std::string_view s, Phrases phrases) {
  int n = 0;
  for (auto p : phrases) {
    for (std::size_t at = s.find(p); at != std::string_view::npos; at = s.find(p, at + p.size()))
      ++n;
  }
  return n;
}

bool has_education_cue(std::string_view s) {
  return has_any(s, {"student",
                     "pupil",
                     "school",
                     "educational",
                     "education program",
                     "special education",
                     "individualized education",
                     " iep",
                     "charter",
                     "local educational agency",
                     "teacher",
                     "classroom",
                     "head start",
                     "program personnel",
                     "education code",
                     "8vac20",
                     "603 cmr",
                     "ors 339",
                     "28a.",
                     "49-10-"});
}

// Other settings that use the same words (§4), counted.
int negative_cues(std::string_view s) {
  int n = 0;
  for (std::string_view cue :
       {"inmate", "prisoner", "offender", "corrections", "detention", "vehicle", "passenger",
        "juvenile court", "court proceeding", "courtroom", "judicial officer", "patient",
        "hospital", "resident", "nursing", "long term care", "peace officer",
        "law enforcement agenc", "suspect", "dog", "animal", "tether", "motor vehicle",
        "child passenger", "seat belt", "booster", "trade", "commerce", "contract by which",
        "lawful profession", "protective order", "restraining order", "petition", "enjoin",
        "chokehold", "covered juvenile", "juvenile facility", "delinquen",
        // §9: hazing statutes and child-care or foster-care rules
        // name restraint, but are not school restraint law.
        "hazing", "foster", "child care", "child-care", "day care"}) {
    if (!has(s, cue)) continue;
    for (std::size_t at = s.find(cue); at != std::string_view::npos; at = s.find(cue, at + 1)) {
      ++n;
    }
  }
  return n;
}

// A prohibition governing the practice: the verb within reach of the term (§5). §9: a ban
// however it is phrased: passive, active, "may not", "no ... may", a policy's "should
// never", and a policy mandate's "a prohibition on the use of".
bool prohibits_as_written(std::string_view s);

// Wordings that share a ban's verb but ban nothing: a prohibition named, not enacted ("a
// waiver of the prohibition on the use of ...", a policy "to limit or prohibit"); a
// permission ("No employee is prohibited from: ... using reasonable and necessary force");
// applicability and construction ("shall not apply", "shall not be construed").
constexpr std::array<std::string_view, 14> k_not_bans = {
    "waiver of the prohibition", "exception to the prohibition",
    "limit or prohibit",         "limit and prohibit",
    "no employee is prohibited", "is not prohibited",
    "are not prohibited",        "shall not be prohibited",
    "not prohibited from",       "shall not apply",
    "shall not be construed",    "shall not be limited",
    "shall not be deemed",       "shall not include"};

bool prohibits(std::string_view s) {
  // Every such wording has one of these two; most clauses have neither.
  if (!has(s, "prohibit") && !has(s, "shall not")) return prohibits_as_written(s);
  for (std::string_view phrase : k_not_bans) {
    if (!has(s, phrase)) continue;
    // Blank those wordings out and ask again (rare: a copy only when one is present).
    std::string rest(s);
    for (std::string_view p : k_not_bans) {
      for (std::size_t at = rest.find(p); at != std::string::npos; at = rest.find(p, at)) {
        rest.replace(at, p.size(), p.size(), ' ');
      }
    }
    return prohibits_as_written(rest);
  }
  return prohibits_as_written(s);
}

bool prohibits_as_written(std::string_view s) {
  // Every wording below has one of these stems; most clauses have none of them.
  if (!has_any(s, {" not", "prohibit", "never", "no ", "subjected", "remove"})) return false;
  return has_any(s, {"shall not",
                     "may not",
                     "must not",
                     "is prohibited",
                     "are prohibited",
                     "be prohibited",
                     "prohibited from",
                     "no student shall",
                     "shall be subjected",
                     "not be subjected",
                     "shall not use",
                     "no school",
                     "is not permitted",
                     "shall not be used",
                     "never be used",
                     "shall remove",
                     "prohibit the use",
                     "prohibition on the use",
                     "prohibition of the use",
                     "should never",
                     "should not be used",
                     "must never",
                     "no physical restraint may",
                     "no restraint may",
                     "no mechanical restraint may",
                     "no seclusion may",
                     "under no circumstances",
                     "expressly prohibited",
                     "strictly prohibited"}) ||
         has(s, "\"prohibited") || has(s, "\xE2\x80\x9cprohibited");
}

// The sentences of a clause that define nothing: §9 counts a ban or duty written beside a
// definition ("... is prohibited. Seclusion is defined as ...") as what it is.
std::string undefined_sentences(std::string_view s) {
  std::string out;
  for (std::size_t from = 0; from < s.size();) {
    std::size_t end = s.find(". ", from);
    end = end == std::string_view::npos ? s.size() : end + 1;
    std::string_view sentence = s.substr(from, end - from);
    if (!has_any(sentence, {" means", "defined as", "not include", " includes", "include:"})) {
      out.append(sentence);
      out += ' ';
    }
    from = end;
  }
  return out;
}

bool has_exception(std::string_view s) {
  return has_any(s, {"except", "unless", "provided, that", "provided that", "does not apply",
                     "do not apply", "until "});
}

// "X" means / the term X means / X shall mean / "X" includes / "X", using...
bool is_definition(std::string_view s) {
  auto quoted_term_before = [&](std::size_t at) {
    std::string_view before = s.substr(at > 120 ? at - 120 : 0, at > 120 ? 120 : at);
    return has(before, "\"") || has(before, "\xE2\x80\x9d") || has(before, "the term");
  };
  if (!has_any(s, {"mean", "defined", "include"})) {
    std::size_t first = s.find_first_not_of(" ");  // only the Missouri style below
    if (first == std::string_view::npos ||
        (s[first] != '"' && s.substr(first, 3) != "\xE2\x80\x9c")) {
      return false;
    }
  }
  for (std::string_view verb :
       {" means ", " means:", " shall mean ", " is defined as ", " includes, but is not limited to",
        " does not include", " shall not include", " includes:", "\" includes ",
        "\xE2\x80\x9d includes "}) {
    if (!has(s, verb)) continue;
    for (std::size_t at = s.find(verb); at != std::string_view::npos; at = s.find(verb, at + 1)) {
      if (verb == " means " && at >= 2 && s.substr(at - 2, 2) == " a") continue;  // "a means of"
      if (verb.find("mean") != std::string_view::npos && verb != " shall mean " &&
          !quoted_term_before(at)) {
        // "Mechanical restraint means" without quotes: accept a short subject.
        std::size_t start = s.rfind('.', at);
        start = start == std::string_view::npos ? 0 : start;
        if (at - start > 60) continue;
      }
      return true;
    }
  }
  // Missouri style: (3) "Prone restraint", using ...
  std::size_t first = s.find_first_not_of(" ");
  if (first != std::string_view::npos &&
      (s[first] == '"' || s.substr(first, 3) == "\xE2\x80\x9c")) {
    std::size_t close = s.find_first_of("\"", first + 1);
    if (close != std::string_view::npos && close < first + 80 && close + 1 < s.size() &&
        (s[close + 1] == ',' || s.substr(close + 1, 2) == " -")) {
      return true;
    }
  }
  return false;
}

// WA HB 1479-S §1(12)(m): '"Prohibited isolation or restraint" means ...' lists banned
// practices (taxonomy rule 2): the items carry the bans, not a definition.
bool defines_prohibited_practices(std::string_view s) {
  return has_any(s, {"\"prohibited", "\xE2\x80\x9cprohibited"}) && has(s, " means");
}

// Deadline wording for notices, reports and reviews (§6).
std::string find_deadline(std::string_view s) {
  for (std::string_view fixed :
       {"same day", "end of the school day", "one hour after the end of the school day",
        "as soon as possible", "immediately"}) {
    if (has(s, fixed)) {
      if (fixed == "end of the school day" && has(s, "one hour after the end of the school day")) {
        return "one hour after the end of the school day";
      }
      return std::string(fixed);
    }
  }
  for (std::string_view lead : {"within ", "not later than ", "no later than "}) {
    std::size_t at = s.find(lead);
    if (at == std::string_view::npos) continue;
    std::string_view rest = s.substr(at, 60);
    for (std::string_view unit : {" hours", " hour", " school days", " school day",
                                  " business days", " business day", " days", " day", " week"}) {
      std::size_t u = rest.find(unit);
      if (u != std::string_view::npos && u < 45)
        return std::string(rest.substr(0, u + unit.size()));
    }
  }
  return {};
}

// §2.17 and §9: a permission to use force or restraint on students (reasonable-force and
// teacher-immunity laws, "may use reasonable and necessary physical restraint"). Both
// slots must be filled: a force wording and a permission operator, so a ban on
// unreasonable force or a policy's "procedures for the use of reasonable ... restraint"
// is not a permission. Matched in CA, IA, ND, NE and UT law and district policies.
bool authorizes_force(std::string_view c) {
  // The stems first: every force wording has one of them, and most clauses none.
  bool force =
      has_any(c, {"force", "quell", "control", "contact", "reasonable"}) &&
      has_any(c, {"quell a", "physical control over", "reasonable and necessary force",
                  "reasonable and necessary physical", "degree of force", "reasonable force",
                  "necessary physical contact", "physical contact with the body of a student"});
  return force &&
         has_any(
             c, {"may use", "not prohibited from", "does not prohibit", "shall not prohibit",
                 "shall not be subject to", "shall not be considered corporal", "is not prohibited",
                 "are not prohibited", "no employee is prohibited", "no employee subject to",
                 "nothing in this section prohibits", "nothing in this policy prohibits"});
}

// §2.15 and §9: a mandate to adopt a policy, plan, rules or procedures (a board "shall
// adopt a policy", a school "must adopt a ... plan", a commission's duty "to adopt rules",
// schools "shall establish policies and procedures"): a duty verb, then within a few
// words the instrument it creates. Procedures alone ("shall establish procedures to be
// followed after an incident") are the duty they serve, not a policy mandate.
// `duty_lead`: the clause is an item of a list whose lead-in carries the duty ("The board
// shall: ... (xxx) adopt a policy"), so the bare verb is the duty. A plan for one student
// (a behavior or response plan) is not a policy.
bool mandates_policy(std::string_view c, bool duty_lead) {
  auto mandates = [&](std::string_view duty) {
    if (!has(c, duty)) return false;  // the clause's index rejects most duties without a search
    for (std::size_t at = c.find(duty); at != std::string_view::npos;
         at = c.find(duty, at + duty.size())) {
      std::string_view after = c.substr(at, duty.size() + 90);
      if (has_any(after, {"policy", "policies", " plan", "rules", "regulations"}) &&
          !has_any(after, {"for the student", "student's", "behavior"})) {
        return true;
      }
    }
    return false;
  };
  if (!has_any(c, {"adopt", "develop", "establish", "promulgate", "specify", "revise"}))
    return false;
  for (std::string_view duty :
       {"shall adopt", "must adopt", "shall develop", "must develop", "shall establish",
        "must establish", "shall promulgate", "shall specify", "to adopt rules", "adopt or revise",
        "shall revise", "shall develop and implement"}) {
    if (mandates(duty)) return true;
  }
  if (duty_lead) {
    for (std::string_view duty : {"adopt ", "develop ", "establish ", "promulgate "}) {
      if (mandates(duty)) return true;
    }
  }
  return false;
}

// Whether a lead-in ends by handing its duty to the items ("The board of trustees in each
// school district shall:", "The commission has the following duties:").
bool is_duty_lead(std::string_view last_lead) {
  std::size_t end = last_lead.find_last_not_of(" \n:");
  if (end == std::string_view::npos) return false;
  std::string_view body = last_lead.substr(0, end + 1);
  for (std::string_view tail :
       {" shall", " must", "the following", "following duties", "all of the following", "duties"}) {
    if (body.size() >= tail.size() && body.substr(body.size() - tail.size()) == tail) return true;
  }
  return false;
}

// A lead-in that lists what one report, notice, document or training must contain ("the
// incident report must include:", "Training will cover the following topics:"): its items
// are contents, not duties of their own. A policy's or rules' list is not one (§9).
bool lists_contents(std::string_view last_lead) {
  if (!has_any(last_lead, {"includ", "contain", "cover"})) return false;
  for (std::string_view verb : {"includ", "contain", "cover"}) {
    std::size_t at = last_lead.find(verb);
    if (at == std::string_view::npos) continue;
    std::string_view before = last_lead.substr(at > 120 ? at - 120 : 0, at > 120 ? 120 : at);
    if (has_any(before, {"polic", " plan", "rules", "regulations", "request"})) return false;
    if (has_any(before, {"report", "documentation", "training", "notice", "notification", "letter",
                         "record"})) {
      return true;
    }
  }
  return false;
}

// §9: the list a policy or rulemaking mandate says the instrument must cover ("the policy
// shall contain the following", "each plan shall include", "policies ... shall include").
// The instrument must be what includes: it stands just before the verb.
// `context` is the indexed lead-in + clause; `lead` its start.
bool lists_what_a_policy_covers(std::string_view context, std::string_view lead) {
  for (std::string_view verb :
       {"shall contain", "shall include", "must include", "must contain", "shall address",
        "include, at a minimum", "concerning the following", "regarding the following",
        "on the following"}) {
    if (!has(context, verb)) continue;
    for (std::size_t at = lead.find(verb); at != std::string_view::npos;
         at = lead.find(verb, at + verb.size())) {
      std::size_t from = at > 80 ? at - 80 : 0;
      if (has_any(lead.substr(from, at - from), {"polic", " plan", "rules", "regulations"})) {
        return true;
      }
    }
  }
  return false;
}

// §2.16 and §9: who is covered: a statement of applicability, or a definition of the
// covered people or institutions for the section.
// Matched in RI, VT, WY, MS, ME and federal wording.
bool states_coverage(std::string_view own) {
  // Every wording has one of these; most clauses have none.
  if (!has_any(own, {"appl", "govern", " means", "group"})) return false;
  return has_any(
      own, {"are applicable to", "is applicable to", "shall apply to all", "should apply to all",
            "applies to all", "apply to all", "govern the use of", "\"covered entity\" means",
            "\xE2\x80\x9c"
            "covered entity\xE2\x80\x9d means",
            "\"student\" means", "\"school\" means", "\"educational program\" means",
            "shall apply any time", "apply to any student", "group of students",
            "subgroups of students", "subgroup of students"});
}

// §2.16: police, SROs, guards or private and home schools carved out or brought in ("does
// not prohibit the lawful exercise of law enforcement duties", "Nothing ... prohibits a
// school resource officer", "This policy does not prohibit law enforcement from"). Both
// slots: who, and the carve-out. Matched in KY, ID, WA and federal wording.
bool carves_out_coverage(std::string_view own) {
  return has_any(own, {"school resource officer", "school security guard", "security guard",
                       "law enforcement", "peace officer", "police", "private school",
                       "home school", "nonpublic school"}) &&
         has_any(own, {"nothing in", "does not apply", "do not apply", "shall not apply",
                       "shall not be construed", "does not prohibit", "do not prohibit",
                       "not intended to", "by any program personnel"});
}

// §2.11 administrator_notification: staff tell an administrator ("immediately contact
// appropriate school personnel", "notify the principal", "seek out the assistance of the
// school's administration"): the act, then within a few words who is told. An
// administrator who acts ("the principal ... shall review") is not told anything.
bool tells_an_administrator(std::string_view own) {
  for (std::string_view act :
       {"notify the", "inform the", "contact the", "contact appropriate", "seek out the assistance",
        "alert the", "report to the", "report it to", "notify a", "notify an"}) {
    if (!has(own, act)) continue;
    for (std::size_t at = own.find(act); at != std::string_view::npos;
         at = own.find(act, at + act.size())) {
      if (has_any(own.substr(at, act.size() + 50),
                  {"administrator", "administration", "principal", "school personnel"})) {
        return true;
      }
    }
  }
  return false;
}

// §2.13: aggregate data, reported up or published: an act (summarize, compile, publish,
// submit, report) on aggregated data (summaries, totals, data) going to the state or the
// public, or every year. One incident's report to a parent is not this (§2.10, §2.11).
// Matched in WA, WY, KS, MO and federal wording.
bool reports_aggregate_data(std::string_view own) {
  bool act = has_any(own, {"summarize", "compile", "publish", "post ", "submit", "report"});
  // Reports of incidents or data, summarized: "summarizing the information" of a discipline
  // report is not restraint data.
  bool aggregate =
      has_any(own, {"summarize the written reports", "summarize the reports", "summaries",
                    "aggregate", "total number", "number of incidents", " data"});
  bool upward = has_any(own, {"annually", "each year", "website", "web site", "publish",
                              "office of the superintendent", "department", "state board",
                              "legislature", "secretary"});
  return act && aggregate && upward;
}

// The clause without its enumerator ("1. The purpose ...", "(a) The board ...").
std::string_view after_enumerator(std::string_view own) {
  std::size_t i = 0;
  if (i < own.size() && own[i] == '(') {
    std::size_t close = own.find(')');
    if (close != std::string_view::npos && close <= 6) i = close + 1;
  } else {
    while (i < own.size() && i < 5 && ascii_alnum(own[i])) ++i;
    i = i < own.size() && own[i] == '.' ? i + 1 : 0;
  }
  while (i < own.size() && (own[i] == ' ' || own[i] == '\n')) ++i;
  return own.substr(i);
}

// §3: a sentence that describes what the instrument does ("These rules clarify that ...
// are prohibited", "This chapter describes ..."), as purpose sections and summaries do.
bool describes_the_law(std::string_view own) {
  std::string_view body = after_enumerator(own);
  for (std::string_view subject : {"these rules ", "this chapter ", "these regulations ",
                                   "this act ", "this section ", "this policy ", "this rule "}) {
    if (body.rfind(subject, 0) != 0) continue;
    std::string_view verb = body.substr(subject.size(), 20);
    return has_any(verb, {"clarif", "describ", "explain", "summariz", "intended", "outline"});
  }
  return false;
}

}  // namespace billwatch::analysis::detail
