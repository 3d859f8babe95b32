#pragma once

#include <string>

#include "billwatch/config/config.hpp"

namespace billwatch::sources {

// The id of the bill a configured page stands for: the source's bill_id when given, the
// source's name for a one-page source, else "name/<slug of the URL path>". Stable across
// runs as long as the configuration keeps the same names and URLs.
std::string bill_id_for(const config::SourceConfig& source, const std::string& url);

}  // namespace billwatch::sources
