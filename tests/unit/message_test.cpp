#include "billwatch/notifier/message.hpp"

#include <gtest/gtest.h>

#include "billwatch/core/escape.hpp"
#include "billwatch/notifier/address.hpp"

namespace billwatch::notifier {
namespace {

ChangeEvent changed_event() {
  ChangeEvent e;
  e.id = 7;
  e.kind = EventKind::NewVersion;
  e.created_at = 1764325500;  // 2025-11-28T10:25:00Z
  e.bill = Bill{};
  e.bill.id = "wa-hb1795";
  e.bill.jurisdiction = "WA";
  e.bill.title = "HB 1795 - Student restraint, isolation";
  e.bill.source = "wa";
  e.bill.url = "https://example.org/hb1795?a=1&b=<2>";
  e.relevant = true;
  e.change = ChangeSummary{60912, 12782, 43, 240, {"Added <b>text</b>"}, {"Old text"}};
  return e;
}

TEST(MessageTest, NewVersionSaysWhatChanged) {
  Message m = build_message(changed_event(), "Bill alerts <alerts@example.org>",
                            "parent@example.org", 3, 1764325500);
  EXPECT_EQ(m.envelope_from, "alerts@example.org");
  EXPECT_EQ(m.envelope_to, "parent@example.org");
  EXPECT_EQ(m.subject, "[billwatch] WA HB 1795 - Student restraint, isolation: new version");
  EXPECT_EQ(m.date, "Fri, 28 Nov 2025 10:25:00 +0000");
  EXPECT_EQ(m.message_id, "<billwatch.event7.sub3@example.org>");
  EXPECT_NE(m.text.find("The text went from 60,912 to 12,782 characters: 43 paragraphs added, "
                        "240 paragraphs removed.\r\n"),
            std::string::npos);
  EXPECT_NE(m.text.find("  + Added <b>text</b>\r\n"), std::string::npos);
  EXPECT_NE(m.text.find("  - Old text\r\n"), std::string::npos);
  EXPECT_NE(m.text.find("Source: https://example.org/hb1795?a=1&b=<2>"), std::string::npos);
  EXPECT_EQ(m.text.find("\n\n"), std::string::npos) << "bare LF in a mail body";
  // Bill text is escaped in HTML, links included.
  EXPECT_NE(m.html.find("<li>Added &lt;b&gt;text&lt;/b&gt;</li>"), std::string::npos);
  EXPECT_NE(m.html.find("href=\"https://example.org/hb1795?a=1&amp;b=&lt;2&gt;\""),
            std::string::npos);
}

// Markdown heading marks are how a page said "heading": a mail shows "Section 1".
TEST(MessageTest, MarkdownHeadingMarksDoNotShowInMails) {
  ChangeEvent e = changed_event();
  e.change->added_samples = {"## Section 1 The purpose of this act"};
  e.change->removed_samples = {"### Sec. 2 Old text"};
  Message m = build_message(e, "alerts@example.org", "parent@example.org", 3, 1764325500);
  EXPECT_NE(m.text.find("  + Section 1 The purpose of this act"), std::string::npos) << m.text;
  EXPECT_NE(m.text.find("  - Sec. 2 Old text"), std::string::npos);
  EXPECT_EQ(m.text.find("##"), std::string::npos);
  EXPECT_EQ(m.html.find("##"), std::string::npos);
  EXPECT_EQ(without_heading_marks("a # b\n## c\n#nospace"), "a # b\nc\n#nospace");
}

// An API-supplied source URL is text, never a link, unless it is http(s).
TEST(MessageTest, OnlyWebUrlsBecomeLinks) {
  for (const char* url : {"javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)",
                          "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x", "//evil.example/x"}) {
    ChangeEvent e = changed_event();
    e.bill.url = url;
    Message m = build_message(e, "alerts@example.org", "parent@example.org", 3, 1764325500);
    EXPECT_EQ(m.html.find("href=\"" + std::string(url)), std::string::npos) << url;
    EXPECT_NE(m.html.find("Source: " + html_escape(url)), std::string::npos) << url;
  }
}

// What counts as words a subscriber may give: well-formed UTF-8 only.
TEST(MessageTest, WellFormedUtf8IsTold) {
  for (const char* good : {"", "seclusion", "café", "日本", "\xf0\x9f\x98\x80"}) {
    EXPECT_TRUE(is_valid_utf8(good)) << good;
  }
  for (const char* bad :
       {"caf\xff", "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    EXPECT_FALSE(is_valid_utf8(bad)) << "overlong, surrogate, past U+10FFFF or cut short";
  }
}

// A long non-ASCII title is cut between characters, never inside one.
TEST(MessageTest, DigestSubjectsCutTitlesAtCharacterBoundaries) {
  ChangeEvent a = changed_event();
  a.bill.title = std::string(99, 'x') + "ééééé";  // byte 100 is inside the first é
  ChangeEvent b = a;
  b.id = a.id + 1;
  Message m = build_digest({a, b}, "alerts@example.org", "parent@example.org", 3, 1764325500, {});
  EXPECT_EQ(utf8_truncate(a.bill.title, 100), std::string(99, 'x') + "...");
  EXPECT_NE(m.subject.find(std::string(60, 'x')), std::string::npos) << m.subject;
  EXPECT_EQ(m.subject.find("=?UTF-8?"), std::string::npos)
      << "the cut title is ASCII: " << m.subject;
}

TEST(EscapeTest, CsvCellsThatWouldRunAsFormulasAreNeutralised) {
  EXPECT_EQ(csv_field("=HYPERLINK(\"http://evil\",\"x\")"),
            "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\"");
  for (const char* cell : {"+1", "-1+2", "@SUM(A1)", "\tx", "\rx"}) {
    EXPECT_EQ(csv_field(cell).find('\''), csv_field(cell)[0] == '"' ? 1u : 0u) << cell;
  }
  EXPECT_EQ(csv_field("plain, text"), "\"plain, text\"");
  EXPECT_EQ(csv_field("2026-01-01"), "2026-01-01");
  EXPECT_TRUE(is_web_link("https://app.leg.wa.gov/x?a=1"));
  EXPECT_FALSE(is_web_link("https://x.example/a b"));
  EXPECT_FALSE(is_web_link("https://x.example/\nSet-Cookie"));
}

TEST(MessageTest, NewBillHasNoChangeSection) {
  ChangeEvent e = changed_event();
  e.kind = EventKind::NewBill;
  e.change.reset();
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_EQ(m.subject, "[billwatch] WA HB 1795 - Student restraint, isolation: now watching");
  EXPECT_NE(m.text.find("billwatch is now watching this bill"), std::string::npos);
  EXPECT_EQ(m.text.find("paragraphs added"), std::string::npos);
}

TEST(MessageTest, NonAsciiSubjectIsEncodedInShortWords) {
  ChangeEvent e = changed_event();
  e.bill.title =
      "Proyecto de ley: restricci\xC3\xB3n y aislamiento de estudiantes \xE2\x80\x94 "
      "escuelas p\xC3\xBA"
      "blicas de Washington";
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_EQ(m.subject.rfind("=?UTF-8?B?", 0), 0u);
  std::size_t pos = 0;
  while (pos < m.subject.size()) {
    std::size_t end = m.subject.find("\r\n ", pos);
    std::string word = m.subject.substr(pos, end == std::string::npos ? end : end - pos);
    EXPECT_LE(word.size(), 75u) << word;
    EXPECT_EQ(word.substr(word.size() - 2), "?=");
    pos = end == std::string::npos ? m.subject.size() : end + 3;
  }
}

TEST(MessageTest, EncodeHeaderValueLeavesAsciiAlone) {
  EXPECT_EQ(encode_header_value("plain"), "plain");
  EXPECT_EQ(encode_header_value("caf\xC3\xA9"), "=?UTF-8?B?Y2Fmw6k=?=");
}

TEST(MessageTest, HeaderInjectionIsRejected) {
  EXPECT_THROW(build_message(changed_event(), "alerts@example.org",
                             "p@example.org\r\nBcc: victim@example.org", 1, 0),
               std::invalid_argument);
  EXPECT_THROW(build_message(changed_event(), "a@example.org\nX: y", "p@example.org", 1, 0),
               std::invalid_argument);
  EXPECT_THROW(build_message(changed_event(), "alerts@example.org", "not an address", 1, 0),
               std::invalid_argument);
}

TEST(AddressTest, Validation) {
  EXPECT_TRUE(is_valid_address("parent@example.org"));
  EXPECT_TRUE(is_valid_address("first.last+tag@sub.example.org"));
  EXPECT_FALSE(is_valid_address("no-at-sign"));
  EXPECT_FALSE(is_valid_address("a@b@c"));
  EXPECT_FALSE(is_valid_address("a b@example.org"));
  EXPECT_FALSE(is_valid_address("a@example.org\r\n"));
  EXPECT_FALSE(is_valid_address("<a@example.org>"));
  EXPECT_FALSE(is_valid_address("a@.example.org"));
  EXPECT_EQ(address_of("Bill alerts <alerts@example.org>"), "alerts@example.org");
  EXPECT_EQ(address_of(" alerts@example.org "), "alerts@example.org");
}

TEST(MessageTest, LegiscanDataIsAttributed) {
  ChangeEvent e = changed_event();
  Message plain = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_EQ(plain.text.find("LegiScan"), std::string::npos);
  e.bill.legiscan_id = "1885997";
  Message attributed = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_NE(
      attributed.text.find("Bill data from LegiScan (https://legiscan.com), licensed CC BY 4.0."),
      std::string::npos);
  EXPECT_NE(attributed.html.find("licensed CC BY 4.0"), std::string::npos);
}

ChangeEvent federal_event(EventKind kind) {
  ChangeEvent e;
  e.id = 42;
  e.kind = kind;
  e.created_at = 1764325500;
  e.bill.id = "US-119-HR-4350";
  e.bill.jurisdiction = "US";
  e.bill.identifier = "H.R. 4350";
  e.bill.title = "Keeping All Students Safe Act";
  e.bill.url = "https://www.govinfo.gov/bulkdata/BILLSTATUS/119/hr/BILLSTATUS-119hr4350.xml";
  return e;
}

Action action(const char* date, const char* chamber, const char* text, Stage stage) {
  Action a;
  a.date = date;
  a.chamber = chamber;
  a.text = text;
  a.stage = stage;
  return a;
}

TEST(MessageTest, StatusChangeSaysWhereTheBillWentInChamberWords) {
  ChangeEvent e = federal_event(EventKind::StatusChanged);
  e.old_stage = stage::k_in_committee;
  e.stage = stage::k_passed_one_chamber;
  e.new_actions = {action("2026-02-10", "House", "Passed/agreed to in House: On passage Passed.",
                          stage::k_passed_one_chamber),
                   action("2026-02-12", "Senate",
                          "Received in the Senate and Read twice and referred to the Committee "
                          "on Health, Education, Labor, and Pensions.",
                          Stage::none)};
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_EQ(m.subject,
            "[billwatch] US Keeping All Students Safe Act: passed the House, in Senate committee")
      << "the move is the subject";
  EXPECT_NE(m.text.find("This bill moved: in House committee \u2192 passed the House, in Senate "
                        "committee (2026-02-10). Next: committee and a vote in the Senate.\r\n"),
            std::string::npos)
      << "when it moved and what comes next: " << m.text;
  // The actions that moved it, with their dates and chambers.
  EXPECT_NE(m.text.find("  * 2026-02-10 House: Passed/agreed to in House: On passage Passed."),
            std::string::npos);
  EXPECT_NE(m.text.find("  * 2026-02-12 Senate: Received in the Senate"), std::string::npos);
  EXPECT_NE(
      m.html.find("in House committee \u2192 passed the House, in Senate committee (2026-02-10)."),
      std::string::npos);
}

TEST(MessageTest, ActionSaysWhereTheBillStands) {
  ChangeEvent e = federal_event(EventKind::Action);
  e.stage = stage::k_in_committee;
  e.new_actions = {action("2025-07-10", "House",
                          "Referred to the Committee on Education and Workforce.",
                          stage::k_in_committee)};
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_EQ(m.subject, "[billwatch] US Keeping All Students Safe Act: new action");
  EXPECT_NE(m.text.find("The legislature recorded new actions on this bill. Where it stands: in "
                        "House committee."),
            std::string::npos)
      << m.text;
  EXPECT_NE(m.text.find("  * 2025-07-10 House: Referred to the Committee on Education and "
                        "Workforce. (in_committee)"),
            std::string::npos);
  EXPECT_EQ(m.text.find("relevance screen"), std::string::npos) << "actions are not texts";
}

TEST(MessageTest, NewVersionNamesTheVersion) {
  ChangeEvent e = federal_event(EventKind::NewVersion);
  e.version_id = 9;
  e.version_label = "Reported in Senate";
  e.relevant = true;
  e.change = ChangeSummary{1000, 1200, 2, 1, {"New paragraph."}, {"Old paragraph."}};
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_NE(m.text.find("A new version of this bill was published: Reported in Senate."),
            std::string::npos);
  EXPECT_NE(m.text.find("The text concerns restraint or seclusion of students."),
            std::string::npos);
}

TEST(MessageTest, ProvisionChangesListExcerptsAndSections) {
  ChangeEvent e = federal_event(EventKind::ProvisionsChanged);
  e.version_id = 9;
  ProvisionChange removed;
  removed.kind = ProvisionChange::Kind::Removed;
  removed.category = "seclusion_ban";
  removed.section = "Sec. 4(a)(1)";
  removed.old_excerpt = "No school personnel may use seclusion.";
  ProvisionChange added;
  added.kind = ProvisionChange::Kind::Added;
  added.category = "parent_notification";
  added.section = "Sec. 5(b)";
  added.new_excerpt = "The school shall notify the parent <in writing> the same day.";
  e.provision_changes = {removed, added};
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_EQ(m.subject,
            "[billwatch] US Keeping All Students Safe Act: Removed: Ban on seclusion (was "
            "Sec. 4(a)(1)) (+1 more)")
      << "the most important change, in words, in the subject";
  std::size_t heading = m.text.find("What changed for students:");
  std::size_t lost = m.text.find("  * Removed: Ban on seclusion (was Sec. 4(a)(1))");
  std::size_t quote = m.text.find("    \"No school personnel may use seclusion.\"");
  std::size_t told = m.text.find("  * Added: Telling parents (Sec. 5(b))");
  ASSERT_NE(heading, std::string::npos) << m.text;
  ASSERT_NE(told, std::string::npos) << m.text;
  EXPECT_LT(heading, lost);
  EXPECT_LT(lost, quote);
  EXPECT_LT(quote, told) << "the lost ban first, with its words";
  EXPECT_EQ(m.text.find("seclusion_ban"), std::string::npos) << "no category ids";
  EXPECT_EQ(m.text.find("parent_notification"), std::string::npos);
  EXPECT_NE(m.html.find("the parent &lt;in writing&gt; the same day."), std::string::npos);
}

ProvisionChange change_of(ProvisionChange::Kind kind, const char* category, const char* section,
                          const char* old_excerpt, const char* new_excerpt) {
  ProvisionChange c;
  c.kind = kind;
  c.category = category;
  c.section = section;
  c.old_excerpt = old_excerpt;
  c.new_excerpt = new_excerpt;
  return c;
}

TEST(MessageTest, ProvisionChangesAreSaidForParentsMostImportantFirst) {
  ChangeEvent e = federal_event(EventKind::ProvisionsChanged);
  e.version_id = 9;
  e.version_number = 2;
  using Kind = ProvisionChange::Kind;
  e.provision_changes = {
      change_of(Kind::Changed, "definition", "Sec. 2(4)", "\"Isolation\" means a room.",
                "\"Isolation\" means a room or area."),
      change_of(Kind::Changed, "parent_notification", "Sec. 3(5)",
                "The school shall notify the parent within 24 hours of the incident.",
                "The school shall notify the parent within 48 hours of the incident."),
      change_of(Kind::Added, "permissive_use", "Sec. 3(8)", "",
                "Restraint may be included in a student's IEP at a parent's request."),
      // One paragraph, two categories: one item.
      change_of(Kind::Removed, "mechanical_restraint_ban", "Sec. 3(2)",
                "Mechanical and chemical restraint are prohibited.", ""),
      change_of(Kind::Removed, "chemical_restraint_ban", "Sec. 3(2)",
                "Mechanical and chemical restraint are prohibited.", ""),
  };
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  std::size_t bans = m.text.find(
      "Removed: Ban on mechanical restraint and ban on chemical restraint (was Sec. 3(2))");
  std::size_t permission = m.text.find("Added: Permission to restrain or seclude (Sec. 3(8))");
  std::size_t parents =
      m.text.find("Changed: Telling parents (Sec. 3(5)): within 24 \u2192 48 hours");
  std::size_t definition =
      m.text.find("Changed: Definitions (Sec. 2(4)): a room. \u2192 room or area.");
  ASSERT_NE(bans, std::string::npos) << m.text;
  ASSERT_NE(permission, std::string::npos) << m.text;
  ASSERT_NE(parents, std::string::npos) << m.text;
  ASSERT_NE(definition, std::string::npos) << m.text;
  EXPECT_LT(bans, parents) << "a lost protection before duties";
  EXPECT_LT(permission, parents) << "a new permission before duties";
  EXPECT_LT(parents, definition) << "duties before definitions";
  EXPECT_EQ(m.text.find("Removed: Ban on chemical restraint"), std::string::npos)
      << "one paragraph is one item";
}

TEST(MessageTest, ALongListOfChangesEndsWithWhereToSeeTheRest) {
  ChangeEvent e = federal_event(EventKind::ProvisionsChanged);
  e.version_id = 9;
  e.version_number = 2;
  for (int i = 0; i < 15; ++i) {
    std::string section = "Sec. " + std::to_string(i + 1);
    e.provision_changes.push_back(change_of(ProvisionChange::Kind::Added, "staff_training",
                                            section.c_str(), "", "Staff shall be trained."));
  }
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_NE(m.text.find("and 3 more: billwatch diff " + e.bill.id + " --from 1 --to 2"),
            std::string::npos)
      << m.text;
  EXPECT_EQ(m.text.find("(Sec. 13)"), std::string::npos) << "twelve shown";
}

TEST(MessageTest, SourceUnhealthySaysChangesMayBeMissed) {
  ChangeEvent e = federal_event(EventKind::SourceUnhealthy);
  e.message = "selector 'status' matched nothing for 3 runs.";
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_EQ(m.subject, "[billwatch] US Keeping All Students Safe Act: page unreadable");
  EXPECT_NE(m.text.find("billwatch can no longer read this bill's page: selector 'status' matched "
                        "nothing for 3 runs. Until it is fixed, changes to this bill may be "
                        "missed."),
            std::string::npos);
}

TEST(MessageTest, BillPageLinkNeedsAWebBaseUrl) {
  ChangeEvent e = federal_event(EventKind::NewBill);
  Message without = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_EQ(without.text.find("Bill page:"), std::string::npos);
  EXPECT_NE(without.text.find("Source: https://www.govinfo.gov/bulkdata/BILLSTATUS/119/hr/"),
            std::string::npos);
  MessageOptions options;
  options.web_base_url = "https://alerts.example.org/";
  Message with = build_message(e, "alerts@example.org", "p@example.org", 1, 0, options);
  EXPECT_NE(with.text.find("Bill page: https://alerts.example.org/bills/US-119-HR-4350\r\n"),
            std::string::npos)
      << with.text;
  EXPECT_NE(with.html.find("<a href=\"https://alerts.example.org/bills/US-119-HR-4350\">"),
            std::string::npos);
}

TEST(MessageTest, ALineBreakInATitleCannotAddAHeader) {
  ChangeEvent e = changed_event();
  e.bill.title = "HB 1795\r\nBcc: victim@example.org";
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  // Control characters make the subject an encoded word: no raw line break reaches the
  // header block (folding uses CRLF + space only).
  EXPECT_EQ(m.subject.rfind("=?UTF-8?B?", 0), 0u);
  for (std::size_t at = m.subject.find('\n'); at != std::string::npos;
       at = m.subject.find('\n', at + 1)) {
    ASSERT_LT(at + 1, m.subject.size());
    EXPECT_EQ(m.subject[at + 1], ' ');
  }
  EXPECT_EQ(m.subject.find("Bcc"), std::string::npos);
}

TEST(MessageTest, ANewBillSaysWhatItDoesTheFollowedCategoryFirst) {
  ChangeEvent e = federal_event(EventKind::NewBill);
  e.version_id = 3;
  e.categories = {"definition", "prone_restraint_ban", "parent_notification"};
  Message plain = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_NE(plain.text.find("What it says for students: Ban on prone and other dangerous "
                            "restraint; Telling parents; Definitions."),
            std::string::npos)
      << plain.text;
  MessageOptions options;
  options.followed_categories = {"parent_notification"};
  Message followed = build_digest({e}, "alerts@example.org", "p@example.org", 1, 0, options);
  EXPECT_NE(followed.text.find("What it says for students: Telling parents; Ban on prone"),
            std::string::npos)
      << "the subscriber's category first: " << followed.text;
  // With the sections the first text says them in.
  ProvisionChange said;
  said.kind = ProvisionChange::Kind::Added;
  said.category = "prone_restraint_ban";
  said.section = "Sec. 3(2)";
  e.bill_provisions = {said};
  Message sections = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_NE(sections.text.find("Ban on prone and other dangerous restraint (Sec. 3(2))"),
            std::string::npos)
      << sections.text;
  EXPECT_EQ(sections.text.find("What changed for students"), std::string::npos)
      << "a new bill's provisions are what it says, not changes";
  options.digest = "weekly";
  EXPECT_EQ(build_digest({e}, "alerts@example.org", "p@example.org", 1, 0, options).subject,
            "[billwatch] Weekly digest: 1 bill changed");
}

}  // namespace
}  // namespace billwatch::notifier

namespace billwatch::notifier {
namespace {

TEST(MessageTest, ANewBillSaysWhereItStandsAndWhoSponsorsIt) {
  ChangeEvent e;
  e.id = 7;
  e.kind = EventKind::NewBill;
  e.created_at = 1764325500;
  e.bill.id = "US-119-HR-4350";
  e.bill.jurisdiction = "US";
  e.bill.identifier = "H.R. 4350";
  e.bill.title = "Keeping All Students Safe Act";
  e.bill.url = "https://www.govinfo.gov/bulkdata/BILLSTATUS/119/hr/BILLSTATUS-119hr4350.xml";
  e.bill.sponsor = "Rep. Scott, Robert C. \"Bobby\" [D-VA-3]";
  e.stage = Stage::in_committee;
  Action referral;
  referral.date = "2025-07-10";
  referral.chamber = "House";
  referral.text = "Referred to the Committee on Education and Workforce.";
  referral.stage = Stage::in_committee;
  e.new_actions = {referral};
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_NE(m.text.find("Where it stands: in House committee (2025-07-10). Sponsor: Rep. Scott, "
                        "Robert C. \"Bobby\" [D-VA-3]."),
            std::string::npos)
      << m.text;
  EXPECT_NE(m.html.find("Sponsor: Rep. Scott, Robert C. &quot;Bobby&quot; [D-VA-3]."),
            std::string::npos)
      << "escaped in the HTML part";
  // A page source knows neither: nothing is said.
  e.bill.sponsor.clear();
  e.stage = Stage::none;
  Message page = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_EQ(page.text.find("Where it stands"), std::string::npos);
  EXPECT_EQ(page.text.find("Sponsor"), std::string::npos);
}

TEST(MessageTest, DetailsAfterTheFirstFiveAreGroupedByTopic) {
  ChangeEvent e;
  e.id = 8;
  e.kind = EventKind::ProvisionsChanged;
  e.created_at = 1764325500;
  e.bill.id = "WA-2025-HB-1795";
  e.bill.jurisdiction = "WA";
  e.bill.title = "Student restraint, isolation";
  e.version_id = 3;
  e.version_number = 2;
  using Kind = ProvisionChange::Kind;
  for (const char* section : {"Sec. 1", "Sec. 2", "Sec. 3", "Sec. 4", "Sec. 5"}) {
    ProvisionChange ban;
    ban.kind = Kind::Removed;
    ban.category = "seclusion_ban";
    ban.section = section;
    ban.old_excerpt = std::string("Seclusion is prohibited in ") + section + ".";
    e.provision_changes.push_back(ban);
  }
  for (const char* section : {"Sec. 6", "Sec. 7", "Sec. 8", "Sec. 9"}) {
    ProvisionChange limit;
    limit.kind = Kind::Removed;
    limit.category = "use_conditions";
    limit.section = section;
    limit.old_excerpt = std::string("Only in an emergency, ") + section + ".";
    e.provision_changes.push_back(limit);
  }
  Message m = build_message(e, "alerts@example.org", "p@example.org", 1, 0);
  EXPECT_NE(m.text.find("  * Removed: Ban on seclusion (was Sec. 5)"), std::string::npos)
      << "the first five one by one: " << m.text;
  EXPECT_NE(m.text.find("  * Limits on when restraint or seclusion may be used: removed from Sec. "
                        "6, Sec. 7, Sec. 8, Sec. 9\r\n"),
            std::string::npos)
      << "four removals of one kind are one line: " << m.text;
  EXPECT_EQ(m.text.find("use_conditions"), std::string::npos) << "no category id";
}

}  // namespace
}  // namespace billwatch::notifier
