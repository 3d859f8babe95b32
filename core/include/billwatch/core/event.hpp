#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "billwatch/core/bill.hpp"
#include "billwatch/core/clock.hpp"

namespace billwatch {

// What happened to a bill. One update can record several: a new action that moves the
// bill to the Senate is an `action` and a `status_changed`; a new text whose provisions
// differ is a `new_version` and a `provisions_changed`. The first sighting of a bill is one
// `new_bill`, whatever it brought.
enum class EventKind {
  NewBill,            // first time billwatch saw the bill
  NewVersion,         // a new version of the bill's text
  StatusChanged,      // the bill's normalized stage moved (old and new stage)
  Action,             // new actions (hearings, votes, referrals), with their text
  ProvisionsChanged,  // a new version whose restraint/seclusion provisions differ
  SourceUnhealthy,    // a page billwatch reads stopped matching its selectors
};

// One difference between the provisions of two versions of a bill.
struct ProvisionChange {
  enum class Kind { Added, Removed, Changed };
  Kind kind = Kind::Added;
  std::string category;
  std::string section;
  std::string old_excerpt;       // Removed, Changed
  std::string new_excerpt;       // Added, Changed
  std::string old_section = {};  // Removed, Changed: where it stood before (bills renumber)
};

std::string to_string(ProvisionChange::Kind kind);
// Throws std::invalid_argument for an unknown name.
ProvisionChange::Kind parse_provision_change_kind(const std::string& name);

std::string to_string(EventKind kind);
// Throws std::invalid_argument for an unknown name.
EventKind parse_event_kind(const std::string& name);

// What changed between two texts, in words a reader can use.
struct ChangeSummary {
  std::size_t old_chars = 0;
  std::size_t new_chars = 0;
  std::size_t paragraphs_added = 0;
  std::size_t paragraphs_removed = 0;
  std::vector<std::string> added_samples;    // first few added paragraphs, shortened
  std::vector<std::string> removed_samples;  // first few removed paragraphs, shortened
};

// A change event as the notifier needs it: the event, the bill it is about and its details.
struct ChangeEvent {
  std::int64_t id = 0;  // monotonically increasing
  EventKind kind = EventKind::NewBill;
  Timestamp created_at = 0;
  Bill bill;
  std::int64_t version_id = 0;
  bool relevant = false;
  std::optional<ChangeSummary> change;  // set for NewVersion
  std::vector<Action> new_actions;      // actions first recorded with this event
  Stage stage = Stage::none;            // the bill's stage after the event
  Stage old_stage = Stage::none;        // set for StatusChanged
  std::string version_label;            // NewVersion: "Introduced in House"
  int version_number = 0;               // the bill's version number (1, 2, ...); 0 if none
  std::string message;                  // SourceUnhealthy: what went wrong
  std::vector<std::string> categories;  // provision categories of the bill's latest version
  std::vector<ProvisionChange> provision_changes;  // set for ProvisionsChanged
  // NewBill: what its first text says, as Added provisions (category and section only).
  std::vector<ProvisionChange> bill_provisions;
};

}  // namespace billwatch
