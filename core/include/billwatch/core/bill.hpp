#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/clock.hpp"
#include "billwatch/core/stage.hpp"

namespace billwatch {

// A bill as billwatch tracks it. `id` is stable across runs and sources
// ("US-119-HR-6617", "WA-2025-HB-1795").
struct Bill {
  std::string id;
  std::string jurisdiction;  // USPS code ("WA") or "US"
  std::string title;
  std::string source;      // the configured source that found it
  std::string url;         // the page it was read from
  std::string session;     // "2025-2026", "119"; empty when the source does not say
  std::string identifier;  // "HB 1795", "H.R. 6617"
  // Cross-walk ids, empty when the source gives none.
  std::string openstates_id;    // "ocd-bill/…"
  std::string legiscan_id;      // LegiScan bill_id
  std::string govinfo_package;  // "BILLS-119hr6617ih"
  // The primary sponsor as the source names them ("Rep. Smith, Adam [D-WA-9]", "Rep. Carl
  // Gatto (R, HD-013)"); "" when the source gives none.
  std::string sponsor;
};

// One step of a bill through the legislature, as the source reports it.
struct Action {
  std::string date;           // YYYY-MM-DD
  std::string chamber;        // "House", "Senate", "Executive", "" when not given
  std::string text;           // the source's words
  Stage stage = Stage::none;  // normalized; none when the action moves nothing
  // The source's own classification, kept beside the stage: Congress's action code
  // ("H11100", "E40000") and type ("IntroReferral", "Floor"); "" when it gives none.
  std::string code = {};
  std::string type = {};
};

// A restraint/seclusion provision the analyzer found in a version's text.
struct Provision {
  std::string category;   // one of the taxonomy's categories, e.g. "prone_restraint_ban"
  std::string section;    // the section it stands in, e.g. "Sec. 2(3)"
  std::string excerpt;    // the clause that establishes it
  std::size_t start = 0;  // byte range of the excerpt in the analysed text
  std::size_t end = 0;
  bool exceptions = false;  // a conditional ban ("except", "unless", "provided, that")
  std::string deadline;     // "same day", "within 24 hours", ... when the clause states one
  double confidence = 0;
};

// The outcome of the relevance screen over a text.
struct Relevance {
  bool relevant = false;
  double score = 0.0;
  std::vector<std::string> cues;  // the terms that decided it, for explanations
};

// Where a version's text came from and how it was fetched.
struct Provenance {
  std::string url;
  std::string final_url;
  Timestamp fetched_at = 0;
  int http_status = 0;
  std::string etag;
  std::string last_modified;
  std::string raw_hash;  // SHA-256 of the body as received (before text extraction)
};

// One distinct text of a bill.
struct Version {
  std::int64_t id = 0;  // the store's row id (internal)
  int number = 0;       // per bill: 1, 2, 3 in the order stored, as people cite it
  std::string bill_id;
  std::string content_hash;  // SHA-256 of `text`
  std::string text;          // normalized UTF-8 text
  Relevance relevance;
  Provenance provenance;
  std::string label;           // the source's name for it: "Introduced", "Substitute", "ih"
  std::string parser_version;  // which text extraction produced `text`
  std::vector<Provision> provisions;
};

}  // namespace billwatch
