#include "ferry/families/family_collector.hpp"

#include <google/protobuf/io/coded_stream.h>

#include <algorithm>
#include <climits>
#include <cmath>

namespace ferry::families {

namespace pb = io::prometheus::client;

// A family and what the builder knows about it; its address is the ferry_family handle.
struct FamilyCollector::Slot {
  FamilyCollector* owner;
  pb::MetricFamily* family;
  size_t bytes;  // about what its encoding takes
};

namespace {

std::string_view view(ferry_bytes b) {
  return b.size == 0 ? std::string_view() : std::string_view(b.data, b.size);
}

bool validBytes(ferry_bytes b) { return b.size == 0 || b.data != nullptr; }

template <typename T>
bool validArray(const T* data, size_t count) {
  return count == 0 || data != nullptr;
}

// The name the text exposition format gives the type (# TYPE lines).
const char* textTypeName(pb::MetricType type) {
  switch (type) {
    case pb::COUNTER:
      return "counter";
    case pb::GAUGE:
      return "gauge";
    case pb::SUMMARY:
      return "summary";
    case pb::UNTYPED:
      return "untyped";
    case pb::HISTOGRAM:
      return "histogram";
    case pb::GAUGE_HISTOGRAM:
      return "gauge histogram";
  }
  return "unknown";
}

void setTimestamp(google::protobuf::Timestamp* out, const ferry_timestamp& in) {
  out->set_seconds(in.seconds);
  out->set_nanos(in.nanos);
}

// No Reserve: the store adds job and instance labels to every series, and protobuf's first
// allocation (4 pointers) fits those of a typical series, where an exact one would grow again.
void setLabels(google::protobuf::RepeatedPtrField<pb::LabelPair>* out, const ferry_label* labels,
               size_t count, size_t& bytes) {
  for (size_t i = 0; i < count; ++i) {
    // mutable_*()->assign copies once; set_*(data, size) goes through a temporary std::string.
    pb::LabelPair* pair = out->Add();
    pair->mutable_name()->assign(labels[i].name.data, labels[i].name.size);
    pair->mutable_value()->assign(labels[i].value.data, labels[i].value.size);
    bytes += labels[i].name.size + labels[i].value.size + 6;
  }
}

// The pointers of an exemplar, checked before anything is copied.
bool validExemplar(const ferry_exemplar* e) {
  if (!e || !validArray(e->labels, e->label_count)) return false;
  for (size_t i = 0; i < e->label_count; ++i) {
    if (!validBytes(e->labels[i].name) || !validBytes(e->labels[i].value)) return false;
  }
  return true;
}

void setExemplar(pb::Exemplar* out, const ferry_exemplar& in, size_t& bytes) {
  setLabels(out->mutable_label(), in.labels, in.label_count, bytes);
  out->set_value(in.value);
  if (in.flags & FERRY_EXEMPLAR_TIMESTAMP) setTimestamp(out->mutable_timestamp(), in.timestamp);
  bytes += 24;
}

void setSpans(google::protobuf::RepeatedPtrField<pb::BucketSpan>* out,
              const ferry_bucket_span* spans, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    pb::BucketSpan* span = out->Add();
    span->set_offset(spans[i].offset);
    span->set_length(spans[i].length);
  }
}

template <typename T, typename Field>
void setNumbers(Field* out, const T* values, size_t count) {
  out->Reserve(static_cast<int>(std::min<size_t>(count, INT_MAX)));
  for (size_t i = 0; i < count; ++i) out->Add(values[i]);
}

// Everything the histogram points to, checked before anything is copied: "" or the problem.
std::string histogramProblem(const ferry_histogram& h) {
  if (h.struct_size < sizeof(ferry_histogram)) return "ferry_histogram.struct_size is too small";
  if (!validArray(h.buckets, h.bucket_count) ||
      !validArray(h.negative_spans, h.negative_span_count) ||
      !validArray(h.negative_deltas, h.negative_delta_count) ||
      !validArray(h.negative_counts, h.negative_count_count) ||
      !validArray(h.positive_spans, h.positive_span_count) ||
      !validArray(h.positive_deltas, h.positive_delta_count) ||
      !validArray(h.positive_counts, h.positive_count_count) ||
      !validArray(h.exemplars, h.exemplar_count)) {
    return "a histogram array is NULL with a non-zero count";
  }
  for (size_t i = 0; i < h.bucket_count; ++i) {
    if (h.buckets[i].exemplar && !validExemplar(h.buckets[i].exemplar)) {
      return "a bucket exemplar has NULL labels";
    }
  }
  for (size_t i = 0; i < h.exemplar_count; ++i) {
    if (!validExemplar(&h.exemplars[i])) return "an exemplar has NULL labels";
  }
  return "";
}

void setHistogram(pb::Histogram* out, const ferry_histogram& h, size_t& bytes) {
  const bool floats = h.flags & FERRY_HISTOGRAM_FLOAT;
  if (h.flags & FERRY_AGGREGATE_COUNT) {
    if (floats) {
      out->set_sample_count_float(h.sample_count_float);
    } else {
      out->set_sample_count(h.sample_count);
    }
  }
  if (h.flags & FERRY_AGGREGATE_SUM) out->set_sample_sum(h.sample_sum);
  out->mutable_bucket()->Reserve(static_cast<int>(std::min<size_t>(h.bucket_count, INT_MAX)));
  for (size_t i = 0; i < h.bucket_count; ++i) {
    pb::Bucket* bucket = out->add_bucket();
    if (floats) {
      bucket->set_cumulative_count_float(h.buckets[i].cumulative_count_float);
    } else {
      bucket->set_cumulative_count(h.buckets[i].cumulative_count);
    }
    bucket->set_upper_bound(h.buckets[i].upper_bound);
    if (h.buckets[i].exemplar)
      setExemplar(bucket->mutable_exemplar(), *h.buckets[i].exemplar, bytes);
    bytes += 24;
  }
  if (h.flags & FERRY_HISTOGRAM_NATIVE) {
    out->set_schema(h.schema);
    out->set_zero_threshold(h.zero_threshold);
    if (floats) {
      out->set_zero_count_float(h.zero_count_float);
    } else {
      out->set_zero_count(h.zero_count);
    }
  }
  setSpans(out->mutable_negative_span(), h.negative_spans, h.negative_span_count);
  setSpans(out->mutable_positive_span(), h.positive_spans, h.positive_span_count);
  setNumbers(out->mutable_negative_delta(), h.negative_deltas, h.negative_delta_count);
  setNumbers(out->mutable_positive_delta(), h.positive_deltas, h.positive_delta_count);
  setNumbers(out->mutable_negative_count(), h.negative_counts, h.negative_count_count);
  setNumbers(out->mutable_positive_count(), h.positive_counts, h.positive_count_count);
  bytes += 12 * (h.negative_span_count + h.positive_span_count + h.negative_delta_count +
                 h.positive_delta_count + h.negative_count_count + h.positive_count_count);
  for (size_t i = 0; i < h.exemplar_count; ++i) {
    setExemplar(out->add_exemplars(), h.exemplars[i], bytes);
  }
  bytes += 32;
}

}  // namespace

