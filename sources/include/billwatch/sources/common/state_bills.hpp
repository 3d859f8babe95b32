#pragma once

#include <string>
#include <string_view>

namespace billwatch::sources {

// One state bill is one bill whichever service reports it (data-sources T10): its id is
// built from the jurisdiction, a session key and the identifier with its number as an
// integer, so LegiScan's "HB18" of the 2025 Regular Session and Open States' "HB18" of
// "2025rs" are both "AL-2025-HB-18".

// "HB0065", "HB 65", "hb65", "H.B. 65" -> "HB 65"; "" when it is not letters then a number.
std::string normalize_identifier(std::string_view identifier);

// ("AL", "2025", "HB 18") -> "AL-2025-HB-18"; "" when the identifier is not usable.
std::string state_bill_id(std::string_view jurisdiction, std::string_view session_key,
                          std::string_view identifier);

// A regular session is keyed by the year it starts ("2025" for Alabama's 2025 Regular
// Session and for Washington's 2025-2026 biennium); a special session keeps its own key
// ("2025s1"), so bills renumbered in special sessions never collide with regular ones.
// Open States session identifiers: "2025rs", "2025", "2025-2026" -> "2025"; "2025s1",
// "20251S" -> themselves, lower-cased.
std::string session_key_from_openstates(std::string_view session);
// LegiScan: year_start, and for special sessions "s" and the session id.
std::string session_key_from_legiscan(int year_start, bool special, long long session_id);

// "ocd-jurisdiction/country:us/state:al/government" -> "AL"; "" when not a US state.
std::string usps_from_ocd(std::string_view jurisdiction_id);

}  // namespace billwatch::sources
