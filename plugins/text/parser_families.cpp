// Families and metrics of the text format parser: which family a name belongs to (summaries
// and histograms absorb their _count, _sum and _bucket series) and which Metric a sample fills.
#include <algorithm>
#include <cstring>
#include <numeric>

#include "plugins/text/parser.h"

namespace ferry::plugins::text::detail {
namespace {

using io::prometheus::client::MetricType;

// Above this many labels on one line the duplicate check switches from pairwise comparison to
// a hash set, so a hostile line with many labels costs linear, not quadratic, time.
constexpr size_t kPairwiseDuplicateCheckLimit = 16;

// Go's isCount/isSum/isBucket: the suffix must not be the whole name.
bool hasSuffix(std::string_view name, std::string_view suffix) {
  return name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
}

}  // namespace

// Go upper-cases with Unicode rules, and exactly two non-ASCII runes have an ASCII upper case:
// U+0131 (dotless i) and U+017F (long s). Pushgateway therefore takes "# TYPE x ſummary" for a
// summary, and so does this.
std::optional<MetricType> metricTypeFromName(std::string_view s) {
  char upper[16];
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (n == sizeof upper) return std::nullopt;
    const auto c = static_cast<unsigned char>(s[i]);
    const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (c < 0x80) {
      upper[n++] = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    } else if (c == 0xC4 && next == 0xB1) {
      upper[n++] = 'I';
      ++i;
    } else if (c == 0xC5 && next == 0xBF) {
      upper[n++] = 'S';
      ++i;
    } else {
      return std::nullopt;
    }
  }
  const std::string_view name(upper, n);
  if (name == "COUNTER") return io::prometheus::client::COUNTER;
  if (name == "GAUGE") return io::prometheus::client::GAUGE;
  if (name == "SUMMARY") return io::prometheus::client::SUMMARY;
  if (name == "UNTYPED") return io::prometheus::client::UNTYPED;
  if (name == "HISTOGRAM") return io::prometheus::client::HISTOGRAM;
  if (name == "GAUGE_HISTOGRAM") return io::prometheus::client::GAUGE_HISTOGRAM;
  return std::nullopt;
}

void Parser::setOrCreateCurrentFamily(std::string_view name) {
  if (cached_generation_ == generation_ && name == cached_name_) {
    family_ = cached_family_;
    suffix_ = cached_suffix_;
    return;
  }
  resolveFamily(name);
  cached_name_.assign(name.data(), name.size());
  cached_family_ = family_;
  cached_suffix_ = suffix_;
  cached_generation_ = generation_;
}

// Go's setOrCreateCurrentMF: an exact name wins; otherwise x_count and x_sum join a summary x,
// x_count, x_sum and x_bucket join a histogram x; otherwise the name starts a new family.
void Parser::resolveFamily(std::string_view name) {
  suffix_ = Suffix::kNone;
  if ((family_ = findFamily(name)) != nullptr) return;
  Suffix suffix = Suffix::kNone;
  std::string_view base = name;
  if (hasSuffix(name, "_count")) {
    suffix = Suffix::kCount;
    base.remove_suffix(6);
  } else if (hasSuffix(name, "_sum")) {
    suffix = Suffix::kSum;
    base.remove_suffix(4);
  } else if (hasSuffix(name, "_bucket")) {
    base.remove_suffix(7);
  }
  if (base.size() != name.size()) {
    MetricFamily* candidate = findFamily(base);
    if (candidate != nullptr) {
      const MetricType type = candidate->type();
      const bool summary_part = type == io::prometheus::client::SUMMARY && suffix != Suffix::kNone;
      if (summary_part || type == io::prometheus::client::HISTOGRAM) {
        family_ = candidate;
        suffix_ = suffix;
        return;
      }
    }
  }
  families_.push_back(nullptr);  // grow first: if that throws, nothing leaks
  family_ = families_.back() = google::protobuf::Arena::CreateMessage<MetricFamily>(arena_);
  family_->set_name(name.data(), name.size());
  family_index_.emplace(family_->name(), family_);
  ++generation_;
}

Parser::MetricFamily* Parser::findFamily(std::string_view name) const {
  const auto it = family_index_.find(name);
  return it == family_index_.end() ? nullptr : it->second;
}

// The newest label, labels_[label_count_ - 1], against the earlier ones of the line.
bool Parser::isDuplicateLabel(std::string_view name) {
  if (label_count_ <= kPairwiseDuplicateCheckLimit) {
    for (size_t i = 0; i + 1 < label_count_; ++i) {
      if (labels_[i].name == name) return true;
    }
    return false;
  }
  if (label_names_.empty()) {
    for (size_t i = 0; i + 1 < label_count_; ++i) label_names_.insert(labels_[i].name);
  }
  return !label_names_.insert(name).second;
}

Parser::Metric* Parser::newMetric() {
  Metric* metric = family_->add_metric();
  metric->mutable_label()->Reserve(static_cast<int>(label_count_));
  for (size_t i = 0; i < label_count_; ++i) {
    auto* pair = metric->add_label();
    const Label& label = labels_[i];
    const std::string_view value = label.value();
    pair->set_name(label.name.data(), label.name.size());
    pair->set_value(value.data(), value.size());
  }
  return metric;
}

// Lines of a summary or histogram with the same labels, in any order, fill one Metric. The key
// is the family and the sorted label pairs, each name and value closed by a 0xFF byte: names
// are ASCII and values valid UTF-8, so neither contains one and the encoding is unambiguous.
Parser::Metric* Parser::findOrCreateGroupedMetric() {
  key_.assign(reinterpret_cast<const char*>(&family_), sizeof family_);
  order_.resize(label_count_);
  std::iota(order_.begin(), order_.end(), size_t{0});
  std::sort(order_.begin(), order_.end(),
            [this](size_t a, size_t b) { return labels_[a].name < labels_[b].name; });
  for (size_t i : order_) {
    const Label& label = labels_[i];
    key_.append(label.name.data(), label.name.size());
    key_ += '\xff';
    const std::string_view value = label.value();
    key_.append(value.data(), value.size());
    key_ += '\xff';
  }
  const auto it = grouped_.find(key_);
  if (it != grouped_.end()) return it->second;
  Metric* metric = newMetric();
  grouped_.emplace(key_, metric);
  return metric;
}

}  // namespace ferry::plugins::text::detail
