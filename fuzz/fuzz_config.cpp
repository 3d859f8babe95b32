// The TOML config loader: any input is either a Config or a ConfigError, nothing else.
#include <cstddef>
#include <cstdint>
#include <string>

#include "billwatch/config/config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)billwatch::config::parse_config(text, "fuzz.toml", "/nonexistent");
  } catch (const billwatch::config::ConfigError&) {
  }
  return 0;
}
