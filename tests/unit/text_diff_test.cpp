#include "billwatch/analysis/text_diff.hpp"

#include <gtest/gtest.h>

#include "billwatch/crawler/page_text.hpp"
#include "files.hpp"

namespace billwatch::analysis {
namespace {

const std::string k_old =
    "AN ACT relating to seclusion.\n\n"
    "Sec. 1. A school may not use seclusion.\n\n"
    "Sec. 2. Staff shall report each restraint to the parent within 24 hours.\n\n"
    "Sec. 3. This act takes effect July 1.";
const std::string k_new =
    "AN ACT relating to seclusion.\n\n"
    "Sec. 1. A school may not use seclusion.\n\n"
    "Sec. 2. Staff shall report each restraint to the parent on the same day.\n\n"
    "NEW SECTION. Sec. 4. Prone restraint is prohibited.";

TEST(TextDiffTest, OnlyChangedAddedAndRemovedSectionsAppear) {
  auto sections = diff_sections(k_old, k_new);
  ASSERT_EQ(sections.size(), 3u);
  EXPECT_EQ(sections[0].heading,
            "Sec. 2. Staff shall report each restraint to the parent on the same day.");
  EXPECT_EQ(sections[0].status, SectionDiff::Status::Changed);
  EXPECT_EQ(sections[1].status, SectionDiff::Status::Removed);
  EXPECT_EQ(sections[1].heading, "Sec. 3. This act takes effect July 1.");
  EXPECT_EQ(sections[2].status, SectionDiff::Status::Added);
  EXPECT_EQ(sections[2].heading, "NEW SECTION. Sec. 4. Prone restraint is prohibited.");

  std::string text = render_diff_text(sections, false);
  EXPECT_NE(text.find("parent [-within 24 hours.-]{+on the same day.+}"), std::string::npos)
      << text;
  EXPECT_NE(text.find("@@ Sec. 3. This act takes effect July 1. (removed) @@"), std::string::npos);
  EXPECT_EQ(text.find("Sec. 1."), std::string::npos) << "unchanged sections are left out";
  EXPECT_EQ(text.find('\x1b'), std::string::npos);

  std::string colored = render_diff_text(sections, true);
  EXPECT_NE(colored.find("\x1b[31m[-within 24 hours.-]\x1b[0m"), std::string::npos);
  EXPECT_NE(colored.find("\x1b[32m{+on the same day.+}\x1b[0m"), std::string::npos);

  std::string html = render_diff_html(sections);
  EXPECT_NE(html.find("<del>within 24 hours.</del><ins>on the same day.</ins>"), std::string::npos)
      << html;
}

TEST(TextDiffTest, AHugeSectionIsShownReplacedWhole) {
  std::string old_text = "Sec. 1. ";
  std::string new_text = "Sec. 1. ";
  for (int i = 0; i < 6000; ++i) {
    old_text += "a" + std::to_string(i) + " ";
    new_text += "b" + std::to_string(i) + " ";
  }
  auto sections = diff_sections(old_text, new_text);
  ASSERT_EQ(sections.size(), 1u);
  ASSERT_EQ(sections[0].pieces.size(), 2u);
  EXPECT_EQ(sections[0].pieces[0].kind, DiffPiece::Kind::Removed);
  EXPECT_EQ(sections[0].pieces[1].kind, DiffPiece::Kind::Added);
}

TEST(TextDiffTest, IdenticalTextsHaveNoDiff) {
  EXPECT_TRUE(diff_sections(k_old, k_old).empty());
  EXPECT_EQ(render_diff_text({}, false), "");
}

TEST(TextDiffTest, RealWashingtonOriginalToSubstitute) {
  std::string original =
      crawler::normalize_text(test::read_fixture("states/wa_2025-26_HB1795_text_1_original.md"));
  std::string substitute =
      crawler::normalize_text(test::read_fixture("states/wa_2025-26_HB1795_text_S_substitute.md"));
  auto sections = diff_sections(original, substitute);
  ASSERT_FALSE(sections.empty());
  // The substitute is about a fifth of the original: many sections are struck.
  std::size_t removed = 0;
  for (const auto& s : sections) removed += s.status == SectionDiff::Status::Removed ? 1 : 0;
  EXPECT_GT(removed, 0u);
  // Applying the diff's Same and Added pieces of every section gives back no Removed text.
  for (const auto& s : sections) {
    for (const auto& piece : s.pieces) EXPECT_FALSE(piece.text.empty());
  }
  std::string html = render_diff_html(sections);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace billwatch::analysis
