// Decoding a group from what a storage plugin kept (core/store/group_codec.h), which every
// start reads back from disk or from another replica.
// Input: a mode byte, then the stored bytes. The key passed along is the one the bytes'
// grouping labels give (mode 'K': the bytes up to the first NUL are the key instead, so the
// mismatch path is fuzzed too).
// Invariants:
//  - bad bytes throw std::runtime_error and nothing else;
//  - a decoded group has its key, a job label, and survives storage again: encodeGroup, then
//    decodeGroup, gives the same bytes once more;
//  - each stored family indexes itself consistently: series i's protobuf field parses to the
//    family's metric i, and its sort key and text lines are within bounds.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/model/grouping_key.h"
#include "core/store/group.h"
#include "core/store/group_codec.h"
#include "core/store/stored_group.pb.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/proto_compare.h"

namespace {

namespace store = ferry::core::store;

std::string keyOf(std::string_view bytes) {
  ferry::store::StoredGroup stored;
  if (!stored.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return {};
  ferry::core::model::LabelMap labels;
  for (const auto& pair : stored.grouping_label()) labels[pair.name()] = pair.value();
  return ferry::core::model::groupingKeyString(labels);
}

void checkFamily(const store::StoredFamily& family) {
  const store::pb::MetricFamily message = family.message();
  FUZZ_CHECK(message.name() == family.name() && message.metric_size() == family.size(),
             "a stored family's bytes do not hold its own name and series");
  for (int i = 0; i < family.size(); ++i) {
    const std::string_view field = family.metricField(i);
    FUZZ_CHECK(!field.empty() && field[0] == '\x22', "series field without the metric tag");
    const std::string diff = ferry::fuzz::protoDifference(family.metric(i), message.metric(i));
    FUZZ_CHECK(diff.empty(), "series " + std::to_string(i) + " differs: " + diff);
    (void)family.key(i);
    (void)family.text(i);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view bytes = ferry::fuzz::asView(data + 1, size - 1);
  std::string key;
  if (data[0] == 'K') {
    const auto fields = ferry::fuzz::splitFields(bytes, 2);
    key = std::string(fields[0]);
    bytes = fields[1];
  } else {
    key = keyOf(bytes);
  }

  std::unique_ptr<store::Group> group;
  try {
    group = store::decodeGroup(key, bytes);
  } catch (const std::runtime_error&) {
    return 0;
  }
  FUZZ_CHECK(group->key == key && group->labels.count("job") == 1, "decoded group without its key");
  for (const auto& [name, family] : group->families) {
    FUZZ_CHECK(family->name() == name, "family kept under another name");
    checkFamily(*family);
  }

  const std::string encoded = store::encodeGroup(*group);
  std::unique_ptr<store::Group> again;
  try {
    again = store::decodeGroup(key, encoded);
  } catch (const std::runtime_error& e) {
    FUZZ_CHECK(false, std::string("a re-encoded group does not decode: ") + e.what());
  }
  FUZZ_CHECK(store::encodeGroup(*again) == encoded, "encoding a decoded group is not stable");
  return 0;
}
