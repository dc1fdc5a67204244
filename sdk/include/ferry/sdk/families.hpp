// The family builder as an input plugin uses it: InputPlugin::parse hands each family and its
// series to Families, which passes them to Ferry through the C ABI (ferry_family_builder).
// Ferry builds its own representation from the calls: nothing to encode, nothing malformed.
//
//   auto jobs = out.family("jobs_total", ferry::sdk::MetricType::kCounter, "Jobs done.");
//   jobs.add({{"queue", "a"}}, 42);
//   jobs.add({{"queue", "b"}}, 7);
//   ferry::sdk::Histogram latency;
//   latency.count = 3;
//   latency.sum = 0.42;
//   latency.buckets = {{0.1, 1}, {1, 3}, {INFINITY, 3}};
//   out.family("latency_seconds", ferry::sdk::MetricType::kHistogram).add({}, latency);
//
// Ferry checks names, label names and values and duplicate series for every push, whatever
// the input plugin, and answers 400 in the Pushgateway's wording; the input kit runs the same
// checks on a plugin's output.
#pragma once

#include <ferry/plugin_abi.h>

#include <cstdint>
#include <ferry/sdk/bytes.hpp>
#include <ferry/sdk/errors.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ferry::sdk {

// The same numbers as io.prometheus.client.MetricType.
enum class MetricType : int {
  kCounter = FERRY_METRIC_COUNTER,
  kGauge = FERRY_METRIC_GAUGE,
  kSummary = FERRY_METRIC_SUMMARY,
  kUntyped = FERRY_METRIC_UNTYPED,
  kHistogram = FERRY_METRIC_HISTOGRAM,
  kGaugeHistogram = FERRY_METRIC_GAUGE_HISTOGRAM,
};

struct Label {
  std::string_view name;
  std::string_view value;
};

// The labels of a series are given as a braced list, {{"code", "200"}, {"method", "get"}}, or
// as a std::vector<Label>; both are borrowed for the call.
using LabelList = std::initializer_list<Label>;

namespace detail {
// A view of either form (a pointer and a size).
struct LabelView {
  const Label* data;
  size_t size;
};
}  // namespace detail

// google.protobuf.Timestamp.
struct Timestamp {
  int64_t seconds = 0;
  int32_t nanos = 0;  // 0 to 999,999,999
};

struct Exemplar {
  std::vector<Label> labels;
  double value = 0;
  std::optional<Timestamp> timestamp;
};

// What a series may carry besides its labels and value.
struct SeriesOptions {
  std::optional<int64_t> timestamp_ms;  // Ferry, like the Pushgateway, refuses pushed timestamps
  std::optional<Timestamp> created;     // counters, summaries, histograms
  std::optional<Exemplar> exemplar;     // counters
};

struct Quantile {
  double quantile;
  double value;
};

struct Summary {
  std::optional<uint64_t> count;
  std::optional<double> sum;
  std::vector<Quantile> quantiles;
};

// A classic histogram bucket: the number of observations up to upper_bound.
struct Bucket {
  double upper_bound;
  uint64_t cumulative_count;
  std::optional<Exemplar> exemplar = std::nullopt;
};

// A run of native histogram buckets.
struct BucketSpan {
  int32_t offset;
  uint32_t length;
};

// The sparse buckets of a native histogram (integer counts, given as deltas).
struct NativeBuckets {
  int32_t schema = 0;
  double zero_threshold = 0;
  uint64_t zero_count = 0;
  std::vector<BucketSpan> negative_spans;
  std::vector<int64_t> negative_deltas;
  std::vector<BucketSpan> positive_spans;
  std::vector<int64_t> positive_deltas;
};

struct Histogram {
  std::optional<uint64_t> count;
  std::optional<double> sum;
  std::vector<Bucket> buckets;          // classic buckets, by upper bound
  std::optional<NativeBuckets> native;  // native buckets
  std::vector<Exemplar> exemplars;      // a native histogram's exemplars
};

