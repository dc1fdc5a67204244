#include "core/migrate/import_groups.h"

#include <algorithm>
#include <ferry/families/push_rules.hpp>
#include <ferry/support/go_quote.hpp>
#include <stdexcept>

namespace ferry::core::migrate {
namespace {

namespace pb = io::prometheus::client;

void sortLabels(pb::MetricFamily& family) {
  for (auto& metric : *family.mutable_metric()) {
    auto* labels = metric.mutable_label();
    std::stable_sort(
        labels->begin(), labels->end(),
        [](const pb::LabelPair& a, const pb::LabelPair& b) { return a.name() < b.name(); });
  }
}

std::unique_ptr<store::Group> toStoreGroup(const PushgatewayGroup& in) {
  const std::string where = "group " + describeGroup(in.labels);
  auto group = std::make_unique<store::Group>();
  group->labels = in.labels;
  if (!group->labels.count("job") || group->labels.at("job").empty()) {
    throw std::runtime_error(where + " has no job label");
  }
  group->key = model::groupingKeyString(group->labels);

  std::vector<pb::MetricFamily> parsed(in.families.size());
  std::vector<pb::MetricFamily*> pointers;
  std::vector<int64_t> timestamps;
  size_t i = 0;
  for (const auto& [name, family] : in.families) {
    const std::string what = where + ", family \"" + name + "\"";
    if (!family.has_proto) throw std::runtime_error(what + ": no metric family data");
    pb::MetricFamily& message = parsed[i++];
    if (!message.ParseFromString(family.proto)) {
      throw std::runtime_error(what + ": not a valid protobuf MetricFamily");
    }
    if (message.name() != name) {
      throw std::runtime_error(what + ": the family inside is named \"" + message.name() + "\"");
    }
    sortLabels(message);
    pointers.push_back(&message);
    timestamps.push_back(family.timestamp_nanos);
  }
  if (families::hasTimestamps(pointers)) {
    throw std::runtime_error(where + ": samples carry timestamps, which pushes may not have");
  }
  std::vector<std::string> errors;
  families::validatePush(pointers, errors);
  if (!errors.empty()) throw std::runtime_error(where + ": " + families::joinErrors(errors));

  int64_t push_nanos = 0;
  for (size_t k = 0; k < pointers.size(); ++k) {
    group->families[pointers[k]->name()] = store::makeStoredFamily(*pointers[k], timestamps[k]);
    if (pointers[k]->name() == store::kPushTimeName) push_nanos = timestamps[k];
  }
  for (const char* name : {store::kPushTimeName, store::kPushFailureTimeName}) {
    auto it = group->families.find(name);
    if (it == group->families.end()) {
      group->families[name] = store::makeTimestampFamily(name, group->labels, 0, push_nanos);
    } else if (it->second->type() != pb::GAUGE || it->second->size() != 1) {
      throw std::runtime_error(where + ": " + name + " is not a single gauge");
    }
  }
  return group;
}

}  // namespace

std::string describeGroup(const model::LabelMap& labels) {
  std::string out = "{";
  for (const auto& [name, value] : labels) {
    if (out.size() > 1) out += ",";
    out += name + "=" + support::goQuote(value);
  }
  return out + "}";
}

std::vector<std::unique_ptr<store::Group>> toStoreGroups(
    const std::map<std::string, PushgatewayGroup>& groups) {
  std::map<std::string, std::unique_ptr<store::Group>> by_key;
  for (const auto& [pushgateway_key, in] : groups) {
    auto group = toStoreGroup(in);
    if (by_key.count(group->key)) {
      throw std::runtime_error("group " + describeGroup(in.labels) + " appears twice in the file");
    }
    by_key[group->key] = std::move(group);
  }
  std::vector<std::unique_ptr<store::Group>> out;
  out.reserve(by_key.size());
  for (auto& [key, group] : by_key) out.push_back(std::move(group));
  return out;
}

void checkConsistency(const std::vector<const store::Group*>& kept,
                      const std::vector<std::unique_ptr<store::Group>>& imported,
                      const store::OwnFamilyTypes& own) {
  store::FamilyIndex index;
  for (const store::Group* group : kept) {
    for (const auto& [name, family] : group->families) index.add(*group, *family);
  }
  std::string problems;
  size_t bad = 0;
  for (const auto& group : imported) {
    std::vector<store::StoredFamilyPtr> families;
    for (const auto& [name, family] : group->families) {
      if (!store::isTimestampFamily(name)) families.push_back(family);
    }
    std::vector<std::string> errors;
    store::ConsistencyCheck(store::IndexView(index), own, group->key, true, families).check(errors);
    if (!errors.empty()) {
      ++bad;
      problems += "\n  group " + describeGroup(group->labels) + ": " + families::joinErrors(errors);
      continue;  // as Store::load does: an inconsistent group is not added
    }
    for (const auto& [name, family] : group->families) index.add(*group, *family);
  }
  if (bad > 0) {
    throw std::runtime_error(std::to_string(bad) +
                             " group(s) are inconsistent with the rest of the store:" + problems);
  }
}

}  // namespace ferry::core::migrate
