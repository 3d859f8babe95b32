#pragma once
// The records as researchers read them in JSON: the CLI's --json output and the web's
// /api/v1 use these, so a field has one name everywhere (the export codebook's names).
#include <nlohmann/json.hpp>

#include "billwatch/core/bill.hpp"
#include "billwatch/core/event.hpp"
#include "billwatch/store/records.hpp"

namespace billwatch::store {

nlohmann::ordered_json bill_json(const BillRow& row);
nlohmann::ordered_json provision_json(const Provision& provision);
nlohmann::ordered_json action_json(const Action& action);
// A stored version: number, label, hash, provenance, relevance, provisions; the text too
// with `with_text`.
nlohmann::ordered_json version_json(const Version& version, bool with_text);
// A version as a bill's history lists it: number, label, codes, hash, size, relevance and
// provenance, without its text or provisions.
nlohmann::ordered_json version_row_json(const VersionRow& version);
nlohmann::ordered_json search_hit_json(const SearchHit& hit);
// An event of the change stream, with what it carries (new actions, provision changes).
nlohmann::ordered_json event_json(const ChangeEvent& event);

}  // namespace billwatch::store
