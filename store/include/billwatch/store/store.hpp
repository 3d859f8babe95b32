#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billwatch/core/bill.hpp"
#include "billwatch/core/error.hpp"
#include "billwatch/core/event.hpp"
#include "billwatch/core/subscription.hpp"

namespace billwatch::store {

// The database cannot be opened, is newer than this program, or a statement failed.
// what() names the database path and what was being done.
class StoreError : public billwatch::Error {
 public:
  using billwatch::Error::Error;
};

// What the crawler knows about one URL between runs.
struct FetchState {
  std::string url;
  std::string etag;
  std::string last_modified;
  int last_status = 0;
  std::string last_error;
  int consecutive_failures = 0;
  Timestamp last_attempt = 0;
  Timestamp last_success = 0;
  std::string body_hash;     // SHA-256 of the last body received
  std::string last_outcome;  // stored, unchanged, not_modified, failed, blocked, robots
};

// A fetch that worked, whatever it brought.
struct FetchSuccess {
  int http_status = 200;
  std::string etag;
  std::string last_modified;
  std::string body_hash;
  std::string outcome;  // "unchanged" or "not_modified" ("stored" is written by save_version)
};

// A new text of a bill, ready to be stored.
struct NewVersion {
  Bill bill;
  // As page_to_text made it. The store hashes exactly these bytes (versions.content_hash)
  // and gives them back byte-identical.
  std::string text;
  Relevance relevance;
  Provenance provenance;
  std::optional<ChangeSummary> change;  // vs. the previous version; nullopt for a new bill
  std::string label;                    // the source's name for this version, if any
  std::string version_code;             // the source's code for it ("ih", "enr"), if any
  std::string version_date;             // YYYY-MM-DD the source dates it, if it does
  std::string parser_version;
  std::vector<Provision> provisions;
  // vs. the previous version's provisions; when not empty a provisions_changed event is
  // recorded beside new_version.
  std::vector<ProvisionChange> provision_changes;
  std::vector<Action> actions;  // every action the source lists; the new ones are recorded
};

// What a source learned about a bill: metadata, its actions, perhaps a new text.
struct BillUpdate {
  Bill bill;
  std::vector<Action> actions;  // every action the source lists; the new ones are recorded
  std::optional<NewVersion> version;
};

struct SavedVersion {
  std::int64_t version_id = 0;          // the row id (internal)
  int version_number = 0;               // per bill: 1, 2, 3 in the order stored; 0 without a text
  std::string label;                    // the source's name for it, the page title, or "Version N"
  std::int64_t event_id = 0;            // the first event recorded; 0 when nothing new was recorded
  EventKind kind = EventKind::NewBill;  // the first event's kind
  int new_actions = 0;
  std::int64_t provisions_event_id = 0;  // 0 when no provisions_changed event was recorded
  std::vector<std::pair<EventKind, std::int64_t>> events;  // every event recorded, in order
};

// What a source remembers about one item it reads (a govinfo BILLSTATUS file, a LegiScan
// bill, an Open States bill) between runs: the change mark the listing last showed (a
// sitemap lastmod, a change_hash, a content hash) and the one the item was last processed
// at. An item whose two differ (new, changed, or a run that failed on it) is read again;
// the others are not.
struct SourceItem {
  std::string url;  // the item's own key: its URL, or "legiscan:1885997"
  std::string bill_id;
  std::string seen_lastmod;       // the change mark as last listed
  std::string processed_lastmod;  // "" until processed without error
  bool tracked = false;           // the bill is followed (topic, track list or text scan)
};

using Subscriber = billwatch::Subscriber;
using PendingDelivery = billwatch::PendingDelivery;

// A delivery not sent: waiting (never tried, or failed and to be retried) or failed.
struct OutboxEntry {
  std::string email;
  std::int64_t event_id = 0;
  std::string bill_id;
  EventKind kind = EventKind::NewBill;
  // "pending", "sending", "queued" (the server did not answer), "failed" (retried),
  // "refused" (5xx), "given up"
  std::string status;
  int attempts = 0;
  std::string last_error;
  Timestamp updated_at = 0;
};

struct BillRow {
  Bill bill;
  Timestamp first_seen = 0;
  Timestamp last_changed = 0;
  int versions = 0;
  bool relevant = false;  // of the latest version
  std::string stage;      // of the latest action with a stage
  std::string stage_date;
  std::int64_t latest_version_id = 0;
  int latest_version = 0;               // its number (per bill)
  std::vector<std::string> categories;  // provision categories of the latest version
};

// `billwatch bills` filters; empty fields do not filter.
struct BillFilter {
  std::string jurisdiction;
  std::string stage;
  std::string category;
  // Bills one of whose versions gained (or lost) a provision of this category, compared
  // with the version before it (a bill's first version gains all it has); with `since`,
  // only versions fetched at or after it count.
  std::string added_category;
  std::string removed_category;
  std::optional<Timestamp> since;  // bills whose latest version or action came at or after
  // Reconstruct the list as it stood at this moment: versions fetched and actions dated
  // (and recorded) up to it; bills first seen later are left out.
  std::optional<Timestamp> as_of;
};

struct VersionRow {
  std::int64_t id = 0;  // row id (internal)
  int number = 0;       // per bill, as people cite it
  std::string content_hash;
  std::size_t chars = 0;
  Relevance relevance;
  Provenance provenance;
  std::string source;
  std::string label;
  std::string parser_version;
  std::string version_code;
  std::string version_date;
  std::vector<Provision> provisions;
};

struct EventRow {
  std::int64_t id = 0;
  EventKind kind = EventKind::NewBill;
  std::int64_t version_id = 0;
  Timestamp created_at = 0;
  std::string payload_json;
};

struct ActionRow {
  std::int64_t id = 0;
  Action action;
  Timestamp recorded_at = 0;
};

struct BillHistory {
  BillRow bill;
  std::vector<VersionRow> versions;  // oldest first
  std::vector<EventRow> events;      // oldest first
  std::vector<ActionRow> actions;    // by date
};

// One bill matching a full-text search.
struct SearchHit {
  std::string bill_id;
  std::string jurisdiction;
  std::string title;
  std::string snippet;        // the best matching passage, matches in [brackets]
  std::vector<int> versions;  // exactly the bill's versions (numbers) that contain a match
  double rank = 0;            // bm25: lower is better
};

// One thing `billwatch check` found wrong.
struct Damage {
  std::string bill_id;  // "" when it belongs to no bill (SQLite's own check, a delivery)
  int version = 0;      // the bill's version number, 0 when not about one version
  std::string what;
};

// The query is not valid FTS5 syntax, or a filter names something that cannot exist.
class QueryError : public StoreError {
 public:
  using StoreError::StoreError;
};

// The system of record: bills, versions, events, subscribers, the delivery ledger and
// per-URL fetch state, in one SQLite file. Every method either completes or throws
// StoreError, leaving the database as it was. One Store per thread.
class Store {
 public:
  // Opens (creating if needed) and migrates the database at `path`. Refuses a database
  // whose schema is newer than this program.
  static Store open(const std::string& path);
  // For commands that only read: a missing file is a StoreError naming the path, never a
  // new empty database.
  static Store open_existing(const std::string& path);
  static Store open_in_memory();

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  int schema_version() const;
  const std::string& path() const;

