#include "ferry/families/push_rules.hpp"

#include <algorithm>
#include <ferry/support/go_quote.hpp>
#include <ferry/support/names.hpp>
#include <ferry/support/utf8.hpp>
#include <set>
#include <string_view>
#include <vector>

#include "ferry/families/proto_text.hpp"
#include "ferry/families/series_key.hpp"

namespace ferry::families {
namespace {

namespace pb = io::prometheus::client;

// The enum constant's name, as the Pushgateway's error messages print a type.
const char* protoEnumName(pb::MetricType type) {
  switch (type) {
    case pb::COUNTER:
      return "COUNTER";
    case pb::GAUGE:
      return "GAUGE";
    case pb::SUMMARY:
      return "SUMMARY";
    case pb::UNTYPED:
      return "UNTYPED";
    case pb::HISTOGRAM:
      return "HISTOGRAM";
    case pb::GAUGE_HISTOGRAM:
      return "GAUGE_HISTOGRAM";
  }
  return "UNKNOWN";
}

bool valueMatchesType(pb::MetricType type, const pb::Metric& m) {
  switch (type) {
    case pb::COUNTER:
      return m.has_counter();
    case pb::GAUGE:
      return m.has_gauge();
    case pb::SUMMARY:
      return m.has_summary();
    case pb::UNTYPED:
      return m.has_untyped();
    case pb::HISTOGRAM:
    case pb::GAUGE_HISTOGRAM:
      return m.has_histogram();
  }
  return false;
}

}  // namespace

std::string describeMetric(const std::string& family_name, const pb::Metric& metric) {
  std::string out = "collected metric \"" + family_name + "\" { ";
  appendProtoCompactTextMetric(out, metric);
  out += "}";
  return out;
}

bool hasTimestamps(const std::vector<pb::MetricFamily*>& families) {
  for (const auto* family : families) {
    for (const auto& metric : family->metric()) {
      if (metric.has_timestamp_ms()) return true;
    }
  }
  return false;
}

void sanitizePush(std::vector<pb::MetricFamily*>& families,
                  const std::map<std::string, std::string>& grouping) {
  families.erase(
      std::remove_if(families.begin(), families.end(),
                     [](const pb::MetricFamily* f) { return isTimestampFamily(f->name()); }),
      families.end());
  for (auto* family : families) {
    for (auto& metric : *family->mutable_metric()) {
      auto* labels = metric.mutable_label();
      for (const auto& [label_name, value] : grouping) {
        // A structured binding cannot be captured before C++20 (clang refuses it).
        const std::string& name = label_name;
        auto it = std::find_if(labels->begin(), labels->end(),
                               [&](const pb::LabelPair& p) { return p.name() == name; });
        if (it != labels->end()) {
          it->set_value(value);
        } else {
          auto* pair = labels->Add();
          pair->set_name(name);
          pair->set_value(value);
        }
      }
      bool has_instance = std::any_of(labels->begin(), labels->end(), [](const pb::LabelPair& p) {
        return p.name() == "instance";
      });
      if (!has_instance) {
        auto* pair = labels->Add();
        pair->set_name("instance");
        pair->set_value("");
      }
      // Sorts the element pointers: std::stable_sort on the field itself copies whole LabelPair
      // messages through a buffer. Short lists (the usual case) by insertion, without the
      // buffer.
      if (labels->size() <= 16) {
        for (int i = 1; i < labels->size(); ++i) {
          for (int j = i; j > 0 && labels->Get(j).name() < labels->Get(j - 1).name(); --j) {
            labels->SwapElements(j, j - 1);
          }
        }
      } else {
        std::stable_sort(
            labels->pointer_begin(), labels->pointer_end(),
            [](const pb::LabelPair* a, const pb::LabelPair* b) { return a->name() < b->name(); });
      }
    }
  }
}

namespace {

// The checks of one family's metrics. Duplicate series are found by sort key: with `keys` set,
// the keys of the valid metrics are collected there (one buffer, no per-metric allocation) and
// duplicates are not reported; without it, they are reported in order through a set.
void validateMetrics(const pb::MetricFamily& family, std::vector<std::string>& errors,
                     std::vector<std::string_view>* keys, std::string* key_buffer) {
  const std::string& name = family.name();
  std::set<std::string> seen;
  std::vector<size_t> ends;
  for (const auto& metric : family.metric()) {
    if (!valueMatchesType(family.type(), metric)) {
      errors.push_back(describeMetric(name, metric) + " is not a " + protoEnumName(family.type()));
      continue;
    }
    const std::string* previous = nullptr;
    bool bad = false;
    for (const auto& pair : metric.label()) {
      const std::string& label = pair.name();
      if (previous && *previous == label) {
        errors.push_back(describeMetric(name, metric) +
                         " has two or more labels with the same name: " + label);
        bad = true;
        break;
      }
      if (!support::isValidLabelName(label) || label.rfind(support::kReservedLabelPrefix, 0) == 0) {
        errors.push_back(describeMetric(name, metric) +
                         " has a label with an invalid name: " + label);
        bad = true;
        break;
      }
      if (metric.has_summary() && label == "quantile") {
        errors.push_back(describeMetric(name, metric) +
                         " must not have an explicit \"quantile\" label");
        bad = true;
        break;
      }
      if (!support::isValidUtf8(pair.value())) {
        errors.push_back(describeMetric(name, metric) + " has a label named \"" + label +
                         "\" whose value is not utf8: " + support::goQuote(pair.value()));
        bad = true;
        break;
      }
      previous = &label;
    }
    if (bad) continue;
    if (keys) {
      appendSeriesSortKey(*key_buffer, metric);
      ends.push_back(key_buffer->size());
    } else if (family.metric_size() > 1 && !seen.insert(seriesSortKey(metric)).second) {
      errors.push_back(describeMetric(name, metric) +
                       " was collected before with the same name and label values");
    }
  }
  if (keys) {
    size_t begin = 0;
    for (size_t end : ends) {
      keys->emplace_back(key_buffer->data() + begin, end - begin);
      begin = end;
    }
  }
}

}  // namespace

void validatePush(const std::vector<pb::MetricFamily*>& families,
                  std::vector<std::string>& errors) {
  std::vector<std::string_view> keys;
  std::string key_buffer;
  for (const auto* pointer : families) {
    const pb::MetricFamily& family = *pointer;
    const std::string& name = family.name();
    if (!support::isValidMetricName(name)) {
      errors.push_back("metric family has an invalid name: \"" + name + "\"");
      continue;
    }
    if (family.metric_size() < 2) {
      validateMetrics(family, errors, nullptr, nullptr);
      continue;
    }
    size_t errors_before = errors.size();
    keys.clear();
    key_buffer.clear();
    validateMetrics(family, errors, &keys, &key_buffer);
    std::sort(keys.begin(), keys.end());
    if (std::adjacent_find(keys.begin(), keys.end()) != keys.end()) {
      // Rare: redo the family with the set, which reports each duplicate at its place.
      errors.resize(errors_before);
      validateMetrics(family, errors, nullptr, nullptr);
    }
  }
}

std::string joinErrors(const std::vector<std::string>& errors) {
  if (errors.size() == 1) return errors.front();
  std::string out = std::to_string(errors.size()) + " error(s) occurred:";
  for (const auto& e : errors) out += "\n* " + e;
  return out;
}

}  // namespace ferry::families
