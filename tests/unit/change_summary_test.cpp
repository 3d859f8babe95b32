#include "billwatch/analysis/change_summary.hpp"

#include <gtest/gtest.h>

#include "billwatch/crawler/page_text.hpp"
#include "files.hpp"

namespace billwatch::analysis {
namespace {

TEST(ChangeSummaryTest, CountsAddedAndRemovedParagraphs) {
  ChangeSummary s = summarize_change("a\n\nb\n\nc", "a\n\nc\n\nd\n\ne");
  EXPECT_EQ(s.paragraphs_added, 2u);
  EXPECT_EQ(s.paragraphs_removed, 1u);
  EXPECT_EQ(s.added_samples, (std::vector<std::string>{"d", "e"}));
  EXPECT_EQ(s.removed_samples, (std::vector<std::string>{"b"}));
  EXPECT_EQ(s.old_chars, 7u);
  EXPECT_EQ(s.new_chars, 10u);
}

TEST(ChangeSummaryTest, MovedParagraphsAreNotChanges) {
  ChangeSummary s = summarize_change("a\n\nb", "b\n\na");
  EXPECT_EQ(s.paragraphs_added, 0u);
  EXPECT_EQ(s.paragraphs_removed, 0u);
}

TEST(ChangeSummaryTest, SamplesPreferSubstanceAndAreShortenedAtAWordAndUtf8Boundary) {
  std::string long_paragraph;
  for (int i = 0; i < 60; ++i) long_paragraph += "caf\xC3\xA9 ";
  ChangeSummary s = summarize_change("", "short\n\n" + long_paragraph, 1, 50);
  ASSERT_EQ(s.added_samples.size(), 1u);
  EXPECT_EQ(s.added_samples[0].rfind("caf", 0), 0u);
  EXPECT_LE(s.added_samples[0].size(), 55u);
  EXPECT_EQ(s.added_samples[0].substr(s.added_samples[0].size() - 4), " \xE2\x80\xA6");
}

TEST(ChangeSummaryTest, WashingtonOriginalToSubstitute) {
  std::string original =
      crawler::normalize_text(test::read_fixture("states/wa_2025-26_HB1795_text_1_original.md"));
  std::string substitute =
      crawler::normalize_text(test::read_fixture("states/wa_2025-26_HB1795_text_S_substitute.md"));
  ChangeSummary s = summarize_change(original, substitute);
  EXPECT_EQ(s.old_chars, original.size());
  EXPECT_EQ(s.new_chars, substitute.size());
  EXPECT_GT(s.paragraphs_removed, s.paragraphs_added);  // the Substitute is much shorter
  ASSERT_FALSE(s.added_samples.empty());
  EXPECT_NE(s.added_samples[0].find("The purpose of this act is to protect students"),
            std::string::npos);
}

}  // namespace
}  // namespace billwatch::analysis
