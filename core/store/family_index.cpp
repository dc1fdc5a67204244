#include "core/store/family_index.h"

namespace ferry::core::store {

const std::string* IndexedFamily::help() const {
  const std::string* empty = nullptr;
  for (const auto& [group_key, family] : contributors) {
    if (!family->help().empty()) return &family->help();
    if (family->hasHelp()) empty = &family->help();
  }
  return empty;
}

void FamilyIndex::add(const Group& group, const StoredFamily& family) {
  if (family.size() == 0) return;
  IndexedFamily& indexed = families_[family.name()];
  indexed.type = family.type();
  indexed.version = ++next_version_;
  indexed.contributors[std::string_view(group.key)] = &family;
  for (int i = 0; i < family.size(); ++i) {
    if (indexed.series.insert_or_assign(family.key(i), SeriesRef{&group, &family, i}).second) {
      ++series_count_;
    }
  }
}

void FamilyIndex::remove(const Group& group, const StoredFamily& family) {
  auto it = families_.find(family.name());
  if (it == families_.end()) return;
  IndexedFamily& indexed = it->second;
  auto contributor = indexed.contributors.find(group.key);
  if (contributor == indexed.contributors.end() || contributor->second != &family) return;
  indexed.contributors.erase(contributor);
  indexed.version = ++next_version_;
  for (int i = 0; i < family.size(); ++i) {
    auto series = indexed.series.find(family.key(i));
    if (series != indexed.series.end() && series->second.family == &family) {
      indexed.series.erase(series);
      --series_count_;
    }
  }
  if (indexed.contributors.empty()) families_.erase(it);
}

const IndexedFamily* FamilyIndex::find(const std::string& name) const {
  auto it = families_.find(name);
  return it == families_.end() ? nullptr : &it->second;
}

}  // namespace ferry::core::store
