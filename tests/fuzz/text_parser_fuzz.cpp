// The text exposition format parser (plugins/text), both entry points.
// Invariants beyond "no crash, no hang, no sanitizer report":
//  - parseText: an error leaves no output and carries the Go prefix; a success keeps only
//    named families that have samples.
//  - parseTextEach (what the `text` plugin runs, handing each family to the family builder)
//    agrees with parseText exactly: the same error text, or the same families in the same
//    order with the same fields set.
//  - every accepted family goes through the core's text exposition (push_scrape_fuzz.cpp
//    checks what the store then serves).
#include <ferry/metrics.pb.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/expo/text_format.h"
#include "plugins/text/text_parser.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/proto_compare.h"

namespace {

using ferry::fuzz::protoDifference;
using io::prometheus::client::MetricFamily;

constexpr std::string_view kErrorPrefix = "text format parsing error in line ";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body = ferry::fuzz::asView(data, size);
  std::vector<MetricFamily> families;
  const auto error = ferry::plugins::text::parseText(body, families);

  std::vector<MetricFamily> streamed;
  const auto stream_error = ferry::plugins::text::parseTextEach(
      body, [&streamed](const MetricFamily& family) { streamed.push_back(family); });
  FUZZ_CHECK(error.has_value() == stream_error.has_value(),
             "parseText and parseTextEach disagree on acceptance: " +
                 (error ? error->message : stream_error->message));

  if (error) {
    FUZZ_CHECK(families.empty(), "output left after an error");
    FUZZ_CHECK(error->message.compare(0, kErrorPrefix.size(), kErrorPrefix) == 0, error->message);
    FUZZ_CHECK(stream_error->message == error->message,
               error->message + " | " + stream_error->message);
    FUZZ_CHECK(streamed.empty(), "parseTextEach handed out a family before failing");
    return 0;
  }
  for (const auto& family : families) {
    FUZZ_CHECK(family.metric_size() > 0 && !family.name().empty(), family.name());
  }

  FUZZ_CHECK(streamed.size() == families.size(), "parseTextEach gave another family count");
  for (size_t i = 0; i < families.size(); ++i) {
    const std::string diff = protoDifference(families[i], streamed[i]);
    FUZZ_CHECK(diff.empty(), "parseTextEach differs from parseText: " + diff);
  }

  // Every family renders (the store only keeps what passes its checks; push_scrape_fuzz
  // checks what it then serves).
  std::string text;
  for (const auto& family : families) ferry::core::expo::appendFamilyText(text, family);
  return 0;
}
