#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/store/group.h"

namespace ferry::core::store {

// The bytes a storage plugin keeps for a group (core/store/stored_group.proto).
std::string encodeGroup(const Group& group);

// Rebuilds a group from its stored bytes; throws std::runtime_error describing what is wrong
// (not protobuf, unknown format version, no job label, key mismatch).
std::unique_ptr<Group> decodeGroup(std::string_view key, std::string_view bytes);

}  // namespace ferry::core::store
