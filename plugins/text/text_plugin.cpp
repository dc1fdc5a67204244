// The `text` input plugin: Prometheus text exposition format 0.0.4. Pushgateway parses every
// body that is not delimited protobuf as text, so this plugin accepts every Content-Type and
// the host asks it last. The parser builds MetricFamily messages exactly as Go's does; each is
// handed to Ferry through the family builder, field presence included (a histogram without a
// _sum line has no sample_sum, as in Go).
#include <ferry/sdk.hpp>
#include <string_view>
#include <vector>

#include "plugins/text/text_parser.h"

namespace ferry::plugins::text {
namespace {

namespace pb = io::prometheus::client;
using sdk::Families;
using sdk::Label;

void labelsOf(const pb::Metric& metric, std::vector<Label>& out) {
  out.clear();
  for (const auto& pair : metric.label()) out.push_back({pair.name(), pair.value()});
}

sdk::SeriesOptions optionsOf(const pb::Metric& metric) {
  sdk::SeriesOptions options;
  if (metric.has_timestamp_ms()) options.timestamp_ms = metric.timestamp_ms();
  return options;
}

// The text format carries names, HELP, types, labels, values, timestamps, summary quantiles
// and histogram buckets; nothing else can be in the parser's messages.
void handOver(const pb::MetricFamily& family, Families& out, std::vector<Label>& labels) {
  const auto type = static_cast<sdk::MetricType>(family.type());
  sdk::Family target = family.has_help() ? out.family(family.name(), type, family.help())
                                         : out.family(family.name(), type);
  for (const auto& metric : family.metric()) {
    labelsOf(metric, labels);
    switch (family.type()) {
      case pb::COUNTER:
        target.add(labels, metric.counter().value(), optionsOf(metric));
        break;
      case pb::GAUGE:
        target.add(labels, metric.gauge().value(), optionsOf(metric));
        break;
      case pb::UNTYPED:
        target.add(labels, metric.untyped().value(), optionsOf(metric));
        break;
      case pb::SUMMARY: {
        const pb::Summary& in = metric.summary();
        sdk::Summary summary;
        if (in.has_sample_count()) summary.count = in.sample_count();
        if (in.has_sample_sum()) summary.sum = in.sample_sum();
        for (const auto& q : in.quantile()) summary.quantiles.push_back({q.quantile(), q.value()});
        target.add(labels, summary, optionsOf(metric));
        break;
      }
      case pb::HISTOGRAM:
      case pb::GAUGE_HISTOGRAM: {
        const pb::Histogram& in = metric.histogram();
        sdk::Histogram histogram;
        if (in.has_sample_count()) histogram.count = in.sample_count();
        if (in.has_sample_sum()) histogram.sum = in.sample_sum();
        for (const auto& b : in.bucket()) {
          histogram.buckets.push_back({b.upper_bound(), b.cumulative_count()});
        }
        target.add(labels, histogram, optionsOf(metric));
        break;
      }
    }
  }
}

class TextInput final : public sdk::InputPlugin {
 public:
  static inline const sdk::ConfigKeys kConfigKeys = {};

  TextInput(const sdk::Host& /*host*/, sdk::Config& /*config*/) {}

  bool accepts(std::string_view /*content_type*/) const override { return true; }

  void parse(std::string_view /*content_type*/, std::string_view body, Families& out) override {
    std::vector<Label> labels;
    const auto error =
        parseTextEach(body, [&](const pb::MetricFamily& family) { handOver(family, out, labels); });
    if (error) throw sdk::invalidInput(error->message);
  }
};

}  // namespace
}  // namespace ferry::plugins::text

FERRY_PLUGIN(ferry::plugins::text::TextInput, "text", "1.0.0",
             "Prometheus text exposition format 0.0.4")
