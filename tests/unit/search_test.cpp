// Search tells the truth: the versions it lists are exactly those that contain a match,
// and whatever a person types is searched (or refused with a clear message), never an
// FTS5 or SQL error.
#include <gtest/gtest.h>

#include <random>

#include "billwatch/store/search_query.hpp"
#include "billwatch/store/store.hpp"

namespace billwatch::store {
namespace {

NewVersion version_of(const std::string& bill_id, const std::string& text) {
  NewVersion v;
  v.bill.id = bill_id;
  v.bill.jurisdiction = bill_id.substr(0, 2);
  v.bill.title = bill_id;
  v.text = text;
  return v;
}

Store three_versions() {
  Store store = Store::open_in_memory();
  store.save_version(version_of("WA-2025-HB-1",
                                "Sec. 1. A seclusion room is banned.\n\n"
                                "Sec. 2. The student's parent is told."),
                     1000);
  store.save_version(version_of("WA-2025-HB-1",
                                "Sec. 1. Restraint is limited.\n\n"
                                "Sec. 2. The student's parent is told."),
                     2000);
  store.save_version(version_of("WA-2025-HB-1",
                                "Sec. 1. A seclusion-room ban returns.\n\n"
                                "Sec. 2. Staff are trained."),
                     3000);
  store.save_version(version_of("OR-2025-SB-2", "Sec. 1. Prone restraint is prohibited."), 1000);
  return store;
}

std::vector<int> versions_of(const Store& store, const std::string& query,
                             const std::string& bill = "WA-2025-HB-1") {
  for (const auto& hit : store.search(query)) {
    if (hit.bill_id == bill) return hit.versions;
  }
  return {};
}

TEST(SearchTest, ListsExactlyTheVersionsThatContainTheMatch) {
  Store store = three_versions();
  EXPECT_EQ(versions_of(store, "seclusion"), (std::vector<int>{1, 3})) << "not 1-3";
  EXPECT_EQ(versions_of(store, "\"seclusion room is banned\""), (std::vector<int>{1}));
  EXPECT_EQ(versions_of(store, "restraint"), (std::vector<int>{2}));
  EXPECT_EQ(versions_of(store, "trained"), (std::vector<int>{3}));
  EXPECT_EQ(versions_of(store, "prone", "OR-2025-SB-2"), (std::vector<int>{1}));
}

TEST(SearchTest, TheFormsPeopleType) {
  Store store = three_versions();
  EXPECT_EQ(versions_of(store, "student's"), (std::vector<int>{1, 2})) << "apostrophe";
  EXPECT_EQ(versions_of(store, "seclusion-room"), (std::vector<int>{1, 3})) << "hyphen";
  EXPECT_EQ(versions_of(store, "seclu*"), (std::vector<int>{1, 3})) << "prefix";
  EXPECT_EQ(versions_of(store, "seclusion AND banned"), (std::vector<int>{1}));
  EXPECT_EQ(versions_of(store, "banned OR trained"), (std::vector<int>{1, 3}));
  EXPECT_EQ(versions_of(store, "seclusion NOT banned"), (std::vector<int>{3}));
  EXPECT_EQ(versions_of(store, "seclusion AND NOT banned"), (std::vector<int>{3}));
  EXPECT_EQ(versions_of(store, "(banned OR limited) AND sec*"), (std::vector<int>{1, 2}));
  EXPECT_EQ(versions_of(store, "seclusion banned"), (std::vector<int>{1})) << "implicit AND";
  // Lower-case operators and stray syntax are words.
  EXPECT_TRUE(store.search("seclusion and nothingness").empty());
  EXPECT_NO_THROW(store.search("NEAR(seclusion banned, 2)"));
  EXPECT_NO_THROW(store.search("\"unclosed phrase"));
  EXPECT_NO_THROW(store.search("a:b OR ^c {d e} col:x"));
}

TEST(SearchTest, NoInputReachesFts5AsSyntax) {
  EXPECT_EQ(to_fts_query("seclusion"), "\"seclusion\"");
  EXPECT_EQ(to_fts_query("seclu*"), "\"seclu\"*");
  EXPECT_EQ(to_fts_query("a \"b\"\"c\""), "\"a\" AND \"b\" AND \"c\"");
  EXPECT_EQ(to_fts_query("OR a"), "\"OR\" AND \"a\"");
  EXPECT_EQ(to_fts_query("x\"y"), "\"x\" AND \"y\"");
  EXPECT_THROW(to_fts_query(""), QueryError);
  EXPECT_THROW(to_fts_query(std::string(2000, 'a')), QueryError);
  std::string many;
  for (int i = 0; i < 40; ++i) many += "w" + std::to_string(i) + "* ";
  EXPECT_THROW(to_fts_query(many), QueryError) << "term bound";
}

// Property: random queries built from the characters and words of the query language are
// either refused with QueryError or run; SQLite never sees a syntax error.
TEST(SearchTest, RandomQueriesNeverFailInSqlite) {
  Store store = three_versions();
  const std::vector<std::string> pieces = {"seclusion", "AND", "OR", "NOT", "(", ")",    "\"",
                                           "*",         "-",   "'",  ":",   "^", "NEAR", " ",
                                           "room",      "{",   "}",  "+",   ",", "é",    "\\"};
  std::mt19937 random(42);
  for (int i = 0; i < 3000; ++i) {
    std::string query;
    int n = static_cast<int>(random() % 8) + 1;
    for (int k = 0; k < n; ++k) query += pieces[random() % pieces.size()];
    try {
      (void)store.search(query);
    } catch (const QueryError& e) {
      EXPECT_NE(std::string(e.what()).find("search:"), std::string::npos) << query;
      EXPECT_EQ(std::string(e.what()).find("fts5"), std::string::npos) << query << e.what();
    } catch (const StoreError& e) {
      ADD_FAILURE() << "'" << query << "' -> " << to_fts_query(query) << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace billwatch::store
