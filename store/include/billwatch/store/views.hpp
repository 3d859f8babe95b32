#pragma once

// Narrow views of the system of record, each what one part of billwatch needs: sources see
// Bills, FetchLog and SourceMemory (SourceStore); the notifier's ledger is Deliveries (app
// wires it); researchers' commands see Research. Store implements them all over one SQLite
// connection.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "billwatch/store/records.hpp"

namespace billwatch::store {

class Store;

// Groups many bill updates into one transaction: committing each bill's update on its
// own wrote most database pages to the WAL again for every page crawled. Inside a batch
// each update is still all-or-nothing (a savepoint), and everything is durable at
// commit(); a crash loses at most the uncommitted batch, which the next run fetches
// again. Destroyed without commit(), the batch is rolled back.
class Batch {
 public:
  explicit Batch(Store& store);
  Batch(Batch&& other) noexcept;
  Batch& operator=(Batch&&) = delete;
  ~Batch();
  void commit();  // and start the next one
  void finish();  // commit and end

 private:
  Store* m_store;
};

// What is known about each URL between runs: validators, body hash, last outcome.
class FetchLog {
 public:
  virtual ~FetchLog() = default;
  virtual std::optional<FetchState> fetch_state(const std::string& url) const = 0;
  virtual void record_fetch_success(const std::string& url, const FetchSuccess& success,
                                    Timestamp at) = 0;
  // Many successes in one transaction: a crawl of a thousand unchanged pages would otherwise
  // pay a commit per page.
  virtual void record_fetch_successes(
      const std::vector<std::pair<std::string, FetchSuccess>>& successes, Timestamp at) = 0;
  // `outcome` is "failed", "blocked" or "robots". Keeps the validators and body hash.
  virtual void record_fetch_failure(const std::string& url, int http_status,
                                    const std::string& message, FetchFailureKind outcome,
                                    Timestamp at) = 0;
};

// Bills, their versions and the events a change makes.
class Bills {
 public:
  virtual ~Bills() = default;
  // The content hash of the bill's latest version; nullopt when none is stored.
  virtual std::optional<std::string> latest_content_hash(const std::string& bill_id) const = 0;
  // Is `text` exactly the text of the bill's latest version? Change detection asks this,
  // so that it compares what the store would keep, hashed the way the store hashes it.
  virtual bool is_latest_text(const std::string& bill_id, std::string_view text) const = 0;
  // The latest stored version of a bill, with its text.
  virtual std::optional<Version> latest_version(const std::string& bill_id) const = 0;

  // In one transaction: creates or updates the bill, records its new actions, stores the
  // version (its text content-addressed: an identical text is stored once) with its
  // provisions, records the events (new_bill the first time; later `action` for new
  // actions, `status_changed` when the stage moved, `new_version` for a text and
  // `provisions_changed` when its provisions differ) and the URL's fetch success. The
  // bill's stage is that of its latest action that has one.
  virtual SavedVersion save_update(const BillUpdate& update, Timestamp at) = 0;
  virtual SavedVersion save_version(const NewVersion& version, Timestamp at) = 0;

  // A page billwatch reads for `bill` stopped matching its selectors: a source_unhealthy
  // event on the bill (created when it is not stored yet), so subscribers and the
  // operator hear that alerts for it may be missed. Returns the event id.
  virtual std::int64_t record_source_unhealthy(const Bill& bill, const std::string& message,
                                               Timestamp at) = 0;

  // The URLs of every stored version of a bill, so a source fetches each text once.
  virtual std::vector<std::string> version_urls(const std::string& bill_id) const = 0;

  virtual std::vector<BillRow> bills(const BillFilter& filter = {}) const = 0;
};

// A source's memory between runs: the items it has read, small state, API usage, health.
class SourceMemory {
 public:
  virtual ~SourceMemory() = default;
  // A source's memory of the items it reads (see SourceItem).
  virtual std::vector<SourceItem> source_items(const std::string& source) const = 0;
  // Records what a sitemap listed; existing rows keep their processed lastmod.
  virtual void note_source_items(const std::string& source,
                                 const std::vector<SourceItem>& files) = 0;
  // A file was processed at `lastmod` (its bill tracked or not).
  virtual void mark_source_item_processed(const std::string& source, const SourceItem& file) = 0;
  // A source's small memory between runs (e.g. when its last API listing started).
  virtual std::optional<std::string> source_state(const std::string& source,
                                                  const std::string& key) const = 0;
  virtual void set_source_state(const std::string& source, const std::string& key,
                                const std::string& value) = 0;
  // Requests made to a keyed API in the clock hour of `at`, and counting one more.
  virtual int api_requests_in_hour(const std::string& service, Timestamp at) const = 0;
  // Requests made to a keyed API from the clock hour of `from` on.
  virtual int api_requests_since(const std::string& service, Timestamp from) const = 0;
  virtual void count_api_request(const std::string& service, Timestamp at) = 0;