// The C functions of the builder table; they find their collector through the handle.
struct BuilderCallbacks {
  static ferry_status family(ferry_families* out, const ferry_family_info* info,
                             ferry_family** family) {
    if (!out) return FERRY_ERR_INTERNAL;
    return reinterpret_cast<FamilyCollector*>(out)->startFamily(info, family);
  }
  static ferry_status series(ferry_family* family, const ferry_series* series) {
    if (!family) return FERRY_ERR_INTERNAL;
    auto* slot = reinterpret_cast<FamilyCollector::Slot*>(family);
    return slot->owner->addSeries(*slot, series);
  }
  static ferry_status delimited(ferry_families* out, ferry_bytes bytes) {
    if (!out) return FERRY_ERR_INTERNAL;
    auto* self = reinterpret_cast<FamilyCollector*>(out);
    if (self->status_ != FERRY_OK) return self->status_;
    if (!validBytes(bytes)) return self->fail(FERRY_ERR_INTERNAL, "delimited bytes are NULL");
    return self->addDelimited(view(bytes)) ? FERRY_OK : self->status_;
  }
};

FamilyCollector::FamilyCollector(google::protobuf::Arena* arena) : arena_(arena) {}
FamilyCollector::~FamilyCollector() = default;

const ferry_family_builder* FamilyCollector::builder() {
  static const ferry_family_builder table = {sizeof(ferry_family_builder),
                                             &BuilderCallbacks::family, &BuilderCallbacks::series,
                                             &BuilderCallbacks::delimited};
  return &table;
}