  // Groups many bill updates into one transaction: committing each bill's update on its
  // own wrote most database pages to the WAL again for every page crawled. Inside a batch
  // each update is still all-or-nothing (a savepoint), and everything is durable at
  // commit(); a crash loses at most the uncommitted batch, which the next run fetches
  // again. Destroyed without commit(), the batch is rolled back.
  class Batch {
   public:
    Batch(Batch&& other) noexcept;
    Batch& operator=(Batch&&) = delete;
    ~Batch();
    void commit();  // and start the next one
    void finish();  // commit and end
   private:
    friend class Store;
    explicit Batch(Store& store);
    Store* m_store;
  };
  Batch batch();

  std::optional<FetchState> fetch_state(const std::string& url) const;
  void record_fetch_success(const std::string& url, const FetchSuccess& success, Timestamp at);
  // Many successes in one transaction: a crawl of a thousand unchanged pages would otherwise
  // pay a commit per page.
  void record_fetch_successes(const std::vector<std::pair<std::string, FetchSuccess>>& successes,
                              Timestamp at);
  // `outcome` is "failed", "blocked" or "robots". Keeps the validators and body hash.
  void record_fetch_failure(const std::string& url, int http_status, const std::string& message,
                            const std::string& outcome, Timestamp at);

  // The content hash of the bill's latest version; nullopt when none is stored.
  std::optional<std::string> latest_content_hash(const std::string& bill_id) const;
  // Is `text` exactly the text of the bill's latest version? Change detection asks this,
  // so that it compares what the store would keep, hashed the way the store hashes it.
  bool is_latest_text(const std::string& bill_id, std::string_view text) const;
  // The latest stored version of a bill, with its text.
  std::optional<Version> latest_version(const std::string& bill_id) const;

