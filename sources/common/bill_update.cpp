#include "common/bill_update.hpp"

#include <algorithm>

#include "billwatch/core/hash.hpp"
#include "common/page_version.hpp"

namespace billwatch::sources {

namespace {

void report(SourceRun& run, const Bill& bill, const store::SavedVersion& saved, Saved& outcome) {
  std::ostream& log = run.deps().log;
  for (const auto& [kind, id] : saved.events) {
    (void)id;
    switch (kind) {
      case EventKind::NewBill:
        outcome = Saved::NewBill;
        log << "new bill " << bill.id << ": " << bill.title << "\n";
        break;
      case EventKind::NewVersion:
        log << "new version " << saved.version_number << " of " << bill.id << " (" << saved.label
            << ")\n";
        break;
      case EventKind::StatusChanged:
        log << "status of " << bill.id << " changed\n";
        break;
      case EventKind::Action:
        log << "new actions on " << bill.id << " (" << saved.new_actions << ")\n";
        break;
      case EventKind::ProvisionsChanged:
        log << "provisions of " << bill.id << " changed\n";
        break;
      case EventKind::SourceUnhealthy:
        break;  // never recorded by an update
    }
    if (outcome == Saved::Unchanged) outcome = Saved::Changed;
  }
}

Saved save_documents(SourceRun& run, const Bill& bill, const std::vector<Action>& actions,
                     std::vector<FetchedDocument> documents) {
  SourceDeps& deps = run.deps();
  std::stable_sort(documents.begin(), documents.end(),
                   [](const FetchedDocument& a, const FetchedDocument& b) {
                     if (a.date.empty() != b.date.empty()) return b.date.empty();
                     return a.date < b.date;
                   });
  Saved outcome = Saved::Unchanged;
  if (documents.empty()) {
    report(run, bill,
           deps.store.save_update(store::BillUpdate{bill, actions, std::nullopt}, deps.clock.now()),
           outcome);
  }
  for (const auto& document : documents) {
    std::optional<Version> previous = deps.store.latest_version(bill.id);
    store::NewVersion version = make_version(bill, document.page, document.provenance, previous);
    if (!document.label.empty()) version.label = document.label;
    version.version_code = document.code;
    version.version_date = document.date;
    report(
        run, bill,
        deps.store.save_update(store::BillUpdate{version.bill, actions, version}, deps.clock.now()),
        outcome);
  }
  if (outcome == Saved::NewBill) ++run.summary().new_bills;
  if (outcome == Saved::Changed) ++run.summary().changed;
  if (outcome == Saved::Unchanged) ++run.summary().unchanged;
  return outcome;
}

}  // namespace

FetchedDocument document_of(crawler::PageText page, const std::string& url,
                            const crawler::Fetched& fetched, Timestamp now) {
  FetchedDocument document;
  document.provenance = Provenance{url,
                                   fetched.final_url,
                                   now,
                                   fetched.http_status,
                                   fetched.etag,
                                   fetched.last_modified,
                                   sha256_hex(fetched.body)};
  document.page = std::move(page);
  return document;
}

Saved save_bill(SourceRun& run, const Bill& bill, const std::vector<Action>& actions,
                std::vector<FetchedDocument> documents) {
  try {
    return save_documents(run, bill, actions, std::move(documents));
  } catch (const store::StoreError& e) {
    // One bill's damaged record must not cost every other bill its update, nor the
    // subscribers their mail: the run goes on and exits 1.
    run.error(bill.source, bill.url.empty() ? bill.id : bill.url,
              bill.id + ": not stored: " + e.what());
    return Saved::Failed;
  }
}

}  // namespace billwatch::sources
