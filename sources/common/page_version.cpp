#include "common/page_version.hpp"

#include "billwatch/analysis/change_summary.hpp"
#include "billwatch/analysis/provisions.hpp"
#include "billwatch/analysis/relevance.hpp"
#include "billwatch/core/escape.hpp"

namespace billwatch::sources {

store::NewVersion make_version(const Bill& bill, const crawler::PageText& page,
                               const Provenance& provenance,
                               const std::optional<Version>& previous) {
  store::NewVersion version;
  version.bill = bill;
  if (version.bill.title.empty()) version.bill.title = page.title;
  version.text = page.text;
  version.label = utf8_truncate(page.title, 200);
  version.parser_version = crawler::k_page_text_version;
  version.relevance = analysis::screen_relevance(version.bill.title, version.text);
  version.provenance = provenance;
  if (previous) version.change = analysis::summarize_change(previous->text, version.text);
  // The provisions, and how they differ from the last version's: what subscribers most
  // want to hear about.
  analysis::ProvisionAnalysis provisions = analysis::analyze_provisions(version.text);
  version.relevance.relevant = version.relevance.relevant || provisions.relevant;
  version.provisions = std::move(provisions.provisions);
  if (previous) {
    version.provision_changes = analysis::diff_provisions(previous->provisions, version.provisions);
  }
  return version;
}

}  // namespace billwatch::sources
