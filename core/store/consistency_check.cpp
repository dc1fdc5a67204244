#include "core/store/consistency_check.h"

#include <ferry/families/push_rules.hpp>

namespace ferry::core::store {
namespace {

const char* typeName(pb::MetricType type) { return pb::MetricType_Name(type).c_str(); }

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

ConsistencyCheck::ConsistencyCheck(const IndexView& index, const OwnFamilyTypes& own,
                                   const std::string& group_key, bool replace_all,
                                   const std::vector<StoredFamilyPtr>& pushed)
    : index_(index), own_(own), group_key_(group_key), replace_all_(replace_all) {
  for (const auto& family : pushed) pushed_[family->name()] = family.get();
}

ConsistencyCheck::NameState ConsistencyCheck::after(const std::string& name) const {
  if (auto it = pushed_.find(name); it != pushed_.end() && it->second->size() > 0) {
    return {true, it->second->type()};
  }
  if (auto it = own_.find(name); it != own_.end()) return {true, it->second};
  if (auto other = index_.typeInOtherGroups(name, group_key_)) return {true, *other};
  bool replaced = replace_all_ || pushed_.count(name) > 0;
  if (replaced) return {};
  if (auto mine = index_.typeInGroup(name, group_key_)) return {true, *mine};
  return {};
}

void ConsistencyCheck::check(std::vector<std::string>& errors) const {
  for (const auto& [name, family] : pushed_) {
    if (family->size() == 0) continue;
    checkFamily(*family, errors);
  }
}

void ConsistencyCheck::checkFamily(const StoredFamily& family,
                                   std::vector<std::string>& errors) const {
  const std::string& name = family.name();
  if (auto own = own_.find(name); own != own_.end() && own->second != family.type()) {
    errors.push_back("gathered metric family " + name + " has type " + typeName(family.type()) +
                     " but should have " + typeName(own->second));
    return;
  }
  auto other = index_.typeInOtherGroups(name, group_key_);
  if (other && *other != family.type()) {
    errors.push_back(families::describeMetric(name, family.metric(0)) + " is not a " +
                     typeName(*other));
    return;
  }
  checkSuffixes(family, errors);
  for (int i = 0; i < family.size(); ++i) {
    const std::string* owner = index_.seriesOwner(name, family.key(i));
    if (owner && *owner != group_key_) {
      errors.push_back(families::describeMetric(name, family.metric(i)) +
                       " was collected before with the same name and label values");
    }
  }
}

void ConsistencyCheck::checkSuffixes(const StoredFamily& family,
                                     std::vector<std::string>& errors) const {
  const std::string& name = family.name();
  pb::MetricType type = family.type();
  std::string base;
  if (endsWith(name, "_count")) {
    base = name.substr(0, name.size() - 6);
  } else if (endsWith(name, "_sum")) {
    base = name.substr(0, name.size() - 4);
  } else if (endsWith(name, "_bucket")) {
    base = name.substr(0, name.size() - 7);
  }
  if (!base.empty()) {
    NameState state = after(base);
    if (state.exists && state.type == pb::SUMMARY && !endsWith(name, "_bucket")) {
      errors.push_back("collected metric named \"" + name +
                       "\" collides with previously collected summary named \"" + base + "\"");
      return;
    }
    if (state.exists && state.type == pb::HISTOGRAM) {
      errors.push_back("collected metric named \"" + name +
                       "\" collides with previously collected histogram named \"" + base + "\"");
      return;
    }
  }
  if (type == pb::SUMMARY || type == pb::HISTOGRAM) {
    for (const char* suffix : {"_count", "_sum"}) {
      if (after(name + suffix).exists) {
        errors.push_back("collected histogram or summary named \"" + name +
                         "\" collides with previously collected metric named \"" + name + suffix +
                         "\"");
        return;
      }
    }
  }
  if (type == pb::HISTOGRAM && after(name + "_bucket").exists) {
    errors.push_back("collected histogram named \"" + name +
                     "\" collides with previously collected metric named \"" + name + "_bucket\"");
  }
}

}  // namespace ferry::core::store