  // Per-source health: pages attempted and failed in this run.
  virtual void record_source_health(const std::string& source, int pages, int failures,
                                    const std::string& last_error, Timestamp at) = 0;
};

// What a source may use of the store.
class SourceStore : public Bills, public FetchLog, public SourceMemory {
 public:
  virtual Batch batch() = 0;
};

// Subscribers and the delivery ledger.
class Deliveries {
 public:
  virtual ~Deliveries() = default;
  // Adds a subscriber (or replaces an existing one's subscriptions) with one subscription
  // to these jurisdictions (empty: all). They receive events recorded from now on.
  // Returns true when the address is new.
  virtual bool subscribe(const std::string& email, const std::vector<std::string>& jurisdictions,
                         Timestamp at) = 0;
  // Adds a subscription (an identical one is not added twice), creating the subscriber
  // when new; `name` and `frequency` replace the subscriber's when not empty. Returns true
  // when the address is new.
  virtual bool add_subscription(const std::string& email, const std::string& name,
                                const SubscriptionFilter& filter,
                                std::optional<Frequency> frequency, Timestamp at) = 0;
  // Returns false when the address was not subscribed.
  virtual bool unsubscribe(const std::string& email) = 0;
  // By id (an unsubscribe token names the id): the address removed, or nullopt.
  virtual std::optional<std::string> unsubscribe_id(std::int64_t subscriber_id) = 0;
  virtual std::vector<Subscriber> subscribers() const = 0;

  // Deliveries not yet sent whose subscription matches, oldest event first; failed ones
  // only while they have had fewer than `max_attempts` attempts. Events a subscriber's
  // filters were already matched against (see mark_considered) are not looked at again.
  // With `may_retry`, a failed delivery is listed only when it says so, given its counted
  // attempts and when it last failed (the notifier's DeliveryPolicy decides the wait).
  virtual std::vector<PendingDelivery> pending_deliveries(
      int max_attempts,
      const std::function<bool(int attempts, Timestamp failed_at)>& may_retry = {}) const = 0;
  // The newest event id: what a notify pass has considered when it delivered everything.
  virtual std::int64_t newest_event_id() const = 0;
  // Every event up to `event_id` was matched against the subscriber's filters and is
  // either not theirs or has a delivery in the ledger.
  virtual void mark_considered(std::int64_t subscriber_id, std::int64_t event_id) = 0;
  // A daily or weekly digest went out at `at`.
  virtual void mark_digest_sent(std::int64_t subscriber_id, Timestamp at) = 0;
  // What is not sent yet and what failed, oldest first (`billwatch outbox`).
  virtual std::vector<OutboxEntry> outbox(int max_attempts) const = 0;
  // Ledger steps: "sending" is written before SMTP, "sent" or "failed" after it.
  virtual void mark_sending(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at) = 0;
  virtual void mark_sent(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at) = 0;
  virtual void mark_failed(std::int64_t subscriber_id, std::int64_t event_id,
                           const std::string& error, Timestamp at) = 0;
  // No server answered (down, unreachable, timed out): the attempt is not counted, so a
  // first attempt has no backoff and the next run sends it; the error is kept for `outbox`.
  virtual void mark_unanswered(std::int64_t subscriber_id, std::int64_t event_id,
                               const std::string& error, Timestamp at) = 0;
  // A refusal that will not change (a 5xx for this recipient): failed, never retried.
  virtual void mark_refused(std::int64_t subscriber_id, std::int64_t event_id,
                            const std::string& error, Timestamp at) = 0;
};

// What subscribers change themselves (the web's subscribe and manage pages, through the
// same transactions as the CLI's commands) and what the operator sees of it.
class SelfService {
 public:
  virtual ~SelfService() = default;
  // A request waiting for its address's confirmation, until `expires_at`. The address
  // receives nothing else, and an existing subscriber's alerts do not change, until then.
  virtual Confirmation request_confirmation(const std::string& email,
                                            const SubscriptionFilter& filter, Frequency frequency,
                                            Timestamp at, Timestamp expires_at) = 0;
  virtual std::optional<Confirmation> confirmation(std::int64_t id) const = 0;
  // Confirms a request: the subscriber is made when new (receiving events from now on),
  // the subscription added (an identical one is not added twice) and the frequency set.
  // A request confirmed before is not applied again. nullopt: no such request, or its
  // time is over at `at`.
  virtual std::optional<Subscriber> confirm(std::int64_t confirmation_id, Timestamp at) = 0;
  // Requests not confirmed whose time is not over at `now`, oldest first.
  virtual std::vector<Confirmation> pending_confirmations(Timestamp now) const = 0;
  // Mails sent to an address because someone asked on the web (confirmations, new
  // manage links): counted for the per-address limit.
  virtual int requested_mails(const std::string& email, Timestamp since) const = 0;
  virtual void note_requested_mail(const std::string& email, Timestamp at) = 0;