  // In one transaction: creates or updates the bill, records its new actions, stores the
  // version (its text content-addressed: an identical text is stored once) with its
  // provisions, records the events (new_bill the first time; later `action` for new
  // actions, `status_changed` when the stage moved, `new_version` for a text and
  // `provisions_changed` when its provisions differ) and the URL's fetch success. The
  // bill's stage is that of its latest action that has one.
  SavedVersion save_update(const BillUpdate& update, Timestamp at);
  SavedVersion save_version(const NewVersion& version, Timestamp at);

  // A page billwatch reads for `bill` stopped matching its selectors: a source_unhealthy
  // event on the bill (created when it is not stored yet), so subscribers and the
  // operator hear that alerts for it may be missed. Returns the event id.
  std::int64_t record_source_unhealthy(const Bill& bill, const std::string& message, Timestamp at);

  // Adds a subscriber (or replaces an existing one's subscriptions) with one subscription
  // to these jurisdictions (empty: all). They receive events recorded from now on.
  // Returns true when the address is new.
  bool subscribe(const std::string& email, const std::vector<std::string>& jurisdictions,
                 Timestamp at);
  // Adds a subscription (an identical one is not added twice), creating the subscriber
  // when new; `name` and `frequency` replace the subscriber's when not empty. Returns true
  // when the address is new.
  bool add_subscription(const std::string& email, const std::string& name,
                        const SubscriptionFilter& filter, const std::string& frequency,
                        Timestamp at);
  // Returns false when the address was not subscribed.
  bool unsubscribe(const std::string& email);
  // By id (an unsubscribe token names the id): the address removed, or nullopt.
  std::optional<std::string> unsubscribe_id(std::int64_t subscriber_id);
  std::vector<Subscriber> subscribers() const;

  // Deliveries not yet sent whose subscription matches, oldest event first; failed ones
  // only while they have had fewer than `max_attempts` attempts. Events a subscriber's
  // filters were already matched against (see mark_considered) are not looked at again.
  // With `may_retry`, a failed delivery is listed only when it says so, given its counted
  // attempts and when it last failed (the notifier's DeliveryPolicy decides the wait).
  std::vector<PendingDelivery> pending_deliveries(
      int max_attempts,
      const std::function<bool(int attempts, Timestamp failed_at)>& may_retry = {}) const;
  // The newest event id: what a notify pass has considered when it delivered everything.
  std::int64_t newest_event_id() const;
  // Every event up to `event_id` was matched against the subscriber's filters and is
  // either not theirs or has a delivery in the ledger.
  void mark_considered(std::int64_t subscriber_id, std::int64_t event_id);
  // A daily or weekly digest went out at `at`.
  void mark_digest_sent(std::int64_t subscriber_id, Timestamp at);
  // What is not sent yet and what failed, oldest first (`billwatch outbox`).
  std::vector<OutboxEntry> outbox(int max_attempts) const;
  // Ledger steps: "sending" is written before SMTP, "sent" or "failed" after it.
  void mark_sending(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at);
  void mark_sent(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at);
  void mark_failed(std::int64_t subscriber_id, std::int64_t event_id, const std::string& error,
                   Timestamp at);
  // No server answered (down, unreachable, timed out): the attempt is not counted, so a
  // first attempt has no backoff and the next run sends it; the error is kept for `outbox`.
  void mark_unanswered(std::int64_t subscriber_id, std::int64_t event_id, const std::string& error,
                       Timestamp at);
  // A refusal that will not change (a 5xx for this recipient): failed, never retried.
  void mark_refused(std::int64_t subscriber_id, std::int64_t event_id, const std::string& error,
                    Timestamp at);

