#pragma once

// The Pushgateway 1.5.1 files in tests/fixtures (see the README there for how they were made).
#include <fstream>
#include <sstream>
#include <string>

namespace ferry::core::migrate {

inline constexpr char kBasicFixture[] = "pushgateway-1.5.1-basic";
inline constexpr size_t kBasicFixtureGroups = 5;
// Every series, including each group's push_time_seconds and push_failure_time_seconds.
inline constexpr size_t kBasicFixtureSeries = 19;

inline std::string fixturePath(const std::string& name, const std::string& ext = ".data") {
  return std::string(FERRY_FIXTURE_DIR) + "/" + name + ext;
}

inline std::string readFixture(const std::string& name, const std::string& ext = ".data") {
  std::ifstream in(fixturePath(name, ext), std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace ferry::core::migrate
