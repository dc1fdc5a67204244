#include "core/store/group_query.h"

#include <cctype>
#include <cstring>

#include "core/model/base64.h"

namespace ferry::core::store {
namespace {

char sortTag(GroupSort sort) {
  switch (sort) {
    case GroupSort::kLabels:
      return 'l';
    case GroupSort::kLastPush:
      return 'p';
    case GroupSort::kDeadline:
      return 'd';
  }
  return '?';
}

int64_t orderValue(GroupSort sort, const Group& group) {
  switch (sort) {
    case GroupSort::kLabels:
      return 0;
    case GroupSort::kLastPush:
      return lastPushOrder(group);
    case GroupSort::kDeadline:
      return deadlineOrder(group);
  }
  return 0;
}

bool containsFolded(std::string_view haystack, std::string_view needle) {
  if (needle.empty()) return true;
  if (haystack.size() < needle.size()) return false;
  for (size_t i = 0; i + needle.size() <= haystack.size(); ++i) {
    size_t j = 0;
    while (j < needle.size() && std::tolower(static_cast<unsigned char>(haystack[i + j])) ==
                                    static_cast<unsigned char>(needle[j])) {
      ++j;
    }
    if (j == needle.size()) return true;
  }
  return false;
}

}  // namespace

std::optional<GroupSort> parseGroupSort(std::string_view name) {
  if (name == "labels") return GroupSort::kLabels;
  if (name == "last_push") return GroupSort::kLastPush;
  if (name == "deadline") return GroupSort::kDeadline;
  return std::nullopt;
}

std::string encodeGroupCursor(GroupSort sort, const Group& group) {
  // tag, the order value as 8 big-endian bytes, then the grouping key.
  std::string raw(1, sortTag(sort));
  auto value = static_cast<uint64_t>(orderValue(sort, group));
  for (int shift = 56; shift >= 0; shift -= 8) {
    raw.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
  raw += group.key;
  return model::encodeBase64Url(raw);
}

std::optional<GroupPosition> decodeGroupCursor(GroupSort sort, std::string_view cursor) {
  auto raw = model::decodeBase64Url(cursor);
  if (!raw || raw->size() < 9 || (*raw)[0] != sortTag(sort)) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = 1; i < 9; ++i) value = (value << 8) | static_cast<unsigned char>((*raw)[i]);
  return GroupPosition{static_cast<int64_t>(value), raw->substr(9)};
}

GroupPage queryGroups(const Store& store, const GroupQuery& query,
                      const std::function<void(const Group&)>& visit) {
  std::string text;
  for (char c : query.text)
    text.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  auto wanted = [&](const Group& group) {
    if (!text.empty()) {
      bool found = false;
      for (const auto& [name, value] : group.labels) {
        if (containsFolded(name, text) || containsFolded(value, text)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    if (query.selectors.empty()) return true;
    for (const auto& selector : query.selectors) {
      if (selector.matches(group.labels)) return true;
    }
    return false;
  };
  GroupPage page;
  store.read([&](const StoreView& view) {
    page.total_groups = view.groups.size();
    size_t emitted = 0;
    const Group* last = nullptr;
    // False once the page is full and one more group would be listed: there is a next page.
    auto consider = [&](const Group& group) {
      if (!wanted(group)) return true;
      if (emitted == query.limit) {
        if (last) page.next = encodeGroupCursor(query.sort, *last);
        return false;
      }
      visit(group);
      last = &group;
      ++emitted;
      return true;
    };
    if (query.sort == GroupSort::kLabels) {
      auto it = query.after ? view.groups.upper_bound(query.after->key) : view.groups.begin();
      for (; it != view.groups.end(); ++it) {
        if (!consider(*it->second)) break;
      }
    } else {
      const GroupOrder& order =
          query.sort == GroupSort::kLastPush ? view.by_last_push : view.by_deadline;
      auto it = query.after ? order.upper_bound(*query.after) : order.begin();
      for (; it != order.end(); ++it) {
        if (!consider(*it->group)) break;
      }
    }
    return 0;
  });
  return page;
}

}  // namespace ferry::core::store
