#include "core/store/group_codec.h"

#include <stdexcept>

#include "core/store/stored_group.pb.h"
#include "core/store/wire_format.h"

namespace ferry::core::store {
namespace {
constexpr uint32_t kFormatVersion = 1;
}

// Writes the StoredGroup wire format directly: the families are serialized straight from the
// stored messages, without first copying them into a StoredGroup message.
std::string encodeGroup(const Group& group) {
  std::string out;
  wire::appendVarintField(out, 1, kFormatVersion);
  std::string scratch;
  for (const auto& [name, value] : group.labels) {
    scratch.clear();
    wire::appendLengthDelimited(scratch, 1, name);
    wire::appendLengthDelimited(scratch, 2, value);
    wire::appendLengthDelimited(out, 2, scratch);
  }
  for (const auto& [name, family] : group.families) {
    scratch.clear();
    wire::appendVarintField(scratch, 1, static_cast<uint64_t>(family->timestampNanos()));
    wire::appendLengthDelimited(scratch, 2, family->bytes());
    wire::appendLengthDelimited(out, 3, scratch);
  }
  // Written only when set: a group without lifecycle state encodes as before.
  if (group.ttl_nanos != 0) wire::appendVarintField(out, 4, static_cast<uint64_t>(group.ttl_nanos));
  if (group.deadline_nanos != 0) {
    wire::appendVarintField(out, 5, static_cast<uint64_t>(group.deadline_nanos));
  }
  if (group.expired) wire::appendVarintField(out, 6, 1);
  if (!group.last_failure_reason.empty()) {
    wire::appendLengthDelimited(out, 7, group.last_failure_reason);
  }
  return out;
}

std::unique_ptr<Group> decodeGroup(std::string_view key, std::string_view bytes) {
  ferry::store::StoredGroup stored;
  if (!stored.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    throw std::runtime_error("stored group is not a valid StoredGroup message");
  }
  if (stored.format_version() != kFormatVersion) {
    throw std::runtime_error("stored group has unknown format version " +
                             std::to_string(stored.format_version()));
  }
  auto group = std::make_unique<Group>();
  for (const auto& pair : stored.grouping_label()) group->labels[pair.name()] = pair.value();
  if (!group->labels.count("job")) throw std::runtime_error("stored group has no job label");
  group->key = model::groupingKeyString(group->labels);
  if (group->key != key) throw std::runtime_error("stored group's labels do not match its key");
  for (auto& family : *stored.mutable_family()) {
    group->families[family.family().name()] =
        makeStoredFamily(family.family(), family.timestamp_nanos());
  }
  if (stored.ttl_nanos() < 0 || stored.deadline_nanos() < 0) {
    throw std::runtime_error("stored group has a negative TTL or deadline");
  }
  group->ttl_nanos = stored.ttl_nanos();
  group->deadline_nanos = stored.deadline_nanos();
  group->expired = stored.expired();
  group->last_failure_reason = boundedFailureReason(stored.last_failure_reason());
  return group;
}

}  // namespace ferry::core::store
