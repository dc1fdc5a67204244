#pragma once

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <string_view>

#include "core/store/group.h"

namespace ferry::core::store {

// A group's place in one of the store's orders besides the grouping key: a value, then the key.
// The group API pages through these (newest push first, soonest deadline first), and expiry
// takes the groups whose deadline passed from the front of one.
struct GroupOrderEntry {
  int64_t value;
  const Group* group;  // a live group; its key never changes
};

// Where a page stopped: an order value and a grouping key (from the API's cursor).
struct GroupPosition {
  int64_t value = 0;
  std::string key;
};

struct GroupOrderLess {
  using is_transparent = void;
  bool operator()(const GroupOrderEntry& a, const GroupOrderEntry& b) const {
    return a.value != b.value ? a.value < b.value : a.group->key < b.group->key;
  }
  bool operator()(const GroupOrderEntry& a, const GroupPosition& b) const {
    return a.value != b.value ? a.value < b.value : a.group->key < b.key;
  }
  bool operator()(const GroupPosition& a, const GroupOrderEntry& b) const {
    return a.value != b.value ? a.value < b.value : a.key < b.group->key;
  }
};

using GroupOrder = std::set<GroupOrderEntry, GroupOrderLess>;

// Newest successful push first, groups that never had one last.
inline int64_t lastPushOrder(const Group& group) { return -group.lastPushNanos(); }
// Soonest deadline first, groups without one last; so are hidden expired groups, whose
// deadline has passed and must not be expired again.
inline int64_t deadlineOrder(const Group& group) {
  return group.deadline_nanos > 0 && !group.expired ? group.deadline_nanos
                                                    : std::numeric_limits<int64_t>::max();
}

}  // namespace ferry::core::store