  std::vector<BillRow> bills(const BillFilter& filter = {}) const;
  std::optional<BillHistory> history(const std::string& bill_id) const;
  // One version with its text; nullopt when it does not exist or is another bill's.
  std::optional<Version> version(const std::string& bill_id, std::int64_t version_id) const;
  // By the bill's own numbering (1, 2, 3 ...); nullopt when there is no such version.
  std::optional<Version> version_numbered(const std::string& bill_id, int number) const;
  // Full-text search (see to_fts_query: words, "phrases", prefix*, AND/OR/NOT) over every
  // stored version's paragraphs, best matches first, one hit per bill. Throws QueryError
  // for a query with nothing to search or over the bounds.
  std::vector<SearchHit> search(const std::string& query, std::size_t limit = 20) const;

  // A source's memory of the items it reads (see SourceItem).
  std::vector<SourceItem> source_items(const std::string& source) const;
  // Records what a sitemap listed; existing rows keep their processed lastmod.
  void note_source_items(const std::string& source, const std::vector<SourceItem>& files);
  // A file was processed at `lastmod` (its bill tracked or not).
  void mark_source_item_processed(const std::string& source, const SourceItem& file);
  // A source's small memory between runs (e.g. when its last API listing started).
  std::optional<std::string> source_state(const std::string& source, const std::string& key) const;
  void set_source_state(const std::string& source, const std::string& key,
                        const std::string& value);
  // Requests made to a keyed API in the clock hour of `at`, and counting one more.
  int api_requests_in_hour(const std::string& service, Timestamp at) const;
  // Requests made to a keyed API from the clock hour of `from` on.
  int api_requests_since(const std::string& service, Timestamp from) const;
  void count_api_request(const std::string& service, Timestamp at);

  // The URLs of every stored version of a bill, so a source fetches each text once.
  std::vector<std::string> version_urls(const std::string& bill_id) const;

  // Per-source health: pages attempted and failed in this run.
  void record_source_health(const std::string& source, int pages, int failures,
                            const std::string& last_error, Timestamp at);

  void record_run(Timestamp started, Timestamp finished, const std::string& summary_json);

  // Writes every table researchers need (bills, versions with their text, actions,
  // provisions, events) as CSV or JSON files into `directory`, with codebook.md. Returns
  // the files written.
  // The directory is written whole or not at all (staged beside it, then renamed); an
  // existing one is an error unless `replace`.
  std::vector<std::string> export_tables(const std::string& directory, const std::string& format,
                                         bool replace = false,
                                         const std::string& codebook_appendix = "") const;
  // Verifies the whole record: SQLite's integrity check, every stored text rebuilt and
  // compared with its hash, every version's text present, every event's version, every
  // delivery's event. Returns what is damaged (empty: nothing), by bill and version.
  std::vector<Damage> check() const;

  // An online copy of the database (SQLite's backup API), consistent even while a run
  // writes.
  void backup(const std::string& destination) const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  static std::unique_ptr<Impl> open_impl(const std::string& path, bool create);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace billwatch::store
