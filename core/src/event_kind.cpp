#include <stdexcept>

#include "billwatch/core/event.hpp"

namespace billwatch {

std::string to_string(EventKind kind) {
  switch (kind) {
    case EventKind::NewBill:
      return "new_bill";
    case EventKind::NewVersion:
      return "new_version";
    case EventKind::StatusChanged:
      return "status_changed";
    case EventKind::Action:
      return "action";
    case EventKind::ProvisionsChanged:
      return "provisions_changed";
    case EventKind::SourceUnhealthy:
      return "source_unhealthy";
  }
  throw std::logic_error("unknown EventKind");
}

EventKind parse_event_kind(const std::string& name) {
  if (name == "new_bill") return EventKind::NewBill;
  if (name == "new_version") return EventKind::NewVersion;
  if (name == "status_changed") return EventKind::StatusChanged;
  if (name == "action") return EventKind::Action;
  if (name == "provisions_changed") return EventKind::ProvisionsChanged;
  if (name == "source_unhealthy") return EventKind::SourceUnhealthy;
  throw std::invalid_argument("unknown event kind '" + name + "'");
}

std::string to_string(ProvisionChange::Kind kind) {
  switch (kind) {
    case ProvisionChange::Kind::Added:
      return "added";
    case ProvisionChange::Kind::Removed:
      return "removed";
    case ProvisionChange::Kind::Changed:
      return "changed";
  }
  throw std::logic_error("unknown ProvisionChange::Kind");
}

ProvisionChange::Kind parse_provision_change_kind(const std::string& name) {
  if (name == "added") return ProvisionChange::Kind::Added;
  if (name == "removed") return ProvisionChange::Kind::Removed;
  if (name == "changed") return ProvisionChange::Kind::Changed;
  throw std::invalid_argument("unknown provision change '" + name + "'");
}

}  // namespace billwatch
