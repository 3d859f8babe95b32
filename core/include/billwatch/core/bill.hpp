#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "billwatch/core/clock.hpp"

namespace billwatch {

// A bill as billwatch tracks it. `id` is stable across runs and sources.
struct Bill {
  std::string id;
  std::string jurisdiction;  // USPS code ("WA") or "US"
  std::string title;
  std::string source;  // the configured source that found it
  std::string url;     // the page it was read from
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
  std::int64_t id = 0;
  std::string bill_id;
  std::string content_hash;  // SHA-256 of `text`
  std::string text;          // normalized UTF-8 text
  Relevance relevance;
  Provenance provenance;
};

}  // namespace billwatch
