// The Congress source: Steps 4–5: followed bills saved; bills of ended Congresses closed.
#include "common/commit_cadence.hpp"
#include "congress/congress_run.hpp"

namespace billwatch::sources {
namespace congress_detail {

// Step 4: each followed bill, as one update per new version (oldest first).
void CongressSource::save() {
  CommitCadence cadence(m_run);
  for (auto& followed : m_bills) {
    if (followed.scan_only) {
      // Scanned and not relevant: read, not followed.
      ++m_run.summary().off_topic;
      if (followed.complete) {
        store::SourceItem file = followed.file;
        file.processed_lastmod = file.seen_lastmod;
        file.tracked = false;
        m_deps.store.mark_source_item_processed(name(), file);
      }
      continue;
    }
    const sources::BillStatus& status = followed.status;
    Bill bill = status.bill;
    bill.source = name();
    std::vector<Action> actions = status.actions;
    if (auto dead = end_of_congress(status.congress, status.stage)) actions.push_back(*dead);
    std::vector<FetchedDocument> documents;
    std::string newest;
    for (auto& text : followed.texts) {
      // The newest version's package names the bill's text on govinfo.
      if (bill.govinfo_package.empty() || text.document.date >= newest) {
        bill.govinfo_package = text.files.package;
        newest = text.document.date;
      }
      documents.push_back(std::move(text.document));
    }
    Saved saved = save_bill(m_run, bill, actions, std::move(documents));
    if (!followed.from_api && saved != Saved::Failed) {
      set_pending_texts(bill.id, followed.complete ? std::vector<sources::TextVersionRef>{}
                                                   : status.text_versions);
    }
    // What the API said does not stand for the status file: that is read when its
    // lastmod moves.
    if (followed.complete && !followed.from_api && saved != Saved::Failed) {
      store::SourceItem file = followed.file;
      file.processed_lastmod = file.seen_lastmod;
      file.tracked = true;
      m_deps.store.mark_source_item_processed(name(), file);
    }
    cadence.saved();
  }
  cadence.finish();
}

// Step 5: followed bills whose Congress ended since their file last changed.
void CongressSource::mark_ended_congresses() {
  std::set<std::string> followed;
  for (const auto& file : m_deps.store.source_items(name())) {
    if (file.tracked) followed.insert(file.bill_id);
  }
  if (followed.empty()) return;
  store::BillFilter filter;
  filter.jurisdiction = "US";
  for (const auto& row : m_deps.store.bills(filter)) {
    if (!followed.count(row.bill.id)) continue;
    auto ref = sources::parse_federal_bill_id(row.bill.id);
    if (!ref) continue;
    auto dead = end_of_congress(ref->congress, row.stage);
    if (!dead) continue;
    save_bill(m_run, row.bill, {*dead}, {});
  }
}

}  // namespace congress_detail

void run_congress_source(const config::SourceConfig& source, SourceRun& run) {
  congress_detail::CongressSource(source, run).run();
}

}  // namespace billwatch::sources
