#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "files.hpp"

namespace billwatch::test {

// One bill's real getBill answer from the recorded Alabama 2025 list
// (tests/fixtures/states/legiscan_api_getBill_AL_2025_list.json), by its number ("HB18").
inline nlohmann::json legiscan_get_bill_answer(const std::string& number) {
  auto all = nlohmann::json::parse(read_fixture("states/legiscan_api_getBill_AL_2025_list.json"));
  for (auto& answer : all) {
    if (answer["bill"]["bill_number"] == number) return answer;
  }
  ADD_FAILURE() << "no " << number << " in the LegiScan fixture";
  return {};
}

}  // namespace billwatch::test
