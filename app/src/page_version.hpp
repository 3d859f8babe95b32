#pragma once

#include <optional>
#include <string>

#include "billwatch/core/bill.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/store/store.hpp"

namespace billwatch::app {

// A fetched page's text made into a version ready to store: the bill text normalized
// (printed line numbers and page headers of PDF bills are layout, not law: without this
// every re-printed PDF would look like a new version), screened, its provisions found and,
// against the previous version, its change summary and provision changes. Pure.
store::NewVersion make_version(const Bill& bill, const crawler::PageText& page,
                               const std::string& content_hash, const Provenance& provenance,
                               const std::optional<Version>& previous);

}  // namespace billwatch::app
