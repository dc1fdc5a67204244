// The protobuf push format (plugins/protobuf): varint-delimited MetricFamily messages.
// Invariants:
//  - an error leaves no output and is one of the documented texts;
//  - accepted families have valid, unique names;
//  - what was accepted re-encodes (toDelimited, what the plugin hands the host) to a stream
//    that parses again to exactly the same families, and re-encodes to the same bytes;
//  - every exposition the core renders from families (text, protobuf text, compact text) runs
//    on them without failing.
#include <ferry/metrics.pb.h>

#include <cstddef>
#include <cstdint>
#include <ferry/families/proto_text.hpp>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "core/expo/text_format.h"
#include "plugins/protobuf/protobuf_parser.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/proto_compare.h"

namespace {

using io::prometheus::client::MetricFamily;

bool startsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

bool documentedError(const std::string& message) {
  return message == "unexpected EOF" || message == "proto: variable length integer overflow" ||
         message == "proto: cannot parse invalid wire-format data" ||
         startsWith(message, "proto: : message size ") ||
         startsWith(message, "proto: message of ") || startsWith(message, "invalid metric name \"");
}

bool legacyName(const std::string& name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace proto = ferry::plugins::protobuf;
  const std::string_view body = ferry::fuzz::asView(data, size);
  std::vector<MetricFamily> families;
  if (const auto error = proto::parseDelimited(body, families)) {
    FUZZ_CHECK(families.empty(), "output left after an error");
    FUZZ_CHECK(documentedError(error->message), error->message);
    return 0;
  }

  std::unordered_set<std::string> names;
  for (const auto& family : families) {
    FUZZ_CHECK(legacyName(family.name()), ferry::fuzz::printable(family.name()));
    FUZZ_CHECK(names.insert(family.name()).second, "duplicate name " + family.name());
  }

  const std::string encoded = proto::toDelimited(families);
  std::vector<MetricFamily> again;
  const auto again_error = proto::parseDelimited(encoded, again);
  FUZZ_CHECK(!again_error, "re-encoded families do not parse: " + again_error->message);
  FUZZ_CHECK(again.size() == families.size(), "family count changed by a round trip");
  for (size_t i = 0; i < families.size(); ++i) {
    const std::string diff = ferry::fuzz::protoDifference(families[i], again[i]);
    FUZZ_CHECK(diff.empty(), "a round trip changed a family: " + diff);
  }
  FUZZ_CHECK(proto::toDelimited(again) == encoded, "re-encoding is not stable");

  std::string out;
  for (const auto& family : families) {
    ferry::core::expo::appendFamilyText(out, family);
    ferry::families::appendProtoText(out, family);
    ferry::families::appendProtoCompactText(out, family);
  }
  return 0;
}
