#include "event_payloads.hpp"

#include "rows.hpp"

namespace billwatch::store::detail {

using nlohmann::json;

std::vector<PlannedEvent> plan_events(const Bill& bill, const BillUpdate& update,
                                      const UpdateFacts& facts) {
  std::vector<PlannedEvent> events;
  json base{{"title", bill.title}, {"url", bill.url}, {"stage", stage_name(facts.stage)}};
  const std::optional<NewVersion>& version = update.version;
  auto version_fields = [&](json& payload) {
    payload["relevant"] = version->relevance.relevant;
    payload["cues"] = version->relevance.cues;
    payload["label"] = facts.label;
    payload["version"] = facts.version_number;
  };
  if (facts.is_new) {
    PlannedEvent event{EventKind::NewBill, base, version.has_value(), true, false};
    if (!facts.added.empty()) event.payload["new_actions"] = actions_to_json(facts.added);
    if (version) {
      version_fields(event.payload);
      // What the first text says, by category and section, for the new-bill alert.
      std::vector<ProvisionChange> says;
      for (const auto& p : version->provisions) {
        ProvisionChange c;
        c.kind = ProvisionChange::Kind::Added;
        c.category = p.category;
        c.section = p.section;
        says.push_back(std::move(c));
      }
      if (!says.empty()) event.payload["provisions"] = provision_changes_to_json(says);
    }
    events.push_back(std::move(event));
    return events;
  }
  if (!facts.added.empty()) {
    PlannedEvent event{EventKind::Action, base, false, true, false};
    event.payload["new_actions"] = actions_to_json(facts.added);
    events.push_back(std::move(event));
  }
  if (facts.stage != facts.old_stage) {
    PlannedEvent event{EventKind::StatusChanged, base, false, false, false};
    event.payload["old_stage"] = stage_name(facts.old_stage);
    if (!facts.added.empty()) event.payload["new_actions"] = actions_to_json(facts.added);
    events.push_back(std::move(event));
  }
  if (version) {
    PlannedEvent event{EventKind::NewVersion, base, true, false, false};
    version_fields(event.payload);
    if (!version->version_code.empty()) event.payload["version_code"] = version->version_code;
    if (version->change) event.payload["change"] = summary_to_json(*version->change);
    events.push_back(std::move(event));
    // What the analyzer found changed gets an event of its own, so the notifier can say
    // which protections a new version added or dropped.
    if (!version->provision_changes.empty()) {
      PlannedEvent provisions{EventKind::ProvisionsChanged, base, true, false, true};
      provisions.payload["relevant"] = version->relevance.relevant;
      provisions.payload["provision_changes"] =
          provision_changes_to_json(version->provision_changes);
      provisions.payload["label"] = facts.label;
      provisions.payload["version"] = facts.version_number;
      provisions.payload["from_version"] = facts.version_number - 1;
      events.push_back(std::move(provisions));
    }
  }
  return events;
}

}  // namespace billwatch::store::detail
