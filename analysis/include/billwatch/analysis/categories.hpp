#pragma once

// The categories' words live in core (alerts, pages and the analyzer all say them).
#include "billwatch/core/categories.hpp"

namespace billwatch::analysis {

using billwatch::category_catalogue;
using billwatch::category_info;
using billwatch::category_name;
using billwatch::CategoryInfo;

}  // namespace billwatch::analysis
