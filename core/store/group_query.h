#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/selector.h"
#include "core/store/store.h"

namespace ferry::core::store {

// GET /api/v1/groups: which groups, in which order, from where (docs/configuration.md, the
// contract in the group API docs). The orders are the store's own indexes (by grouping key, by
// last push, by deadline), so a page costs the page (plus the groups the filters skip), never
// a sort of the whole store.
enum class GroupSort { kLabels, kLastPush, kDeadline };

// "labels", "last_push", "deadline"; nullopt for anything else.
std::optional<GroupSort> parseGroupSort(std::string_view name);

struct GroupQuery {
  std::vector<model::Selector> selectors;  // a group is listed when any matches; none: all
  std::string text;                        // ASCII case-insensitive substring of a label name
                                           // or value; "": no filter
  GroupSort sort = GroupSort::kLabels;
  size_t limit = 100;
  std::optional<GroupPosition> after;  // from the previous page's cursor
};

struct GroupPage {
  size_t total_groups = 0;          // every group stored
  std::optional<std::string> next;  // cursor of the next page, if there is one
};

// The opaque cursor for the page after `group` (base64url). Parsing one that is malformed or
// was made for another sort gives nullopt.
std::string encodeGroupCursor(GroupSort sort, const Group& group);
std::optional<GroupPosition> decodeGroupCursor(GroupSort sort, std::string_view cursor);

// Runs the query under the store's read lock and calls `visit` for each group of the page, in
// order. Throws model::SelectorError when a regular expression needs too much backtracking.
GroupPage queryGroups(const Store& store, const GroupQuery& query,
                      const std::function<void(const Group&)>& visit);

}  // namespace ferry::core::store
