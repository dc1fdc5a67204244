// libFuzzer entry for the text format parser. Beyond "no crash, no hang, no sanitizer report"
// it checks the parser's contract: an error leaves no output and carries the Go prefix, and a
// successful parse keeps only families that have samples.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "plugins/text/text_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<io::prometheus::client::MetricFamily> families;
  const auto error = ferry::plugins::text::parseText(
      std::string_view(reinterpret_cast<const char*>(data), size), families);
  if (error) {
    constexpr std::string_view kPrefix = "text format parsing error in line ";
    if (!families.empty() || error->message.compare(0, kPrefix.size(), kPrefix) != 0) abort();
    return 0;
  }
  for (const auto& family : families) {
    if (family.metric_size() == 0 || family.name().empty()) abort();
  }
  return 0;
}
