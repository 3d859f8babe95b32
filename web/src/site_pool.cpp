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

// One store connection and one site per server thread, opened on its first request.
class SitePool {
 public:
  SitePool(std::string database, SiteOptions options)
      : m_database(std::move(database)), m_options(std::move(options)) {}

  Response handle(const Request& request, std::string& error) {
    Entry& entry = entry_for_this_thread();
    return entry.site.handle(request, &error);
  }

 private:
  struct Entry {
    store::Store store;
    Site site;
    Entry(store::Store s, const SiteOptions& options)
        : store(std::move(s)), site(store, store, options) {}
  };

  Entry& entry_for_this_thread() {
    std::lock_guard<std::mutex> lock(m_mutex);
    auto& slot = m_entries[std::this_thread::get_id()];
    if (!slot) slot = std::make_unique<Entry>(store::Store::open_read_only(m_database), m_options);
    return *slot;
  }

  std::string m_database;
  SiteOptions m_options;
  std::mutex m_mutex;
  std::map<std::thread::id, std::unique_ptr<Entry>> m_entries;
};

}  // namespace

Handler database_handler(const std::string& database, const SiteOptions& options) {
  auto pool = std::make_shared<SitePool>(database, options);
  return
      [pool](const Request& request, std::string& error) { return pool->handle(request, error); };
}

}  // namespace billwatch::web
