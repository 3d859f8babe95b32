#pragma once

#include <memory>
#include <string>

#include "billwatch/store/records.hpp"
#include "billwatch/store/views.hpp"

namespace billwatch::store {

// The system of record: bills, versions, events, subscribers, the delivery ledger and
// per-URL fetch state, in one SQLite file. Every method either completes or throws
// StoreError, leaving the database as it was. One Store per thread. Its methods are
// documented in views.hpp, by the view that holds them.
class Store final : public SourceStore, public Deliveries, public SelfService, public Research {
 public:
  // Opens (creating if needed) and migrates the database at `path`. Refuses a database
  // whose schema is newer than this program.
  static Store open(const std::string& path);
  // For commands that only read: a missing file is a StoreError naming the path, never a
  // new empty database.
  static Store open_existing(const std::string& path);
  static Store open_in_memory();
  // For the web server: a connection that cannot write (SQLite's read-only mode and
  // query_only), beside a run that writes; WAL lets it read what is committed without
  // blocking the writer. The file must exist with this program's schema (a run creates
  // and migrates it).
  static Store open_read_only(const std::string& path);

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store() override;

  int schema_version() const;
  const std::string& path() const;

  using Batch = store::Batch;
  Batch batch() override;

  // FetchLog
  std::optional<FetchState> fetch_state(const std::string& url) const override;
  void record_fetch_success(const std::string& url, const FetchSuccess& success,
                            Timestamp at) override;
  void record_fetch_successes(const std::vector<std::pair<std::string, FetchSuccess>>& successes,
                              Timestamp at) override;
  void record_fetch_failure(const std::string& url, int http_status, const std::string& message,
                            FetchFailureKind outcome, Timestamp at) override;
  // Bills
  std::optional<std::string> latest_content_hash(const std::string& bill_id) const override;
  bool is_latest_text(const std::string& bill_id, std::string_view text) const override;
  std::optional<Version> latest_version(const std::string& bill_id) const override;
  SavedVersion save_update(const BillUpdate& update, Timestamp at) override;
  SavedVersion save_version(const NewVersion& version, Timestamp at) override;
  std::int64_t record_source_unhealthy(const Bill& bill, const std::string& message,
                                       Timestamp at) override;
  std::vector<std::string> version_urls(const std::string& bill_id) const override;
  std::vector<BillRow> bills(const BillFilter& filter = {}) const override;
  // SourceMemory
  std::vector<SourceItem> source_items(const std::string& source) const override;
  void note_source_items(const std::string& source, const std::vector<SourceItem>& files) override;
  void mark_source_item_processed(const std::string& source, const SourceItem& file) override;
  std::optional<std::string> source_state(const std::string& source,
                                          const std::string& key) const override;
  void set_source_state(const std::string& source, const std::string& key,
                        const std::string& value) override;
  int api_requests_in_hour(const std::string& service, Timestamp at) const override;
  int api_requests_since(const std::string& service, Timestamp from) const override;
  void count_api_request(const std::string& service, Timestamp at) override;
  void record_source_health(const std::string& source, int pages, int failures,
                            const std::string& last_error, Timestamp at) override;
  // Deliveries
  bool subscribe(const std::string& email, const std::vector<std::string>& jurisdictions,
                 Timestamp at) override;
  bool add_subscription(const std::string& email, const std::string& name,
                        const SubscriptionFilter& filter, std::optional<Frequency> frequency,
                        Timestamp at) override;
  bool unsubscribe(const std::string& email) override;
  std::optional<std::string> unsubscribe_id(std::int64_t subscriber_id) override;
  std::vector<Subscriber> subscribers() const override;
  std::vector<PendingDelivery> pending_deliveries(
      int max_attempts,
      const std::function<bool(int attempts, Timestamp failed_at)>& may_retry = {}) const override;
  std::int64_t newest_event_id() const override;
  void mark_considered(std::int64_t subscriber_id, std::int64_t event_id) override;
  void mark_digest_sent(std::int64_t subscriber_id, Timestamp at) override;
  std::vector<OutboxEntry> outbox(int max_attempts) const override;
  void mark_sending(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at) override;
  void mark_sent(std::int64_t subscriber_id, std::int64_t event_id, Timestamp at) override;
  void mark_failed(std::int64_t subscriber_id, std::int64_t event_id, const std::string& error,
                   Timestamp at) override;
  void mark_unanswered(std::int64_t subscriber_id, std::int64_t event_id, const std::string& error,
                       Timestamp at) override;
  void mark_refused(std::int64_t subscriber_id, std::int64_t event_id, const std::string& error,
                    Timestamp at) override;
  // SelfService
  Confirmation request_confirmation(const std::string& email, const SubscriptionFilter& filter,
                                    Frequency frequency, Timestamp at,
                                    Timestamp expires_at) override;
  std::optional<Confirmation> confirmation(std::int64_t id) const override;
  std::optional<Subscriber> confirm(std::int64_t confirmation_id, Timestamp at) override;
  std::vector<Confirmation> pending_confirmations(Timestamp now) const override;
  int requested_mails(const std::string& email, Timestamp since) const override;
  void note_requested_mail(const std::string& email, Timestamp at) override;
  std::optional<Subscriber> subscriber(std::int64_t id) const override;
  std::optional<Subscriber> subscriber_by_email(const std::string& email) const override;
  bool set_frequency(std::int64_t subscriber_id, Frequency frequency) override;
  bool set_paused(std::int64_t subscriber_id, bool paused) override;
  bool add_subscription_to(std::int64_t subscriber_id, const SubscriptionFilter& filter) override;
  bool remove_subscription(std::int64_t subscriber_id, std::int64_t subscription_id) override;
  std::optional<std::int64_t> renew_manage_link(std::int64_t subscriber_id) override;
  bool forget(const std::string& email) override;
  // Research (defaults as in the views: a call through Store sees these)
  std::optional<BillHistory> history(const std::string& bill_id) const override;
  std::vector<ChangeEvent> events(const EventQuery& query) const override;
  std::int64_t record_version() const override;
  RunHealth health() const override;
  std::optional<Version> version(const std::string& bill_id,
                                 std::int64_t version_id) const override;
  std::optional<Version> version_numbered(const std::string& bill_id, int number) const override;
  std::vector<SearchHit> search(const std::string& query, std::size_t limit = 20) const override;
  std::vector<std::string> export_tables(const std::string& directory, const std::string& format,
                                         bool replace = false,
                                         const std::string& codebook_appendix = "") const override;
  std::vector<Damage> check() const override;
  void backup(const std::string& destination) const override;

  void record_run(Timestamp started, Timestamp finished, const std::string& summary_json);

 private:
  friend class store::Batch;
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  static std::unique_ptr<Impl> open_impl(const std::string& path, bool create);
  std::unique_ptr<Impl> m_impl;
};

}  // namespace billwatch::store
