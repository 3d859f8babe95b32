// The analyzer's rules by their structure: each test writes a provision in wordings of its
// own (not a labeled passage) and in more than one shape, so that a rule fitted to one
// passage's words fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>

#include "billwatch/analysis/provisions.hpp"

namespace billwatch::analysis {
namespace {

std::set<std::string> categories_of(const std::string& text) {
  auto analysis = analyze_provisions(text);
  auto list = analysis.categories();
  return {list.begin(), list.end()};
}

bool finds(const std::string& text, const std::string& category) {
  return categories_of(text).count(category) > 0;
}

TEST(ProvisionRulesTest, ABanHoweverItIsPhrased) {
  // §9: passive, active, "may not", "no ... may", a policy's "should never", "under no
  // circumstances".
  for (const char* text :
       {"It is the policy of the school district that the use of seclusion is prohibited.",
        "A school employee may not place a student in seclusion.",
        "Under no circumstances shall a student be placed in seclusion by school personnel.",
        "Seclusion of students should never be used in district schools.",
        "Students may not be secluded at school."}) {
    EXPECT_TRUE(finds(text, "seclusion_ban")) << text;
  }
  EXPECT_TRUE(
      finds("No school employee may use a restraint on a pupil that restricts the "
            "pupil's breathing.",
            "prone_restraint_ban"));
  EXPECT_TRUE(finds("The use of chemical and mechanical restraint on students is prohibited.",
                    "chemical_restraint_ban"));
  // A ban that is only named, or a permission with the same verb, bans nothing.
  EXPECT_FALSE(
      finds("A school may apply for a waiver of the prohibition on the use of "
            "mechanical restraint for a student.",
            "mechanical_restraint_ban"));
  EXPECT_FALSE(
      finds("The board's policy is to limit or prohibit the use of seclusion and "
            "chemical restraint of students.",
            "chemical_restraint_ban"));
}

TEST(ProvisionRulesTest, APurposeOrAGroupLimitIsAUseCondition) {
  // "may not be used as/to/for X" limits when, it does not ban (§9).
  std::string text = "Seclusion may not be used as an educational intervention for students.";
  EXPECT_FALSE(finds(text, "seclusion_ban"));
  EXPECT_TRUE(finds(text, "use_conditions"));
  EXPECT_TRUE(
      finds("Physical restraint of a student may only be used when the student "
            "presents an immediate danger to self or others.",
            "use_conditions"));
  // §5: a named practice banned with an exception is the ban, not a use condition; physical
  // restraint banned except in danger is a use condition.
  auto named = categories_of(
      "Staff shall not use prone restraint on a student unless a "
      "physician has approved it in writing.");
  EXPECT_TRUE(named.count("prone_restraint_ban"));
  EXPECT_FALSE(named.count("use_conditions"));
  EXPECT_TRUE(
      finds("The use of physical restraint on students is prohibited except when there "
            "is an imminent risk of serious injury.",
            "use_conditions"));
}

TEST(ProvisionRulesTest, ListItemsTakeTheirMeaningFromTheLeadIn) {
  // What a policy or rules must cover establishes those provisions (§9) ...
  std::string rules =
      "The state board shall adopt rules concerning the following:\n"
      "(1) Requirements for notifying parents after restraint or seclusion.\n"
      "(2) Training of school employees on restraint and seclusion.\n";
  auto found = categories_of(rules);
  EXPECT_TRUE(found.count("oversight_enforcement"));
  EXPECT_TRUE(found.count("parent_notification"));
  EXPECT_TRUE(found.count("staff_training"));
  // ... a duty handed to the items by the lead-in ...
  EXPECT_TRUE(
      finds("The board of each school district shall:\n"
            "(a) by July 1, adopt a policy on the use of restraint and seclusion;\n"
            "(b) report to the department.\n",
            "oversight_enforcement"));
  // ... but what a report or a training covers is contents, not duties.
  auto contents = categories_of(
      "Training on restraint and seclusion shall cover the following topics:\n"
      "(a) debriefing of students and staff;\n"
      "(b) continuous monitoring of a secluded student.\n");
  EXPECT_TRUE(contents.count("staff_training"));
  EXPECT_FALSE(contents.count("debriefing"));
  EXPECT_FALSE(contents.count("seclusion_conditions"));
  // Items of a definition are the definition.
  auto definition = categories_of(
      "\"Aversive intervention\" means any of the following:\n"
      "(a) withholding bathroom facilities;\n"
      "(b) a noxious spray.\n");
  EXPECT_TRUE(definition.count("definition"));
  EXPECT_FALSE(definition.count("seclusion_conditions"));
  EXPECT_FALSE(definition.count("aversive_ban"));
}

TEST(ProvisionRulesTest, WhoIsToldAndWhoActs) {
  // The notice in the lead-in, the parent in the item.
  EXPECT_TRUE(
      finds("If a student is restrained, the school shall provide notice by the end of "
            "the day to:\n(a) the student's parent; and\n(b) the principal.\n",
            "parent_notification"));
  // Telling an administrator is incident reporting; an administrator who acts is not told.
  EXPECT_TRUE(
      finds("After any restraint of a student, the staff member shall notify the "
            "building administrator.",
            "incident_reporting"));
  EXPECT_FALSE(
      finds("After any restraint of a student, the principal shall review the incident "
            "with the student and inform the parent about next steps.",
            "incident_reporting"));
  // A discipline notice to a parent is not about restraint.
  EXPECT_FALSE(
      finds("Sec. 1. (a) A principal may suspend a student. The principal shall "
            "provide written notice to the student's parent of the suspension.\n"
            "(b) Nothing in this section authorizes the restraint of a student.",
            "parent_notification"));
}

TEST(ProvisionRulesTest, CoverageAndCarveOuts) {
  EXPECT_TRUE(
      finds("These rules on restraint and seclusion apply to all students in public "
            "schools.",
            "scope"));
  EXPECT_TRUE(
      finds("Restraint of students is limited by this section. This section does not "
            "prohibit a police officer from exercising law enforcement duties at a "
            "school.",
            "scope"));
}

TEST(ProvisionRulesTest, DescriptionsAndNumberedCodesEstablishNothingOrTheirOwnSections) {
  // §3: a sentence describing the rules, after a purpose statement.
  EXPECT_TRUE(categories_of("The purpose of this chapter is to protect students. These rules "
                            "clarify that prone restraint and seclusion are prohibited.")
                  .empty());
  // "8.1", "8.1.2" numbering: each subdivision is its own section.
  auto sections = split_sections(
      "8.1 A school shall report restraint.\n8.1.1 The report shall be in writing.\n");
  ASSERT_EQ(sections.size(), 2u);
  EXPECT_EQ(sections[1].path, "Sec. 8.1.1");
}

}  // namespace
}  // namespace billwatch::analysis
