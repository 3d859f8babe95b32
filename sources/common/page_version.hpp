#pragma once

#include <optional>
#include <string>

#include "billwatch/core/bill.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/store/views.hpp"

namespace billwatch::sources {

// A fetched page's text made into a version ready to store: the text exactly as
// page_to_text made it (layout already removed there, so what is stored is what was
// compared), screened, its provisions found and, against the previous version, its change
// summary and provision changes. The label is the page's title when it has one. Pure.
store::NewVersion make_version(const Bill& bill, const crawler::PageText& page,
                               const Provenance& provenance,
                               const std::optional<Version>& previous);

}  // namespace billwatch::sources
