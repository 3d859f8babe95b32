#include <stdexcept>

#include "billwatch/core/event.hpp"

namespace billwatch {

std::string to_string(EventKind kind) {
  switch (kind) {
    case EventKind::NewBill:
      return "new_bill";
    case EventKind::ContentChanged:
      return "content_changed";
    case EventKind::StatusChanged:
      return "status_changed";
  }
  throw std::logic_error("unknown EventKind");
}

EventKind parse_event_kind(const std::string& name) {
  if (name == "new_bill") return EventKind::NewBill;
  if (name == "content_changed") return EventKind::ContentChanged;
  if (name == "status_changed") return EventKind::StatusChanged;
  throw std::invalid_argument("unknown event kind '" + name + "'");
}

}  // namespace billwatch