ferry_status FamilyCollector::fail(ferry_status status, std::string message) {
  if (status_ == FERRY_OK) {
    status_ = status;
    message_ = std::move(message);
  }
  return status_;
}

FamilyCollector::Slot& FamilyCollector::slotFor(pb::MetricFamily* family) {
  auto it = by_name_.find(family->name());
  if (it == by_name_.end()) {
    families_.push_back(family);
    slots_.push_back(std::make_unique<Slot>(Slot{this, family, 0}));
    by_name_.emplace(family->name(), families_.size() - 1);
    return *slots_.back();
  }
  // A family of this name came before: the new one takes its place, its position and its
  // handle. The key is replaced too: it viewed the old family's name.
  const size_t index = it->second;
  by_name_.erase(it);
  by_name_.emplace(family->name(), index);
  families_[index] = family;
  *slots_[index] = Slot{this, family, 0};
  return *slots_[index];
}

ferry_status FamilyCollector::startFamily(const ferry_family_info* info, ferry_family** family) {
  if (status_ != FERRY_OK) return status_;
  if (!info || !family || info->struct_size < sizeof(ferry_family_info) ||
      !validBytes(info->name) || !validBytes(info->help) || !validBytes(info->unit)) {
    return fail(FERRY_ERR_INTERNAL, "family(): NULL or too small arguments");
  }
  if (!pb::MetricType_IsValid(info->type)) {
    return fail(FERRY_ERR_INTERNAL,
                "family(): unknown metric type " + std::to_string(static_cast<int>(info->type)));
  }
  const std::string_view name = view(info->name);
  const bool has_help = info->flags & FERRY_FAMILY_HELP;
  const bool has_unit = info->flags & FERRY_FAMILY_UNIT;
  if (auto it = by_name_.find(name); it != by_name_.end()) {
    Slot& slot = *slots_[it->second];
    const pb::MetricFamily& existing = *slot.family;
    bool same = existing.type() == static_cast<pb::MetricType>(info->type) &&
                existing.has_help() == has_help && existing.help() == view(info->help) &&
                existing.has_unit() == has_unit && existing.unit() == view(info->unit);
    if (!same) {
      return fail(FERRY_ERR_INVALID_INPUT,
                  "metric family \"" + std::string(name) +
                      "\" is given twice, with another type, HELP or unit");
    }
    *family = reinterpret_cast<ferry_family*>(&slot);
    return FERRY_OK;
  }
  auto* created = google::protobuf::Arena::CreateMessage<pb::MetricFamily>(arena_);
  created->set_name(info->name.data, info->name.size);
  if (has_help) created->set_help(info->help.data, info->help.size);
  if (has_unit) created->set_unit(info->unit.data, info->unit.size);
  created->set_type(static_cast<pb::MetricType>(info->type));
  Slot& slot = slotFor(created);
  slot.bytes = info->name.size + info->help.size + info->unit.size + 8;
  *family = reinterpret_cast<ferry_family*>(&slot);
  return FERRY_OK;
}

