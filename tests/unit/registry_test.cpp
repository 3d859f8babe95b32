// The registry is the only place that knows the source types: the configuration accepts
// exactly the types it lists, and a run starts each through it.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "billwatch/sources/source.hpp"

namespace billwatch::sources {
namespace {

TEST(RegistryTest, TheConfigurationAcceptsExactlyTheRegisteredTypes) {
  std::vector<std::string> registered;
  for (const auto& type : source_types()) registered.emplace_back(type.name);
  std::vector<std::string> configurable = config::source_type_names();
  std::sort(registered.begin(), registered.end());
  std::sort(configurable.begin(), configurable.end());
  EXPECT_EQ(registered, configurable);
  EXPECT_NE(find_source_type("congress"), nullptr);
  EXPECT_EQ(find_source_type("ftp"), nullptr);
}

TEST(RegistryTest, LegislaturePagesRunTogetherAndTheOthersOneByOne) {
  ASSERT_NE(find_source_type("html"), nullptr);
  EXPECT_TRUE(find_source_type("html")->together);
  EXPECT_NE(find_source_type("html")->check, nullptr) << "selectors are checked at load";
  for (const char* name : {"congress", "legiscan", "openstates"}) {
    EXPECT_FALSE(find_source_type(name)->together) << name;
  }
}

}  // namespace
}  // namespace billwatch::sources
