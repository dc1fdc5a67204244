// What the store's unit tests share: families written as exposition text, and one second in the
// store's nanoseconds.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "plugins/text/text_parser.h"

namespace ferry::core::store::test_support {

inline constexpr int64_t kSecond = 1000000000;

// The families of `text` (the text format); a parse error fails the calling test.
inline std::vector<pb::MetricFamily> parse(const std::string& text) {
  std::vector<pb::MetricFamily> families;
  auto error = plugins::text::parseText(text, families);
  EXPECT_FALSE(error) << error->message;
  return families;
}

}  // namespace ferry::core::store::test_support
