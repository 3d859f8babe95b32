#pragma once

#include <filesystem>
#include <string>

namespace billwatch::test {

// A fresh directory under $TMPDIR, removed with everything in it when the object dies.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::string file(const std::string& name) const { return (m_path / name).string(); }

 private:
  std::filesystem::path m_path;
};

// Sets an environment variable for the object's lifetime, restoring the old value after.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const char* value);  // nullptr unsets
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string m_name;
  bool m_had_value = false;
  std::string m_old;
};

// The path of a file under tests/fixtures/.
std::string fixture_path(const std::string& relative);
// The whole file, as bytes. Throws std::runtime_error when it cannot be read.
std::string read_file(const std::string& path);
std::string read_fixture(const std::string& relative);
void write_file(const std::string& path, const std::string& content);

}  // namespace billwatch::test