  virtual std::optional<Subscriber> subscriber(std::int64_t id) const = 0;
  virtual std::optional<Subscriber> subscriber_by_email(const std::string& email) const = 0;
  // Each returns false when the subscriber (or subscription) is gone.
  virtual bool set_frequency(std::int64_t subscriber_id, Frequency frequency) = 0;
  // Resuming starts from now: what happened while paused is not mailed afterwards.
  virtual bool set_paused(std::int64_t subscriber_id, bool paused) = 0;
  virtual bool add_subscription_to(std::int64_t subscriber_id,
                                   const SubscriptionFilter& filter) = 0;
  virtual bool remove_subscription(std::int64_t subscriber_id, std::int64_t subscription_id) = 0;
  // A new manage-link generation (older links stop working); nullopt when gone.
  virtual std::optional<std::int64_t> renew_manage_link(std::int64_t subscriber_id) = 0;
  // Everything held about an address: subscriber, subscriptions, ledger rows, requests
  // and the per-address mail counts. Returns false when nothing was held.
  virtual bool forget(const std::string& email) = 0;
};

// What researchers ask of the record.
class Research {
 public:
  virtual ~Research() = default;
  virtual std::optional<BillHistory> history(const std::string& bill_id) const = 0;
  // A number that moves whenever the record changes, by this connection or another: what
  // was read while it stayed the same is still what the record holds (the web's cache).
  virtual std::int64_t record_version() const = 0;
  // When the last run finished and how each source did in it.
  virtual RunHealth health() const = 0;
  // The change stream, as the mails report it (see EventQuery).
  virtual std::vector<ChangeEvent> events(const EventQuery& query) const = 0;
  // One version with its text; nullopt when it does not exist or is another bill's.
  virtual std::optional<Version> version(const std::string& bill_id,
                                         std::int64_t version_id) const = 0;
  // By the bill's own numbering (1, 2, 3 ...); nullopt when there is no such version.
  virtual std::optional<Version> version_numbered(const std::string& bill_id, int number) const = 0;
  // Full-text search (see to_fts_query: words, "phrases", prefix*, AND/OR/NOT) over every
  // stored version's paragraphs, best matches first, one hit per bill. Throws QueryError
  // for a query with nothing to search or over the bounds.
  virtual std::vector<SearchHit> search(const std::string& query, std::size_t limit = 20) const = 0;

  // Writes every table researchers need (bills, versions with their text, actions,
  // provisions, events) as CSV or JSON files into `directory`, with codebook.md. Returns
  // the files written.
  // The directory is written whole or not at all (staged beside it, then renamed); an
  // existing one is an error unless `replace`.
  virtual std::vector<std::string> export_tables(
      const std::string& directory, const std::string& format, bool replace = false,
      const std::string& codebook_appendix = "") const = 0;
  // Verifies the whole record: SQLite's integrity check, every stored text rebuilt and
  // compared with its hash, every version's text present, every event's version, every
  // delivery's event. Returns what is damaged (empty: nothing), by bill and version.
  virtual std::vector<Damage> check() const = 0;

  // An online copy of the database (SQLite's backup API), consistent even while a run
  // writes.
  virtual void backup(const std::string& destination) const = 0;
};

}  // namespace billwatch::store
