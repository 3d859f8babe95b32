// The handler `billwatch serve` runs: one read-only store connection and one Site per
// server thread, opened on the thread's first request.
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "billwatch/store/store.hpp"
#include "billwatch/web/server.hpp"
#include "billwatch/web/site.hpp"

namespace billwatch::web {

namespace {

// The one writer the site has: subscribers' own requests, through a read-write connection
// shared by the server threads (SQLite waits out a run's transaction with its busy
// timeout, as the CLI's commands do).
class StoreDesk final : public SubscriberDesk {
 public:
  explicit StoreDesk(std::string database) : m_database(std::move(database)) {}
  void with_store(const std::function<void(store::Store&)>& work) override {
    std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_store) m_store = std::make_unique<store::Store>(store::Store::open_existing(m_database));
    work(*m_store);
  }

 private:
  std::string m_database;
  std::mutex m_mutex;
  std::unique_ptr<store::Store> m_store;
};

// One store connection and one site per server thread, opened on its first request.
class SitePool {
 public:
  SitePool(std::string database, SiteOptions options, Mailer* mailer)
      : m_database(std::move(database)),
        m_options(std::move(options)),
        m_desk(m_database),
        m_limits(m_options.posts_per_client_per_hour),
        m_services{&m_desk, mailer, &m_limits, nullptr} {}

  Response handle(const Request& request, std::string& error) {
    Entry& entry = entry_for_this_thread();
    return entry.site.handle(request, &error);
  }

 private:
  struct Entry {
    store::Store store;
    Site site;
    Entry(store::Store s, const SiteOptions& options, const SiteServices& services)
        : store(std::move(s)), site(store, store, options, services) {}
  };

  Entry& entry_for_this_thread() {
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& slot = m_entries[std::this_thread::get_id()];
    if (!slot)
      slot =
          std::make_unique<Entry>(store::Store::open_read_only(m_database), m_options, m_services);
    return *slot;
  }

  std::string m_database;
  SiteOptions m_options;
  StoreDesk m_desk;
  ClientLimits m_limits;
  SiteServices m_services;
  std::mutex m_mutex;
  std::map<std::thread::id, std::unique_ptr<Entry>> m_entries;
};

}  // namespace

Handler database_handler(const std::string& database, const SiteOptions& options, Mailer* mailer) {
  auto pool = std::make_shared<SitePool>(database, options, mailer);
  return
      [pool](const Request& request, std::string& error) { return pool->handle(request, error); };
}

}  // namespace billwatch::web
