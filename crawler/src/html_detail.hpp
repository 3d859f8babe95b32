#pragma once

#include <gumbo.h>

#include <string>
#include <string_view>

#include "billwatch/core/result.hpp"
#include "billwatch/crawler/html_text.hpp"

// What html_text.cpp shares with the selector engine: the same bounds before gumbo sees a
// page, and the same text of an element.
namespace billwatch::crawler::detail {

// Depth and element count on the raw bytes (gumbo frees its tree recursively).
Status check_html_limits(std::string_view html, const HtmlLimits& limits);

// The text of a node's descendants, whitespace collapsed, walked without recursion.
std::string node_text(const GumboNode* node);

}  // namespace billwatch::crawler::detail
