#pragma once

#include "billwatch/core/event.hpp"
#include "billwatch/core/subscription.hpp"

namespace billwatch {

// Does the event interest a subscriber with this subscription? Categories are matched
// against the event's provision changes and the bill's current provision categories
// (ChangeEvent::categories); target stages against the stage a status_changed event
// moved the bill to. Pure.
bool matches(const SubscriptionFilter& filter, const ChangeEvent& event);

}  // namespace billwatch
