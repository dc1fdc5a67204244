#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/store/family_index.h"

namespace ferry::core::store {

class WritePlan;

// The stored state as the consistency check asks about it: the live FamilyIndex, seen through
// the changes a write batch has planned but not applied yet (WritePlan). Without a plan it is
// the live index alone. Each question costs a lookup in the live index plus, with a plan, at
// most a few lookups per group the batch changed.
class IndexView {
 public:
  explicit IndexView(const FamilyIndex& live, const WritePlan* plan = nullptr)
      : live_(live), plan_(plan) {}

  // The type of family `name` if any group other than `group_key` holds it.
  std::optional<pb::MetricType> typeInOtherGroups(const std::string& name,
                                                  const std::string& group_key) const;
  // The type of family `name` of group `group_key`, if the group holds it.
  std::optional<pb::MetricType> typeInGroup(const std::string& name,
                                            const std::string& group_key) const;
  // The key of the group holding series `series_key` of family `name`, or null.
  const std::string* seriesOwner(const std::string& name, std::string_view series_key) const;

 private:
  // True when the live family `family` of group `group_key` is replaced or removed by the plan.
  bool overridden(std::string_view group_key, const std::string& name,
                  const StoredFamily* family) const;

  const FamilyIndex& live_;
  const WritePlan* plan_;
};

}  // namespace ferry::core::store
