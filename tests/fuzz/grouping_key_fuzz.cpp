// Grouping keys of push URLs (core/model: parseGroupingKey and the @base64 decoding).
// Input: "<flags>\0<job segment>\0<labels string>"; flags containing 'b' select the
// job@base64 route.
// Invariants:
//  - a refusal has a message; an accepted key has a non-empty job and only label names
//    matching [a-zA-Z_][a-zA-Z0-9_]* that do not start with "__";
//  - what was accepted can be written as a URL again: every label as name@base64/value
//    (job@base64 for the job) parses to the same labels, and so does the plain form where
//    the values allow it (no '/', not empty);
//  - base64: decoding what encodeBase64Url wrote gives the bytes back, and a value that
//    decodes re-encodes to a value that decodes to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/model/base64.h"
#include "core/model/grouping_key.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using ferry::core::model::LabelMap;
using ferry::fuzz::printable;

bool validName(std::string_view name) {
  if (name.empty() || name.substr(0, 2) == "__") return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string describe(const LabelMap& labels) {
  std::string out;
  for (const auto& [name, value] : labels) out += " " + printable(name) + "=" + printable(value);
  return out;
}

void checkBase64(std::string_view bytes) {
  using ferry::core::model::decodeBase64Url;
  using ferry::core::model::encodeBase64Url;
  const auto decoded = decodeBase64Url(encodeBase64Url(bytes));
  FUZZ_CHECK(decoded && *decoded == bytes, "base64 round trip failed for " + printable(bytes));
  if (const auto value = decodeBase64Url(bytes)) {
    const auto again = decodeBase64Url(encodeBase64Url(*value));
    FUZZ_CHECK(again && *again == *value, "re-encoded base64 differs for " + printable(bytes));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ferry::core::model::encodeBase64Url;
  using ferry::core::model::parseGroupingKey;
  const auto fields = ferry::fuzz::splitFields(ferry::fuzz::asView(data, size), 3);
  const bool job_is_base64 = fields[0].find('b') != std::string_view::npos;
  checkBase64(fields[1]);

  const auto result = parseGroupingKey(fields[1], job_is_base64, fields[2]);
  if (!result.ok) {
    FUZZ_CHECK(!result.error.empty(), "a refusal without a message");
    return 0;
  }
  const auto job = result.labels.find("job");
  FUZZ_CHECK(job != result.labels.end() && !job->second.empty(), describe(result.labels));
  for (const auto& [name, value] : result.labels) {
    FUZZ_CHECK(validName(name), describe(result.labels));
  }

  std::string encoded;
  std::string plain;
  bool plain_possible = job->second.find('/') == std::string::npos;
  for (const auto& [name, value] : result.labels) {
    if (name == "job") continue;
    encoded += "/" + name + "@base64/" + (value.empty() ? "=" : encodeBase64Url(value));
    plain += "/" + name + "/" + value;
    plain_possible = plain_possible && !value.empty() && value.find('/') == std::string::npos;
  }
  const auto again = parseGroupingKey(encodeBase64Url(job->second), true, encoded);
  FUZZ_CHECK(again.ok && again.labels == result.labels,
             describe(result.labels) + " written as base64 gave " + describe(again.labels) + " " +
                 again.error);
  if (plain_possible) {
    const auto plain_again = parseGroupingKey(job->second, false, plain);
    FUZZ_CHECK(plain_again.ok && plain_again.labels == result.labels,
               describe(result.labels) + " written plain gave " + describe(plain_again.labels) +
                   " " + plain_again.error);
  }
  return 0;
}
