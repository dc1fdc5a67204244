#include "core/store/group_codec.h"

#include <stdexcept>

#include "core/store/stored_group.pb.h"

namespace ferry::core::store {
namespace {
constexpr uint32_t kFormatVersion = 1;
}

namespace {

void appendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void appendField(std::string& out, uint32_t field, std::string_view bytes) {
  appendVarint(out, (field << 3) | 2);
  appendVarint(out, bytes.size());
  out.append(bytes);
}

}  // namespace

// Writes the StoredGroup wire format directly: the families are serialized straight from the
// stored messages, without first copying them into a StoredGroup message.
std::string encodeGroup(const Group& group) {
  std::string out;
  appendVarint(out, (1 << 3) | 0);
  appendVarint(out, kFormatVersion);
  std::string scratch;
  for (const auto& [name, value] : group.labels) {
    scratch.clear();
    appendField(scratch, 1, name);
    appendField(scratch, 2, value);
    appendField(out, 2, scratch);
  }
  for (const auto& [name, family] : group.families) {
    scratch.clear();
    appendVarint(scratch, (1 << 3) | 0);
    appendVarint(scratch, static_cast<uint64_t>(family->timestampNanos()));
    appendField(scratch, 2, family->bytes());
    appendField(out, 3, scratch);
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
  return group;
}

}  // namespace ferry::core::store
