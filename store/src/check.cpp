// `billwatch check`: the invariants of the record, verified over the whole database. Each
// is one that writing keeps (see Store::save_update); check finds what broke them anyway:
// a damaged file, a database edited by hand, a bug in an older release.
#include <map>

#include "billwatch/core/hash.hpp"
#include "store_impl.hpp"
#include "texts.hpp"

namespace billwatch::store {

std::vector<Damage> Store::check() const {
  return m_impl->guarded("checking the database", [&] {
    auto& db = m_impl->db;
    auto& statements = m_impl->statements;
    std::vector<Damage> damage;
    {
      SQLite::Statement q(db, "PRAGMA integrity_check");
      while (q.executeStep()) {
        std::string line = q.getColumn(0).getString();
        if (line != "ok") damage.push_back({"", 0, "SQLite: " + line});
      }
    }
    // Every text once (versions share texts), then what it means for each version.
    std::map<std::int64_t, std::string> text_problems;
    {
      SQLite::Statement texts(db, "SELECT id, hash FROM texts ORDER BY id");
      while (texts.executeStep()) {
        std::int64_t id = texts.getColumn(0).getInt64();
        try {
          if (sha256_hex(detail::rebuild_text(statements, id)) != texts.getColumn(1).getString()) {
            text_problems[id] = "its text does not match its SHA-256";
          }
        } catch (const std::runtime_error& e) {
          text_problems[id] = std::string("its text cannot be rebuilt: ") + e.what();
        }
      }
    }
    {
      SQLite::Statement versions(db,
                                 "SELECT v.bill_id, v.number, v.text_id, t.id, v.content_hash, "
                                 "t.hash FROM versions v LEFT JOIN texts t ON t.id = v.text_id "
                                 "ORDER BY v.bill_id, v.number");
      while (versions.executeStep()) {
        std::string bill = versions.getColumn(0).getString();
        int number = versions.getColumn(1).getInt();
        std::int64_t text_id = versions.getColumn(2).getInt64();
        if (versions.getColumn(3).isNull()) {
          damage.push_back({bill, number, "its text (" + std::to_string(text_id) + ") is missing"});
          continue;
        }
        if (auto problem = text_problems.find(text_id); problem != text_problems.end()) {
          damage.push_back({bill, number, problem->second});
        } else if (versions.getColumn(4).getString() != versions.getColumn(5).getString()) {
          damage.push_back({bill, number, "its content hash is not its text's hash"});
        }
      }
    }
    {
      // An event that speaks of a version has it; a new version's events always do.
      SQLite::Statement events(db,
                               "SELECT e.id, e.bill_id, e.kind, e.version_id FROM events e "
                               "LEFT JOIN versions v ON v.id = e.version_id "
                               "WHERE (e.version_id IS NOT NULL AND v.id IS NULL) "
                               "OR (e.version_id IS NULL AND e.kind IN ('new_version', "
                               "'provisions_changed')) ORDER BY e.id");
      while (events.executeStep()) {
        damage.push_back({events.getColumn(1).getString(), 0,
                          "event " + std::to_string(events.getColumn(0).getInt64()) + " (" +
                              events.getColumn(2).getString() + ") has no version"});
      }
    }
    {
      SQLite::Statement deliveries(db,
                                   "SELECT d.subscriber_id, d.event_id FROM deliveries d "
                                   "LEFT JOIN events e ON e.id = d.event_id WHERE e.id IS NULL");
      while (deliveries.executeStep()) {
        damage.push_back({"", 0,
                          "a delivery to subscriber " +
                              std::to_string(deliveries.getColumn(0).getInt64()) + " names event " +
                              std::to_string(deliveries.getColumn(1).getInt64()) +
                              ", which does not exist"});
      }
    }
    return damage;
  });
}

}  // namespace billwatch::store
