#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/migrate/pushgateway_file.h"
#include "core/store/consistency_check.h"
#include "core/store/group.h"

// Turning the Pushgateway's groups into the store's, under the rules the store applies to
// everything it loads, so that an import either gives a store Ferry loads exactly or is refused
// before anything is written.
namespace ferry::core::migrate {

// "{instance=\"a\",job=\"b\"}": how import messages name a group.
std::string describeGroup(const model::LabelMap& labels);

// Each family's protobuf bytes parsed, labels sorted, validated as a push would be (names,
// value fields, label names and values, no client timestamps, no duplicate series); the
// push_time_seconds / push_failure_time_seconds families kept as stored (added with value 0 if
// the file lacks them). Keys are recomputed with model::groupingKeyString. Throws
// std::runtime_error naming the group and the problem.
std::vector<std::unique_ptr<store::Group>> toStoreGroups(
    const std::map<std::string, PushgatewayGroup>& groups);

// The consistency check Store::load applies, over the groups that will be stored together:
// `kept` (already stored and not replaced) and `imported`. Throws std::runtime_error listing
// every inconsistent imported group.
void checkConsistency(const std::vector<const store::Group*>& kept,
                      const std::vector<std::unique_ptr<store::Group>>& imported,
                      const store::OwnFamilyTypes& own);

}  // namespace ferry::core::migrate