// A histogram whose counts are not integers (e.g. the result of a rate).
struct FloatBucket {
  double upper_bound;
  double cumulative_count;
  std::optional<Exemplar> exemplar = std::nullopt;
};
struct FloatNativeBuckets {
  int32_t schema = 0;
  double zero_threshold = 0;
  double zero_count = 0;
  std::vector<BucketSpan> negative_spans;
  std::vector<double> negative_counts;
  std::vector<BucketSpan> positive_spans;
  std::vector<double> positive_counts;
};
struct FloatHistogram {
  std::optional<double> count;
  std::optional<double> sum;
  std::vector<FloatBucket> buckets;
  std::optional<FloatNativeBuckets> native;
  std::vector<Exemplar> exemplars;
};

// A builder call Ferry refused. Its status and message are already Ferry's; the parse fails
// with them whatever the plugin does next.
class BuilderError : public Error {
 public:
  explicit BuilderError(ferry_status status)
      : Error(status, status == FERRY_ERR_INVALID_INPUT
                          ? "the metric families cannot be stored"
                          : "the input plugin used the family builder wrongly") {}
};

namespace detail {
inline void check(ferry_status status) {
  if (status != FERRY_OK) throw BuilderError(status);
}
// Per-thread scratch space, so that adding a series allocates nothing once it has grown.
inline std::vector<ferry_label>& labelScratch() {
  thread_local std::vector<ferry_label> labels;
  return labels;
}
inline const ferry_label* toLabels(LabelView labels, std::vector<ferry_label>& out) {
  out.clear();
  for (size_t i = 0; i < labels.size; ++i) {
    out.push_back({toBytes(labels.data[i].name), toBytes(labels.data[i].value)});
  }
  return out.data();
}
struct ExemplarsC {
  std::vector<std::vector<ferry_label>> labels;
  std::vector<ferry_exemplar> exemplars;
};
inline ferry_exemplar toExemplar(const Exemplar& e, std::vector<ferry_label>& labels) {
  ferry_exemplar out{};
  out.labels = toLabels(LabelView{e.labels.data(), e.labels.size()}, labels);
  out.label_count = labels.size();
  out.value = e.value;
  if (e.timestamp) {
    out.flags |= FERRY_EXEMPLAR_TIMESTAMP;
    out.timestamp = {e.timestamp->seconds, e.timestamp->nanos};
  }
  return out;
}
inline void toExemplars(const std::vector<Exemplar>& in, ExemplarsC& out) {
  out.labels.resize(in.size());
  out.exemplars.clear();
  for (size_t i = 0; i < in.size(); ++i) out.exemplars.push_back(toExemplar(in[i], out.labels[i]));
}
template <typename B>
void toBuckets(const std::vector<B>& in, std::vector<ferry_bucket>& out, ExemplarsC& exemplars,
               bool float_counts) {
  exemplars.labels.resize(in.size());
  exemplars.exemplars.resize(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    ferry_bucket bucket{};
    bucket.upper_bound = in[i].upper_bound;
    if (float_counts) {
      bucket.cumulative_count_float = static_cast<double>(in[i].cumulative_count);
    } else {
      bucket.cumulative_count = static_cast<uint64_t>(in[i].cumulative_count);
    }
    if (in[i].exemplar) {
      exemplars.exemplars[i] = toExemplar(*in[i].exemplar, exemplars.labels[i]);
      bucket.exemplar = &exemplars.exemplars[i];
    }
    out.push_back(bucket);
  }
}
}  // namespace detail

