#include "billwatch/store/record_json.hpp"

namespace billwatch::store {

using nlohmann::ordered_json;

namespace {

std::string stage_text(Stage stage) {
  return stage == Stage::none ? std::string() : std::string(to_string(stage));
}

}  // namespace

ordered_json bill_json(const BillRow& row) {
  return {{"id", row.bill.id},
          {"jurisdiction", row.bill.jurisdiction},
          {"session", row.bill.session},
          {"identifier", row.bill.identifier},
          {"title", row.bill.title},
          {"sponsor", row.bill.sponsor},
          {"stage", stage_text(row.stage)},
          {"stage_date", row.stage_date},
          {"source", row.bill.source},
          {"url", row.bill.url},
          {"versions", row.versions},
          {"latest_version", row.latest_version},
          {"relevant", row.relevant},
          {"categories", row.categories},
          {"openstates_id", row.bill.openstates_id},
          {"legiscan_id", row.bill.legiscan_id},
          {"govinfo_package", row.bill.govinfo_package},
          {"first_seen", format_iso8601(row.first_seen)},
          {"last_changed", format_iso8601(row.last_changed)}};
}

ordered_json provision_json(const Provision& p) {
  return {{"category", p.category}, {"section", p.section}, {"excerpt", p.excerpt},
          {"start", p.start},       {"end", p.end},         {"exceptions", p.exceptions},
          {"deadline", p.deadline}};
}

ordered_json action_json(const Action& a) {
  return {{"date", a.date}, {"chamber", a.chamber},
          {"text", a.text}, {"stage", stage_text(a.stage)},
          {"code", a.code}, {"type", a.type}};
}

ordered_json version_json(const Version& v, bool with_text) {
  ordered_json provisions = ordered_json::array();
  for (const auto& p : v.provisions) provisions.push_back(provision_json(p));
  ordered_json j{{"version", v.number},
                 {"label", v.label},
                 {"content_hash", v.content_hash},
                 {"chars", v.text.size()},
                 {"fetched_at", format_iso8601(v.provenance.fetched_at)},
                 {"url", v.provenance.url},
                 {"relevant", v.relevance.relevant},
                 {"relevance_cues", v.relevance.cues},
                 {"provisions", provisions}};
  if (with_text) j["text"] = v.text;
  return j;
}

ordered_json version_row_json(const VersionRow& v) {
  return {{"version", v.number},
          {"label", v.label},
          {"version_code", v.version_code},
          {"version_date", v.version_date},
          {"content_hash", v.content_hash},
          {"chars", v.chars},
          {"relevant", v.relevance.relevant},
          {"relevance_cues", v.relevance.cues},
          {"source", v.source},
          {"url", v.provenance.url},
          {"final_url", v.provenance.final_url},
          {"fetched_at", format_iso8601(v.provenance.fetched_at)},
          {"http_status", v.provenance.http_status},
          {"etag", v.provenance.etag},
          {"last_modified", v.provenance.last_modified},
          {"raw_hash", v.provenance.raw_hash}};
}

ordered_json search_hit_json(const SearchHit& h) {
  return {{"bill_id", h.bill_id}, {"jurisdiction", h.jurisdiction}, {"title", h.title},
          {"snippet", h.snippet}, {"versions", h.versions},         {"rank", h.rank}};
}

ordered_json event_json(const ChangeEvent& e) {
  ordered_json actions = ordered_json::array();
  for (const auto& a : e.new_actions) actions.push_back(action_json(a));
  ordered_json changes = ordered_json::array();
  for (const auto& c : e.provision_changes) {
    changes.push_back({{"change", to_string(c.kind)},
                       {"category", c.category},
                       {"section", c.section},
                       {"old_section", c.old_section},
                       {"old_excerpt", c.old_excerpt},
                       {"new_excerpt", c.new_excerpt}});
  }
  ordered_json j{{"id", e.id},
                 {"kind", to_string(e.kind)},
                 {"created_at", format_iso8601(e.created_at)},
                 {"bill_id", e.bill.id},
                 {"jurisdiction", e.bill.jurisdiction},
                 {"title", e.bill.title},
                 {"version", e.version_number},
                 {"stage", stage_text(e.stage)},
                 {"old_stage", stage_text(e.old_stage)},
                 {"relevant", e.relevant},
                 {"categories", e.categories},
                 {"new_actions", actions},
                 {"provision_changes", changes}};
  if (e.kind == EventKind::SourceUnhealthy) j["message"] = e.message;
  return j;
}

}  // namespace billwatch::store
