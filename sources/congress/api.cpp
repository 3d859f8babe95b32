// The Congress source: api.congress.gov: the bill listing and each listed bill's actions and texts.
#include "congress/congress_run.hpp"

namespace billwatch::sources {
namespace congress_detail {

// With a key: which followed bills api.congress.gov saw change since the last run, with
// their actions and text versions (a day or more ahead of the bulk data). Bills not
// followed are left to the bulk data, whose status files say whether they are on topic.
// A bill whose answers could not all be read is read from its status file instead (added
// to `candidates`), and the listing's mark stays, so the next run lists it again.
void CongressSource::read_congress_api(std::vector<Candidate>& candidates) {
  if (!m_congress_api.on()) return;
  std::map<std::string, store::SourceItem> known;
  for (auto& file : m_deps.store.source_items(name())) known[file.bill_id] = std::move(file);
  for (const auto& [congress, type] : m_read) {
    std::string key = "congress_api_since:" + std::to_string(congress) + type;
    auto since = m_deps.store.source_state(name(), key);
    Timestamp started = now();
    if (!since) {
      // The first run reads the bulk data, which covers every bill; the API takes over
      // from here.
      m_deps.store.set_source_state(name(), key, format_iso8601(started));
      continue;
    }
    std::string path = "/bill/" + std::to_string(congress) + "/" + type +
                       "?fromDateTime=" + *since + "&sort=updateDate+desc&limit=250&format=json";
    std::vector<sources::ApiBill> changed;
    bool complete =
        Listing::complete == read_pages(k_max_api_pages, [&](int) -> std::optional<bool> {
          auto body = m_congress_api.get(path);
          if (!body) return std::nullopt;
          auto page = sources::parse_congress_bill_list(*body);
          if (!page) {
            m_run.error(name(), m_config.api_base_url + path, "api.congress.gov: " + page.error());
            return std::nullopt;
          }
          if (page.value().stated > 0 && page.value().items.empty() && page.value().skipped > 0) {
            m_run.warning(name(), m_config.api_base_url + path,
                          "api.congress.gov says " + std::to_string(page.value().stated) +
                              " bills, but none on this page could be read");
          }
          changed.insert(changed.end(), page.value().items.begin(), page.value().items.end());
          return m_congress_api.next_page(page.value().next, path);
        });
    for (const auto& listed : changed) {
      if (listed.congress != congress || listed.type != type) continue;
      std::string id = listed.bill_id();
      auto file = known.find(id);
      bool followed = m_follow.known(file != known.end() && file->second.tracked, id);
      if (!followed) continue;
      store::SourceItem row;
      if (file != known.end()) {
        row = file->second;
      } else {
        row.url = sources::billstatus_url(m_config.base_url, congress, type, listed.number);
        row.bill_id = id;
      }
      if (read_congress_api_bill(listed, row)) continue;
      complete = false;
      bool queued = std::any_of(candidates.begin(), candidates.end(),
                                [&](const Candidate& c) { return c.file.url == row.url; });
      if (!queued && m_congress_api.on()) {
        m_run.warning(name(), row.url,
                      id + ": api.congress.gov's answers were incomplete; reading its status "
                           "file instead");
        row.tracked = true;
        if (row.seen_lastmod.empty()) row.seen_lastmod = "run " + format_iso8601(now());
        candidates.push_back({row, true});
      }
    }
    // Only a complete listing of bills all read moves the mark; an hour of overlap
    // catches late updates.
    if (complete) m_deps.store.set_source_state(name(), key, format_iso8601(started - 3600));
  }
}

// The actions and text versions of one followed bill, as a FollowedBill to save.
bool CongressSource::read_congress_api_bill(const sources::ApiBill& listed,
                                            const store::SourceItem& row) {
  std::string base =
      "/bill/" + std::to_string(listed.congress) + "/" + listed.type + "/" + listed.number;
  std::vector<std::vector<Action>> pages;
  std::string path = base + "/actions?limit=250&format=json";
  bool complete =
      Listing::complete == read_pages(k_max_api_pages, [&](int) -> std::optional<bool> {
        auto body = m_congress_api.get(path);
        if (!body) return std::nullopt;
        auto page = sources::parse_congress_actions(*body);
        if (!page) {
          m_run.error(name(), m_config.api_base_url + path, "api.congress.gov: " + page.error());
          return std::nullopt;
        }
        pages.push_back(std::move(page.value().items));
        return m_congress_api.next_page(page.value().next, path);
      });
  if (!complete) return false;
  auto body = m_congress_api.get(base + "/text?format=json");
  if (!body) return false;
  auto texts = sources::parse_congress_text_versions(*body);
  if (!texts) {
    m_run.error(name(), m_config.api_base_url + base + "/text",
                "api.congress.gov: " + texts.error());
    return false;
  }
  FollowedBill bill;
  bill.file = row;
  bill.from_api = true;
  bill.status.bill = sources::federal_bill(listed.congress, listed.type, listed.number);
  bill.status.bill.title = stored_title(bill.status.bill.id).value_or(listed.title);
  bill.status.congress = listed.congress;
  bill.status.type = listed.type;
  bill.status.number = listed.number;
  // Pages go newest first; each page is already oldest first.
  for (auto it = pages.rbegin(); it != pages.rend(); ++it) {
    bill.status.actions.insert(bill.status.actions.end(), it->begin(), it->end());
  }
  std::stable_sort(bill.status.actions.begin(), bill.status.actions.end(),
                   [](const Action& a, const Action& b) { return a.date < b.date; });
  bill.status.stage = sources::federal_stage(bill.status.actions);
  sources::keep_stage_moves(bill.status.actions);
  bill.status.text_versions = std::move(texts.value().items);
  m_bills.push_back(std::move(bill));
  return true;
}

}  // namespace congress_detail

}  // namespace billwatch::sources