ferry_status FamilyCollector::addSeries(Slot& slot, const ferry_series* series) {
  if (status_ != FERRY_OK) return status_;
  pb::MetricFamily& family = *slot.family;
  auto misuse = [&](const std::string& what) {
    return fail(FERRY_ERR_INTERNAL, "series() of " + std::string(textTypeName(family.type())) +
                                        " family \"" + family.name() + "\": " + what);
  };
  if (!series || series->struct_size < sizeof(ferry_series)) {
    return misuse("NULL or too small ferry_series");
  }
  if (!validArray(series->labels, series->label_count)) return misuse("labels are NULL");
  for (size_t i = 0; i < series->label_count; ++i) {
    if (!validBytes(series->labels[i].name) || !validBytes(series->labels[i].value)) {
      return misuse("a label's bytes are NULL");
    }
  }
  const pb::MetricType type = family.type();
  const bool is_summary = type == pb::SUMMARY;
  const bool is_histogram = type == pb::HISTOGRAM || type == pb::GAUGE_HISTOGRAM;
  if (is_summary != (series->summary != nullptr)) {
    return misuse(is_summary ? "no summary given" : "a summary given");
  }
  if (is_histogram != (series->histogram != nullptr)) {
    return misuse(is_histogram ? "no histogram given" : "a histogram given");
  }
  if (series->exemplar && (type != pb::COUNTER || !validExemplar(series->exemplar))) {
    return misuse("an exemplar on a series that is not a counter, or with NULL labels");
  }
  if ((series->flags & FERRY_SERIES_CREATED) && (type == pb::GAUGE || type == pb::UNTYPED)) {
    return misuse("a created timestamp on a gauge or untyped series");
  }
  if (is_summary) {
    const ferry_summary& s = *series->summary;
    if (s.struct_size < sizeof(ferry_summary) || !validArray(s.quantiles, s.quantile_count)) {
      return misuse("NULL or too small summary");
    }
  }
  if (is_histogram) {
    std::string problem = histogramProblem(*series->histogram);
    if (!problem.empty()) return misuse(problem);
  }

  size_t bytes = 16;
  pb::Metric* metric = family.add_metric();
  setLabels(metric->mutable_label(), series->labels, series->label_count, bytes);
  const bool created = series->flags & FERRY_SERIES_CREATED;
  switch (type) {
    case pb::COUNTER: {
      pb::Counter* counter = metric->mutable_counter();
      counter->set_value(series->value);
      if (series->exemplar) setExemplar(counter->mutable_exemplar(), *series->exemplar, bytes);
      if (created) setTimestamp(counter->mutable_created_timestamp(), series->created);
      break;
    }
    case pb::GAUGE:
      metric->mutable_gauge()->set_value(series->value);
      break;
    case pb::UNTYPED:
      metric->mutable_untyped()->set_value(series->value);
      break;
    case pb::SUMMARY: {
      const ferry_summary& s = *series->summary;
      pb::Summary* summary = metric->mutable_summary();
      if (s.flags & FERRY_AGGREGATE_COUNT) summary->set_sample_count(s.sample_count);
      if (s.flags & FERRY_AGGREGATE_SUM) summary->set_sample_sum(s.sample_sum);
      summary->mutable_quantile()->Reserve(
          static_cast<int>(std::min<size_t>(s.quantile_count, INT_MAX)));
      for (size_t i = 0; i < s.quantile_count; ++i) {
        pb::Quantile* q = summary->add_quantile();
        q->set_quantile(s.quantiles[i].quantile);
        q->set_value(s.quantiles[i].value);
      }
      if (created) setTimestamp(summary->mutable_created_timestamp(), series->created);
      bytes += 24 * s.quantile_count;
      break;
    }
    case pb::HISTOGRAM:
    case pb::GAUGE_HISTOGRAM: {
      pb::Histogram* histogram = metric->mutable_histogram();
      setHistogram(histogram, *series->histogram, bytes);
      if (created) setTimestamp(histogram->mutable_created_timestamp(), series->created);
      break;
    }
  }
  if (series->flags & FERRY_SERIES_TIMESTAMP) metric->set_timestamp_ms(series->timestamp_ms);
  slot.bytes += bytes;
  if (slot.bytes > kMaxFamilyBytes) {
    return fail(FERRY_ERR_INVALID_INPUT,
                "metric family \"" + family.name() + "\" is too large (more than 1 GiB)");
  }
  return FERRY_OK;
}

bool FamilyCollector::addDelimited(std::string_view bytes) {
  if (status_ != FERRY_OK) return false;
  if (bytes.size() > static_cast<size_t>(INT_MAX)) {
    fail(FERRY_ERR_INVALID_INPUT, "delimited families of 2 GiB or more cannot be decoded");
    return false;
  }
  const int size = static_cast<int>(bytes.size());
  google::protobuf::io::CodedInputStream input(reinterpret_cast<const uint8_t*>(bytes.data()),
                                               size);
  input.SetTotalBytesLimit(size);
  while (input.CurrentPosition() < size) {
    const int offset = input.CurrentPosition();
    uint32_t length = 0;
    if (!input.ReadVarint32(&length) || length > static_cast<uint32_t>(size - offset)) {
      fail(FERRY_ERR_INTERNAL,
           "malformed delimited families: bad length at byte " + std::to_string(offset));
      return false;
    }
    auto limit = input.PushLimit(static_cast<int>(length));
    auto* family = google::protobuf::Arena::CreateMessage<pb::MetricFamily>(arena_);
    if (!family->ParseFromCodedStream(&input) || !input.ConsumedEntireMessage()) {
      fail(FERRY_ERR_INTERNAL,
           "malformed delimited families: bad message at byte " + std::to_string(offset));
      return false;
    }
    input.PopLimit(limit);
    slotFor(family);
  }
  return true;
}

}  // namespace ferry::families
