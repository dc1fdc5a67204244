#include "core/store/group_codec.h"

#include <stdexcept>

#include "core/store/stored_group.pb.h"

namespace ferry::core::store {
namespace {
constexpr uint32_t kFormatVersion = 1;
}

std::string encodeGroup(const Group& group) {
  ferry::store::StoredGroup stored;
  stored.set_format_version(kFormatVersion);
  for (const auto& [name, value] : group.labels) {
    auto* pair = stored.add_grouping_label();
    pair->set_name(name);
    pair->set_value(value);
  }
  for (const auto& [name, family] : group.families) {
    auto* out = stored.add_family();
    out->set_timestamp_nanos(family->timestamp_nanos);
    *out->mutable_family() = family->family;
  }
  return stored.SerializeAsString();
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
    std::string name = family.family().name();
    group->families[name] =
        makeStoredFamily(std::move(*family.mutable_family()), family.timestamp_nanos());
  }
  return group;
}

}  // namespace ferry::core::store
