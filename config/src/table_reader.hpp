#pragma once

// What the configuration's readers share: a table read key by key, with errors that name
// file, line and key.
#include <toml++/toml.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "billwatch/config/config.hpp"

namespace billwatch::config::detail {

inline std::string location(const std::string& file, const toml::source_region& where) {
  return file + ":" + std::to_string(where.begin.line);
}

// Reads one TOML table, remembering which keys were consumed so that unknown keys (usually
// typos) are reported instead of silently ignored.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string file, std::string prefix)
      : m_table(table), m_file(std::move(file)), m_prefix(std::move(prefix)) {}

  [[noreturn]] void fail(const toml::source_region& where, const std::string& key,
                         const std::string& what) const {
    throw ConfigError(location(m_file, where) + ": " + m_prefix + key + ": " + what);
  }
  [[noreturn]] void fail_missing(const std::string& key) const {
    fail(m_table.source(), key, "required key is missing");
  }

  const toml::node* get(const std::string& key) {
    m_known.insert(key);
    return m_table.get(key);
  }

  std::optional<std::string> string(const std::string& key) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    if (!node->is_string()) fail(node->source(), key, "expected a string");
    return node->as_string()->get();
  }

  std::string required_string(const std::string& key) {
    auto value = string(key);
    if (!value) fail_missing(key);
    if (value->empty()) fail(m_table.get(key)->source(), key, "must not be empty");
    return *value;
  }

  void integer(const std::string& key, int& out, int min, int max) {
    const toml::node* node = get(key);
    if (!node) return;
    if (!node->is_integer()) fail(node->source(), key, "expected an integer");
    std::int64_t value = node->as_integer()->get();
    if (value < min || value > max) {
      fail(node->source(), key,
           "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
               std::to_string(value));
    }
    out = static_cast<int>(value);
  }

  void boolean(const std::string& key, bool& out) {
    const toml::node* node = get(key);
    if (!node) return;
    if (!node->is_boolean()) fail(node->source(), key, "expected true or false");
    out = node->as_boolean()->get();
  }

  std::optional<std::vector<std::string>> string_array(const std::string& key) {
    const toml::node* node = get(key);
    if (!node) return std::nullopt;
    const toml::array* array = node->as_array();
    if (!array) fail(node->source(), key, "expected an array of strings");
    std::vector<std::string> out;
    for (const toml::node& item : *array) {
      if (!item.is_string()) fail(item.source(), key, "expected an array of strings");
      out.push_back(item.as_string()->get());
    }
    return out;
  }

  // Call after reading every key this table may hold.
  void reject_unknown_keys() const {
    for (auto&& [key, node] : m_table) {
      std::string name(key.str());
      if (!m_known.count(name)) fail(node.source(), name, "unknown key");
    }
  }

  const toml::source_region& source() const { return m_table.source(); }
  const std::string& file() const { return m_file; }

 private:
  const toml::table& m_table;
  std::string m_file;
  std::string m_prefix;
  std::set<std::string> m_known;
};

inline const toml::table* sub_table(TableReader& root, const std::string& key) {
  const toml::node* node = root.get(key);
  if (!node) return nullptr;
  if (!node->is_table()) root.fail(node->source(), key, "expected a table ([" + key + "])");
  return node->as_table();
}

inline bool is_http_url(const std::string& url) {
  return (url.rfind("http://", 0) == 0 && url.size() > 7) ||
         (url.rfind("https://", 0) == 0 && url.size() > 8);
}

// A list of URLs is bounded like any input: a regular file (not /dev/zero, not a FIFO
// that would hang every command), at most k_max_urls_file_bytes, lines of at most
// k_max_url_bytes that are http(s) URLs. Errors name the file and line, never echo the
// line (it may be anything: binary, escape sequences).

// One [[source]] table: its options read by its type's reader (source_options.cpp).
SourceConfig read_source(const toml::table& table, const std::string& file, std::size_t index,
                         const std::string& base_dir);

}  // namespace billwatch::config::detail
