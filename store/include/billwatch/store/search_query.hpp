#pragma once

#include <string>
#include <string_view>

namespace billwatch::store {

// What people type into `billwatch search`, made a safe SQLite FTS5 query. Pure.
//  - words, "quoted phrases" and prefix* terms; apostrophes and hyphens inside a word
//    ("student's", "seclusion-room") are kept as part of it (FTS5 reads them as a phrase
//    of the word's parts);
//  - AND, OR, NOT (upper case, between two terms) and balanced parentheses are operators;
//    anywhere else they are searched as words, as is everything else: no input makes FTS5
//    fail;
//  - adjacent terms must all match (AND).
// Throws QueryError (store.hpp) for a query with no word to search, longer than
// k_max_query_bytes or with more than k_max_query_terms terms.
std::string to_fts_query(std::string_view query);

inline constexpr std::size_t k_max_query_bytes = 1000;
inline constexpr std::size_t k_max_query_terms = 32;

}  // namespace billwatch::store
