#include "core/expo/text_format.h"

#include <cmath>
#include <ferry/support/go_float_format.hpp>
#include <limits>
#include <string>
#include <string_view>

namespace ferry::core::expo {
namespace {

using io::prometheus::client::Metric;
using io::prometheus::client::MetricFamily;
using io::prometheus::client::MetricType;

const char* typeName(MetricType type) {
  switch (type) {
    case io::prometheus::client::COUNTER:
      return "counter";
    case io::prometheus::client::GAUGE:
      return "gauge";
    case io::prometheus::client::SUMMARY:
      return "summary";
    case io::prometheus::client::UNTYPED:
      return "untyped";
    case io::prometheus::client::HISTOGRAM:
    case io::prometheus::client::GAUGE_HISTOGRAM:
      return "histogram";
  }
  return nullptr;
}

// The stored labels of a metric, rendered once for all of its sample lines:
// `l1="v1",l2="v2"` without braces.
std::string renderLabels(const Metric& metric) {
  std::string labels;
  for (const auto& label : metric.label()) {
    if (!labels.empty()) labels.push_back(',');
    labels += label.name();
    labels += "=\"";
    escapeLabelValue(labels, label.value());
    labels.push_back('"');
  }
  return labels;
}

// One sample line; `extra_label` (quantile or le) is appended after the stored labels.
void appendSample(std::string& out, const std::string& name, std::string_view suffix,
                  const std::string& labels, std::string_view extra_label, double extra_value,
                  double value) {
  out += name;
  out += suffix;
  if (!labels.empty() || !extra_label.empty()) {
    out.push_back('{');
    out += labels;
    if (!extra_label.empty()) {
      if (!labels.empty()) out.push_back(',');
      out += extra_label;
      out += "=\"";
      appendTextFloat(out, extra_value);
      out.push_back('"');
    }
    out.push_back('}');
  }
  out.push_back(' ');
  appendTextFloat(out, value);
  out.push_back('\n');
}

// The line of a counter, gauge or untyped metric, the same as appendSample() with the labels
// written in place: every push renders one per series, and the temporary label string was a
// good part of that.
void appendSingleSample(std::string& out, const std::string& name, const Metric& metric,
                        double value) {
  out += name;
  if (metric.label_size() > 0) {
    out.push_back('{');
    bool first = true;
    for (const auto& label : metric.label()) {
      if (!first) out.push_back(',');
      first = false;
      out += label.name();
      out += "=\"";
      escapeLabelValue(out, label.value());
      out.push_back('"');
    }
    out.push_back('}');
  }
  out.push_back(' ');
  appendTextFloat(out, value);
  out.push_back('\n');
}

void appendHistogram(std::string& out, const std::string& name, const Metric& metric,
                     const std::string& labels) {
  const auto& histogram = metric.histogram();
  // Float histograms carry their counts in the *_float fields; a zero float count means
  // "use the integer one", as in upstream expfmt.
  const double count = histogram.sample_count_float() != 0
                           ? histogram.sample_count_float()
                           : static_cast<double>(histogram.sample_count());
  bool inf_seen = false;
  for (const auto& bucket : histogram.bucket()) {
    const double cumulative = bucket.cumulative_count_float() != 0
                                  ? bucket.cumulative_count_float()
                                  : static_cast<double>(bucket.cumulative_count());
    appendSample(out, name, "_bucket", labels, "le", bucket.upper_bound(), cumulative);
    if (std::isinf(bucket.upper_bound()) && bucket.upper_bound() > 0) inf_seen = true;
  }
  if (!inf_seen) {
    appendSample(out, name, "_bucket", labels, "le", std::numeric_limits<double>::infinity(),
                 count);
  }
  appendSample(out, name, "_sum", labels, {}, 0, histogram.sample_sum());
  appendSample(out, name, "_count", labels, {}, 0, count);
}

void appendHeader(std::string& out, const std::string& name, const std::string* help,
                  MetricType type) {
  const char* type_name = typeName(type);
  if (type_name == nullptr) return;
  if (help != nullptr) {
    out += "# HELP ";
    out += name;
    out.push_back(' ');
    escapeHelp(out, *help);
    out.push_back('\n');
  }
  out += "# TYPE ";
  out += name;
  out.push_back(' ');
  out += type_name;
  out.push_back('\n');
}

template <typename Escapes>
void escapeWith(std::string& out, std::string_view in, Escapes escape) {
  size_t start = 0;
  for (size_t i = 0; i < in.size(); ++i) {
    const char* replacement = escape(in[i]);
    if (replacement == nullptr) continue;
    out.append(in.data() + start, i - start);
    out += replacement;
    start = i + 1;
  }
  out.append(in.data() + start, in.size() - start);
}

}  // namespace

void escapeLabelValue(std::string& out, std::string_view value) {
  escapeWith(out, value, [](char c) -> const char* {
    switch (c) {
      case '\\':
        return "\\\\";
      case '\n':
        return "\\n";
      case '"':
        return "\\\"";
      default:
        return nullptr;
    }
  });
}

void escapeHelp(std::string& out, std::string_view help) {
  escapeWith(out, help, [](char c) -> const char* {
    switch (c) {
      case '\\':
        return "\\\\";
      case '\n':
        return "\\n";
      default:
        return nullptr;
    }
  });
}

void appendTextFloat(std::string& out, double v) {
  if (v == 0) {
    out.push_back('0');
    return;
  }
  support::appendFloat(out, v);
}

bool isTextRenderableType(MetricType type) { return typeName(type) != nullptr; }

bool metricMatchesType(MetricType type, const Metric& metric) {
  switch (type) {
    case io::prometheus::client::COUNTER:
      return metric.has_counter();
    case io::prometheus::client::GAUGE:
      return metric.has_gauge();
    case io::prometheus::client::SUMMARY:
      return metric.has_summary();
    case io::prometheus::client::UNTYPED:
      return metric.has_untyped();
    case io::prometheus::client::HISTOGRAM:
    case io::prometheus::client::GAUGE_HISTOGRAM:
      return metric.has_histogram();
  }
  return false;
}

void appendFamilyHeader(std::string& out, const std::string& name, const std::string* help,
                        MetricType type) {
  appendHeader(out, name, help, type);
}

void appendFamilyHeader(std::string& out, const MetricFamily& family) {
  appendHeader(out, family.name(), family.has_help() ? &family.help() : nullptr, family.type());
}

void appendMetricText(std::string& out, const std::string& name, MetricType type,
                      const Metric& metric) {
  if (!metricMatchesType(type, metric)) return;
  switch (type) {
    case io::prometheus::client::COUNTER:
      appendSingleSample(out, name, metric, metric.counter().value());
      return;
    case io::prometheus::client::GAUGE:
      appendSingleSample(out, name, metric, metric.gauge().value());
      return;
    case io::prometheus::client::UNTYPED:
      appendSingleSample(out, name, metric, metric.untyped().value());
      return;
    default:
      break;
  }
  const std::string labels = renderLabels(metric);
  switch (type) {
    case io::prometheus::client::COUNTER:
    case io::prometheus::client::GAUGE:
    case io::prometheus::client::UNTYPED:
      return;
    case io::prometheus::client::SUMMARY: {
      const auto& summary = metric.summary();
      for (const auto& quantile : summary.quantile()) {
        appendSample(out, name, {}, labels, "quantile", quantile.quantile(), quantile.value());
      }
      appendSample(out, name, "_sum", labels, {}, 0, summary.sample_sum());
      appendSample(out, name, "_count", labels, {}, 0, static_cast<double>(summary.sample_count()));
      return;
    }
    case io::prometheus::client::HISTOGRAM:
    case io::prometheus::client::GAUGE_HISTOGRAM:
      appendHistogram(out, name, metric, labels);
      return;
  }
}

void appendFamilyText(std::string& out, const MetricFamily& family) {
  if (family.name().empty() || family.metric_size() == 0) return;
  appendFamilyHeader(out, family);
  for (const auto& metric : family.metric()) {
    appendMetricText(out, family.name(), family.type(), metric);
  }
}

}  // namespace ferry::core::expo