// One family of a parse; a cheap handle, valid during the parse call. Each add() appends one
// series: `labels` as a braced list or a std::vector<Label>, then the value of the family's
// type.
class Family {
 public:
  // A counter, gauge or untyped series.
  void add(LabelList labels, double value, const SeriesOptions& options = {}) {
    addValue(view(labels), value, options);
  }
  void add(const std::vector<Label>& labels, double value, const SeriesOptions& options = {}) {
    addValue(view(labels), value, options);
  }
  // A summary series.
  void add(LabelList labels, const Summary& summary, const SeriesOptions& options = {}) {
    addSummary(view(labels), summary, options);
  }
  void add(const std::vector<Label>& labels, const Summary& summary,
           const SeriesOptions& options = {}) {
    addSummary(view(labels), summary, options);
  }
  // A histogram or gauge histogram series, with integer or float counts.
  void add(LabelList labels, const Histogram& histogram, const SeriesOptions& options = {}) {
    addHistogram(view(labels), histogram, false, options);
  }
  void add(const std::vector<Label>& labels, const Histogram& histogram,
           const SeriesOptions& options = {}) {
    addHistogram(view(labels), histogram, false, options);
  }
  void add(LabelList labels, const FloatHistogram& histogram, const SeriesOptions& options = {}) {
    addHistogram(view(labels), histogram, true, options);
  }
  void add(const std::vector<Label>& labels, const FloatHistogram& histogram,
           const SeriesOptions& options = {}) {
    addHistogram(view(labels), histogram, true, options);
  }

 private:
  friend class Families;
  Family(const ferry_family_builder* builder, ferry_family* handle)
      : builder_(builder), handle_(handle) {}

  static detail::LabelView view(LabelList labels) { return {labels.begin(), labels.size()}; }
  static detail::LabelView view(const std::vector<Label>& labels) {
    return {labels.data(), labels.size()};
  }

  void addValue(detail::LabelView labels, double value, const SeriesOptions& options) {
    ferry_series series = start(labels, options);
    series.value = value;
    submit(series, options);
  }
  void addSummary(detail::LabelView labels, const Summary& summary, const SeriesOptions& options) {
    ferry_summary s{};
    s.struct_size = sizeof(ferry_summary);
    if (summary.count) {
      s.flags |= FERRY_AGGREGATE_COUNT;
      s.sample_count = *summary.count;
    }
    if (summary.sum) {
      s.flags |= FERRY_AGGREGATE_SUM;
      s.sample_sum = *summary.sum;
    }
    std::vector<ferry_quantile> quantiles;
    quantiles.reserve(summary.quantiles.size());
    for (const Quantile& q : summary.quantiles) quantiles.push_back({q.quantile, q.value});
    s.quantiles = quantiles.data();
    s.quantile_count = quantiles.size();
    ferry_series series = start(labels, options);
    series.summary = &s;
    submit(series, options);
  }

