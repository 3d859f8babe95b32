#pragma once

#include <optional>

namespace billwatch::sources {

// How far a listing was read. Only a complete listing lets a source move its "changed
// since" mark; one cut short at the page limit is taken up again next run.
enum class Listing { complete, failed, cut_short };

// The one paging loop of the API sources: `read_page(n)` reads page n (1-based) and
// answers whether more pages follow, or nullopt when the page could not be read (it
// reported why). At most `max_pages` are read.
template <typename ReadPage>
Listing read_pages(int max_pages, ReadPage read_page) {
  for (int page = 1; page <= max_pages; ++page) {
    std::optional<bool> more = read_page(page);
    if (!more) return Listing::failed;
    if (!*more) return Listing::complete;
  }
  return Listing::cut_short;
}

}  // namespace billwatch::sources
