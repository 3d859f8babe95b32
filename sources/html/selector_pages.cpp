#include "html/selector_pages.hpp"

#include <algorithm>
#include <set>

#include "billwatch/core/hash.hpp"
#include "billwatch/crawler/outbound_policy.hpp"
#include "billwatch/crawler/page_text.hpp"
#include "billwatch/crawler/print_layout.hpp"
#include "billwatch/sources/common/stages.hpp"
#include "common/commit_cadence.hpp"
#include "html/pages.hpp"

namespace billwatch::sources {

namespace {

// The selectors of a source; an invalid one was refused when the config was loaded
// (check_page_source), so here it is only skipped.
sources::PageSelectors parsed(const config::SelectorsConfig& s) {
  sources::PageSelectors out;
  auto one = [](const std::string& text) -> std::optional<crawler::Selector> {
    if (text.empty()) return std::nullopt;
    auto selector = crawler::Selector::parse(text);
    if (!selector) return std::nullopt;
    return selector.value();
  };
  out.title = one(s.title);
  out.status = one(s.status);
  out.actions = one(s.actions);
  out.action_date = one(s.action_date);
  out.action_text = one(s.action_text);
  out.text = one(s.text);
  out.versions = one(s.versions);
  return out;
}

}  // namespace

void check_page_source(const config::Config& config, std::size_t i) {
  {
    const config::SelectorsConfig& s = config.sources[i].selectors;
    for (auto [key, text] :
         {std::pair{"title", &s.title}, std::pair{"status", &s.status},
          std::pair{"actions", &s.actions}, std::pair{"action_date", &s.action_date},
          std::pair{"action_text", &s.action_text}, std::pair{"text", &s.text},
          std::pair{"versions", &s.versions}}) {
      if (text->empty()) continue;
      auto selector = crawler::Selector::parse(*text);
      if (!selector) {
        auto origin = s.origin.find(key);
        throw config::ConfigError((origin == s.origin.end() ? config.origin : origin->second) +
                                  ": source[" + std::to_string(i) + "].selectors." + key + ": " +
                                  selector.error());
      }
    }
  }
}

void SelectorPages::read(const config::SourceConfig& source, const std::string& bill_id,
                         const std::string& url, const crawler::Fetched& fetched) {
  SourceDeps& deps = m_run.deps();
  auto html = crawler::page_html(fetched.body, fetched.content_type, url);
  if (!html) {
    m_run.error(source.name, url, html.error());
    return;
  }
  if (!html.value().warning.empty()) m_run.warning(source.name, url, html.value().warning);
  auto page = crawler::HtmlPage::parse(html.value().html);
  if (!page) {
    m_run.error(source.name, url, page.error());
    return;
  }
  sources::StatusPage status =
      sources::read_status_page(page.value(), parsed(source.selectors), url);

  Bill bill;
  bill.id = bill_id;
  bill.jurisdiction = source.jurisdiction;
  bill.title = status.title;
  bill.source = source.name;
  bill.url = url;
  if (!healthy(source, bill, url, status)) return;

  Pending pending;
  pending.bill = bill;
  pending.source = &source;
  pending.actions = status.actions;
  pending.page_url = url;
  pending.fetch = store::FetchSuccess{fetched.http_status, fetched.etag, fetched.last_modified,
                                      sha256_hex(fetched.body), "stored"};
  // A status line is not dated by most pages: a new one is recorded as an action dated
  // the day billwatch saw it, once.
  std::string status_key = "status:" + url;
  if (!status.status.empty() &&
      deps.store.source_state(source.name, status_key).value_or("") != status.status) {
    Action action;
    action.date = format_iso8601(deps.clock.now()).substr(0, 10);
    action.text = "Status: " + status.status;
    action.stage = sources::stage_from_wording(status.status);
    pending.actions.push_back(std::move(action));
    pending.status = status.status;
  }
  if (!status.text.empty()) {
    FetchedDocument document;
    document.page.format = crawler::PageFormat::PlainText;
    document.page.title = status.title;
    document.page.text = crawler::remove_print_layout(crawler::normalize_text(status.text));
    document.provenance =
        Provenance{url,          fetched.final_url,     deps.clock.now(),       fetched.http_status,
                   fetched.etag, fetched.last_modified, pending.fetch.body_hash};
    document.label = "Page text";
    if (!deps.store.is_latest_text(bill_id, document.page.text)) {
      pending.documents.push_back(std::move(document));
    }
  }
  // Links a page names stay on its own registrable domain (or the source's link_hosts):
  // a page must not send billwatch to arbitrary sites.
  std::string home = crawler::registrable_domain(crawler::url_host(url));
  std::erase_if(status.versions, [&](const sources::StatusPage::Link& link) {
    std::string host = crawler::url_host(link.url);
    bool listed = std::find(source.link_hosts.begin(), source.link_hosts.end(), host) !=
                  source.link_hosts.end();
    bool home_domain = crawler::registrable_domain(host) == home;
    if (!listed && !home_domain) {
      m_run.warning(source.name, url,
                    "a version link to another site (" + host +
                        ") is not followed; list the host in link_hosts to allow it");
    }
    return !listed && !home_domain;
  });
  m_run.cap_links(source.name, url, status.versions);
  pending.links = std::move(status.versions);
  m_pending.push_back(std::move(pending));
}

bool SelectorPages::healthy(const config::SourceConfig& source, const Bill& bill,
                            const std::string& url, const sources::StatusPage& status) {
  SourceDeps& deps = m_run.deps();
  std::set<std::string> unmatched(status.unmatched.begin(), status.unmatched.end());
  bool layout_changed = false;
  for (const char* name : {"title", "status", "actions", "text", "versions"}) {
    const config::SelectorsConfig& s = source.selectors;
    const std::string& text = std::string_view(name) == "title"     ? s.title
                              : std::string_view(name) == "status"  ? s.status
                              : std::string_view(name) == "actions" ? s.actions
                              : std::string_view(name) == "text"    ? s.text
                                                                    : s.versions;
    if (text.empty()) continue;
    std::string key = "selector:" + url + ":" + name;
    std::string state = deps.store.source_state(source.name, key).value_or("");
    if (!unmatched.count(name)) {
      if (state != "ok") deps.store.set_source_state(source.name, key, "ok");
      continue;
    }
    if (state.empty()) {
      // Never matched: the selector is probably wrong, not the page.
      m_run.warning(source.name, url,
                    "selector " + std::string(name) + " = \"" + text +
                        "\" matches nothing on this page; check it");
      continue;
    }
    // It matched before: the page layout probably changed. Nothing read from the page
    // is stored meanwhile (empty content is not a change).
    layout_changed = true;
    int runs = state.rfind("missing:", 0) == 0 ? std::stoi(state.substr(8)) + 1 : 1;
    deps.store.set_source_state(source.name, key, "missing:" + std::to_string(runs));
    std::string message = "selector " + std::string(name) + " = \"" + text +
                          "\" matched before and has matched nothing for " + std::to_string(runs) +
                          " run" + (runs == 1 ? "" : "s") + ": the page layout probably changed";
    if (runs >= source.selector_failure_runs) {
      m_run.error(source.name, url, message);
      if (runs == source.selector_failure_runs) {
        deps.store.record_source_unhealthy(bill, message + ".", deps.clock.now());
      }
    } else {
      m_run.warning(source.name, url, message);
    }
  }
  return !layout_changed;
}

void SelectorPages::finish() {
  if (m_pending.empty()) return;
  SourceDeps& deps = m_run.deps();
  struct Job {
    std::size_t pending;
    sources::StatusPage::Link link;
  };
  std::vector<Job> jobs;
  std::vector<crawler::FetchRequest> requests;
  for (std::size_t i = 0; i < m_pending.size(); ++i) {
    auto stored_list = deps.store.version_urls(m_pending[i].bill.id);
    std::set<std::string> stored(stored_list.begin(), stored_list.end());
    for (const auto& link : m_pending[i].links) {
      if (stored.count(link.url)) continue;
      jobs.push_back({i, link});
      requests.push_back({link.url, "", ""});
    }
  }
  if (!requests.empty()) {
    deps.log << "fetching " << requests.size() << " version document"
             << (requests.size() == 1 ? "" : "s") << " linked from bill pages\n";
    crawler::FetchStats stats = deps.http.fetch_each(
        requests,
        [&](std::size_t index, crawler::FetchOutcome&& outcome) {
          Job& job = jobs[index];
          Pending& pending = m_pending[job.pending];
          m_run.count_page(pending.source->name);
          if (auto* failure = std::get_if<crawler::FetchFailure>(&outcome)) {
            m_run.error(pending.source->name, job.link.url, failure->message);
            return;
          }
          auto* fetched = std::get_if<crawler::Fetched>(&outcome);
          if (!fetched) return;
          ++m_run.summary().fetched;
          auto page = crawler::page_to_text(fetched->body, fetched->content_type, job.link.url);
          if (!page) {
            m_run.error(pending.source->name, job.link.url, page.error());
            return;
          }
          FetchedDocument document =
              document_of(std::move(page.value()), job.link.url, *fetched, deps.clock.now());
          document.label = job.link.label;
          pending.documents.push_back(std::move(document));
        },
        deps.progress);
    m_run.add_stats(stats);
  }
  CommitCadence cadence(m_run);
  for (auto& pending : m_pending) {
    if (save_bill(m_run, pending.bill, pending.actions, std::move(pending.documents)) ==
        Saved::Failed) {
      continue;  // the page is read again next run
    }
    deps.store.record_fetch_success(pending.page_url, pending.fetch, deps.clock.now());
    if (!pending.status.empty()) {
      deps.store.set_source_state(pending.source->name, "status:" + pending.page_url,
                                  pending.status);
    }
    cadence.saved();
  }
  cadence.finish();
  m_pending.clear();
}

}  // namespace billwatch::sources