  ferry_series start(detail::LabelView labels, const SeriesOptions& options) {
    std::vector<ferry_label>& scratch = detail::labelScratch();
    ferry_series series{};
    series.struct_size = sizeof(ferry_series);
    series.labels = detail::toLabels(labels, scratch);
    series.label_count = scratch.size();
    if (options.timestamp_ms) {
      series.flags |= FERRY_SERIES_TIMESTAMP;
      series.timestamp_ms = *options.timestamp_ms;
    }
    if (options.created) {
      series.flags |= FERRY_SERIES_CREATED;
      series.created = {options.created->seconds, options.created->nanos};
    }
    return series;
  }
  void submit(ferry_series& series, const SeriesOptions& options) {
    std::vector<ferry_label> exemplar_labels;
    ferry_exemplar exemplar{};
    if (options.exemplar) {
      exemplar = detail::toExemplar(*options.exemplar, exemplar_labels);
      series.exemplar = &exemplar;
    }
    detail::check(builder_->series(handle_, &series));
  }
  template <typename H>
  void addHistogram(detail::LabelView labels, const H& histogram, bool float_counts,
                    const SeriesOptions& options) {
    ferry_histogram h{};
    h.struct_size = sizeof(ferry_histogram);
    if (float_counts) h.flags |= FERRY_HISTOGRAM_FLOAT;
    if (histogram.count) {
      h.flags |= FERRY_AGGREGATE_COUNT;
      if (float_counts) {
        h.sample_count_float = static_cast<double>(*histogram.count);
      } else {
        h.sample_count = static_cast<uint64_t>(*histogram.count);
      }
    }
    if (histogram.sum) {
      h.flags |= FERRY_AGGREGATE_SUM;
      h.sample_sum = *histogram.sum;
    }
    std::vector<ferry_bucket> buckets;
    detail::ExemplarsC bucket_exemplars, exemplars;
    detail::toBuckets(histogram.buckets, buckets, bucket_exemplars, float_counts);
    h.buckets = buckets.data();
    h.bucket_count = buckets.size();
    std::vector<ferry_bucket_span> negative, positive;
    if (histogram.native) {
      const auto& n = *histogram.native;
      h.flags |= FERRY_HISTOGRAM_NATIVE;
      h.schema = n.schema;
      h.zero_threshold = n.zero_threshold;
      for (const BucketSpan& s : n.negative_spans) negative.push_back({s.offset, s.length});
      for (const BucketSpan& s : n.positive_spans) positive.push_back({s.offset, s.length});
      h.negative_spans = negative.data();
      h.negative_span_count = negative.size();
      h.positive_spans = positive.data();
      h.positive_span_count = positive.size();
      if constexpr (std::is_same_v<H, FloatHistogram>) {
        h.zero_count_float = n.zero_count;
        h.negative_counts = n.negative_counts.data();
        h.negative_count_count = n.negative_counts.size();
        h.positive_counts = n.positive_counts.data();
        h.positive_count_count = n.positive_counts.size();
      } else {
        h.zero_count = n.zero_count;
        h.negative_deltas = n.negative_deltas.data();
        h.negative_delta_count = n.negative_deltas.size();
        h.positive_deltas = n.positive_deltas.data();
        h.positive_delta_count = n.positive_deltas.size();
      }
    }
    detail::toExemplars(histogram.exemplars, exemplars);
    h.exemplars = exemplars.exemplars.data();
    h.exemplar_count = exemplars.exemplars.size();
    ferry_series series = start(labels, options);
    series.histogram = &h;
    submit(series, options);
  }

  const ferry_family_builder* builder_;
  ferry_family* handle_;
};

// Where an input plugin's parse puts the families of a body. One per parse call.
class Families {
 public:
  Families(const ferry_family_builder* builder, ferry_families* out)
      : builder_(builder), out_(out) {}

  // The family `name`: started by the first call, the same family on later calls with the same
  // name (the type and HELP must then be the same). Without `help` the family has no HELP.
  Family family(std::string_view name, MetricType type) {
    return start(name, type, nullptr, nullptr);
  }
  Family family(std::string_view name, MetricType type, std::string_view help) {
    return start(name, type, &help, nullptr);
  }
  // The same with a unit (OpenMetrics' UNIT, e.g. "seconds").
  Family family(std::string_view name, MetricType type, std::string_view help,
                std::string_view unit) {
    return start(name, type, &help, &unit);
  }

  // Families as varint-length-delimited io.prometheus.client.MetricFamily messages (a protobuf
  // push body, once checked); a family whose name came before replaces it, as in a push.
  void addDelimited(std::string_view bytes) {
    detail::check(builder_->delimited(out_, toBytes(bytes)));
  }

 private:
  Family start(std::string_view name, MetricType type, const std::string_view* help,
               const std::string_view* unit) {
    ferry_family_info info{};
    info.struct_size = sizeof(ferry_family_info);
    info.type = static_cast<ferry_metric_type>(type);
    info.name = toBytes(name);
    if (help) {
      info.flags |= FERRY_FAMILY_HELP;
      info.help = toBytes(*help);
    }
    if (unit) {
      info.flags |= FERRY_FAMILY_UNIT;
      info.unit = toBytes(*unit);
    }
    ferry_family* handle = nullptr;
    detail::check(builder_->family(out_, &info, &handle));
    return Family(builder_, handle);
  }

  const ferry_family_builder* builder_;
  ferry_families* out_;
};

}  // namespace ferry::sdk
