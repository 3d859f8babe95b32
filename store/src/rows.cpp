#include "rows.hpp"

namespace billwatch::store::detail {

using nlohmann::json;

json summary_to_json(const ChangeSummary& s) {
  return json{{"old_chars", s.old_chars},
              {"new_chars", s.new_chars},
              {"paragraphs_added", s.paragraphs_added},
              {"paragraphs_removed", s.paragraphs_removed},
              {"added_samples", s.added_samples},
              {"removed_samples", s.removed_samples}};
}

ChangeSummary summary_from_json(const json& j) {
  ChangeSummary s;
  s.old_chars = j.value("old_chars", std::size_t{0});
  s.new_chars = j.value("new_chars", std::size_t{0});
  s.paragraphs_added = j.value("paragraphs_added", std::size_t{0});
  s.paragraphs_removed = j.value("paragraphs_removed", std::size_t{0});
  s.added_samples = j.value("added_samples", std::vector<std::string>{});
  s.removed_samples = j.value("removed_samples", std::vector<std::string>{});
  return s;
}

json actions_to_json(const std::vector<Action>& actions) {
  json out = json::array();
  for (const auto& a : actions) {
    json action{
        {"date", a.date}, {"chamber", a.chamber}, {"text", a.text}, {"stage", stage_name(a.stage)}};
    if (!a.code.empty()) action["code"] = a.code;
    if (!a.type.empty()) action["type"] = a.type;
    out.push_back(std::move(action));
  }
  return out;
}

std::vector<Action> actions_from_json(const json& j) {
  std::vector<Action> out;
  for (const auto& a : j) {
    out.push_back(Action{a.value("date", ""), a.value("chamber", ""), a.value("text", ""),
                         stage_from(a.value("stage", "")), a.value("code", ""),
                         a.value("type", "")});
  }
  return out;
}

json provision_changes_to_json(const std::vector<ProvisionChange>& changes) {
  json out = json::array();
  for (const auto& c : changes) {
    out.push_back({{"change", to_string(c.kind)},
                   {"category", c.category},
                   {"section", c.section},
                   {"old_section", c.old_section},
                   {"old_excerpt", c.old_excerpt},
                   {"new_excerpt", c.new_excerpt}});
  }
  return out;
}

std::vector<ProvisionChange> provision_changes_from_json(const json& j) {
  std::vector<ProvisionChange> out;
  for (const auto& c : j) {
    out.push_back(ProvisionChange{parse_provision_change_kind(c.value("change", "changed")),
                                  c.value("category", ""), c.value("section", ""),
                                  c.value("old_excerpt", ""), c.value("new_excerpt", ""),
                                  c.value("old_section", "")});
  }
  return out;
}

Relevance relevance_from(const SQLite::Statement& q, int relevant, int score, int cues) {
  Relevance r;
  r.relevant = q.getColumn(relevant).getInt() != 0;
  r.score = q.getColumn(score).getDouble();
  r.cues = json::parse(q.getColumn(cues).getString()).get<std::vector<std::string>>();
  return r;
}

Provenance provenance_from(const SQLite::Statement& q, int first) {
  Provenance p;
  p.url = q.getColumn(first).getString();
  p.final_url = q.getColumn(first + 1).getString();
  p.fetched_at = q.getColumn(first + 2).getInt64();
  p.http_status = q.getColumn(first + 3).getInt();
  p.etag = q.getColumn(first + 4).getString();
  p.last_modified = q.getColumn(first + 5).getString();
  p.raw_hash = q.getColumn(first + 6).getString();
  return p;
}

Bill bill_from(const SQLite::Statement& q, int first) {
  Bill b;
  b.id = q.getColumn(first).getString();
  b.jurisdiction = q.getColumn(first + 1).getString();
  b.title = q.getColumn(first + 2).getString();
  b.source = q.getColumn(first + 3).getString();
  b.url = q.getColumn(first + 4).getString();
  b.session = q.getColumn(first + 5).getString();
  b.identifier = q.getColumn(first + 6).getString();
  b.openstates_id = q.getColumn(first + 7).getString();
  b.legiscan_id = q.getColumn(first + 8).getString();
  b.govinfo_package = q.getColumn(first + 9).getString();
  b.sponsor = q.getColumn(first + 10).getString();
  return b;
}

}  // namespace billwatch::store::detail
