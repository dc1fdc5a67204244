#include "core/expo/json_api.h"

#include <charconv>
#include <cmath>
#include <ferry/support/go_float_format.hpp>
#include <map>

namespace ferry::core::expo {
namespace {

using io::prometheus::client::Metric;
using io::prometheus::client::MetricFamily;

constexpr char kHex[] = "0123456789abcdef";

// Length of the valid UTF-8 sequence at the start of `s` (Go's utf8.DecodeRuneInString
// rules: shortest form only, no surrogates, at most U+10FFFF), 0 if it is invalid.
size_t validUtf8Len(std::string_view s) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  size_t len;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  const auto b1 = static_cast<unsigned char>(s[1]);
  if (b1 < lo || b1 > hi) return 0;
  for (size_t i = 2; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80 || b > 0xBF) return 0;
  }
  return len;
}

void appendUint(std::string& out, uint64_t v) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out.append(buf, res.ptr);
}

void appendPadded(std::string& out, int64_t v, int width) {
  char buf[24];
  const auto res = std::to_chars(buf, buf + sizeof(buf), v);
  const auto len = static_cast<int>(res.ptr - buf);
  if (len < width) out.append(static_cast<size_t>(width - len), '0');
  out.append(buf, res.ptr);
}

void appendQuotedFloat(std::string& out, double v) {
  out.push_back('"');
  support::appendFloat(out, v);
  out.push_back('"');
}

// A Go map[string]string: keys sorted bytewise, the last duplicate wins.
void appendStringMap(std::string& out, const std::map<std::string, std::string>& map) {
  out.push_back('{');
  bool first = true;
  for (const auto& [key, value] : map) {
    if (!first) out.push_back(',');
    first = false;
    appendJsonString(out, key);
    out.push_back(':');
    appendJsonString(out, value);
  }
  out.push_back('}');
}

void appendLabels(std::string& out, const Metric& metric) {
  std::map<std::string, std::string> labels;
  for (const auto& label : metric.label()) labels[label.name()] = label.value();
  appendStringMap(out, labels);
}

// A histogram count as 1.10+ prints it: the float count when positive, else the integer.
std::string histogramCount(double float_count, uint64_t count) {
  std::string out;
  if (float_count > 0) {
    support::appendFloat(out, float_count);
  } else {
    appendUint(out, count);
  }
  return out;
}

bool hasNativeBuckets(const io::prometheus::client::Histogram& h) {
  return h.has_schema() || h.zero_threshold() > 0 || h.positive_span_size() > 0 ||
         h.negative_span_size() > 0 || h.has_zero_count_float() || h.has_zero_count();
}

// Buckets of one side of a native histogram: spans of consecutive bucket indexes, counts as
// deltas (integer histograms) or absolute (float histograms). Bucket i covers
// (base^(i-1), base^i] with base = 2^(2^-schema); negative buckets mirror them.
template <typename Spans, typename Deltas, typename Counts>
void appendNativeBuckets(std::string& out, int32_t schema, const Spans& spans, const Deltas& deltas,
                         const Counts& counts, bool negative) {
  out.push_back('[');
  const double width = std::ldexp(1.0, -schema);  // log2 of the base
  int64_t index = 0;
  int64_t count = 0;
  int position = 0;
  bool first = true;
  for (int s = 0; s < spans.size(); ++s) {
    index += spans.Get(s).offset();
    for (uint32_t k = 0; k < spans.Get(s).length(); ++k, ++index, ++position) {
      std::string value;
      if (position < counts.size()) {
        support::appendFloat(value, counts.Get(position));
      } else if (position < deltas.size()) {
        count += deltas.Get(position);
        value = std::to_string(count);
      } else {
        return;  // fewer counts than the spans promise: show what there is
      }
      double upper = std::exp2(static_cast<double>(index) * width);
      double lower = std::exp2(static_cast<double>(index - 1) * width);
      if (!first) out.push_back(',');
      first = false;
      out += "{\"lower\":";
      appendQuotedFloat(out, negative ? -upper : lower);
      out += ",\"upper\":";
      appendQuotedFloat(out, negative ? -lower : upper);
      out += ",\"count\":";
      appendJsonString(out, value);
      out.push_back('}');
    }
  }
  out.push_back(']');
}

void appendNative(std::string& out, const io::prometheus::client::Histogram& h) {
  out += "\"native\":{\"schema\":";
  out += std::to_string(h.schema());
  out += ",\"zero_threshold\":";
  appendQuotedFloat(out, h.zero_threshold());
  out += ",\"zero_count\":";
  appendJsonString(out, histogramCount(h.zero_count_float(), h.zero_count()));
  out += ",\"positive\":";
  appendNativeBuckets(out, h.schema(), h.positive_span(), h.positive_delta(), h.positive_count(),
                      false);
  out += ",\"negative\":";
  appendNativeBuckets(out, h.schema(), h.negative_span(), h.negative_delta(), h.negative_count(),
                      true);
  out.push_back('}');
}

void appendMetric(std::string& out, const MetricFamily& family, const Metric& metric,
                  const ApiFamilyOptions& options) {
  switch (family.type()) {
    case io::prometheus::client::SUMMARY: {
      const auto& summary = metric.summary();
      std::map<std::string, std::string> quantiles;
      for (const auto& q : summary.quantile()) {
        quantiles[support::formatFloat(q.quantile())] = support::formatFloat(q.value());
      }
      out += "{\"count\":\"";
      appendUint(out, summary.sample_count());
      out += "\",\"labels\":";
      appendLabels(out, metric);
      out += ",\"quantiles\":";
      appendStringMap(out, quantiles);
      out += ",\"sum\":";
      appendQuotedFloat(out, summary.sample_sum());
      out.push_back('}');
      return;
    }
    case io::prometheus::client::HISTOGRAM: {
      const auto& histogram = metric.histogram();
      std::map<std::string, std::string> buckets;
      for (const auto& b : histogram.bucket()) {
        buckets[support::formatFloat(b.upper_bound())] =
            histogramCount(b.cumulative_count_float(), b.cumulative_count());
      }
      out += "{\"buckets\":";
      appendStringMap(out, buckets);
      out += ",\"count\":";
      appendJsonString(out,
                       histogramCount(histogram.sample_count_float(), histogram.sample_count()));
      out += ",\"labels\":";
      appendLabels(out, metric);
      if (options.native_histograms && hasNativeBuckets(histogram)) {
        out.push_back(',');
        appendNative(out, histogram);
      }
      out += ",\"sum\":";
      appendQuotedFloat(out, histogram.sample_sum());
      out.push_back('}');
      return;
    }
    default: {
      double value = 0;
      if (metric.has_gauge()) {
        value = metric.gauge().value();
      } else if (metric.has_counter()) {
        value = metric.counter().value();
      } else if (metric.has_untyped()) {
        value = metric.untyped().value();
      }
      out += "{\"labels\":";
      appendLabels(out, metric);
      out += ",\"value\":";
      appendQuotedFloat(out, value);
      out.push_back('}');
      return;
    }
  }
}

void appendFamily(std::string& out, const ApiFamily& entry, const ApiFamilyOptions& options) {
  const MetricFamily& family = *entry.family;
  out.push_back('{');
  if (options.with_name) {
    out += "\"name\":";
    appendJsonString(out, family.name());
    out.push_back(',');
  }
  out += "\"time_stamp\":\"";
  out += formatRfc3339Nano(entry.timestamp_nanos);
  out += "\",\"type\":";
  // Go's generated String() falls back to the number for an unknown enum value.
  const auto* type = io::prometheus::client::MetricType_descriptor()->FindValueByNumber(
      static_cast<int>(family.type()));
  appendJsonString(
      out, type != nullptr ? type->name() : std::to_string(static_cast<int>(family.type())));
  if (!family.help().empty()) {
    out += ",\"help\":";
    appendJsonString(out, family.help());
  }
  out += ",\"metrics\":[";
  for (int i = 0; i < family.metric_size(); ++i) {
    if (i > 0) out.push_back(',');
    appendMetric(out, family, family.metric(i), options);
  }
  out += "]}";
}

}  // namespace

std::string formatRfc3339Nano(int64_t unix_nanos) {
  constexpr int64_t kNanosPerSecond = 1000000000;
  constexpr int64_t kSecondsPerDay = 86400;
  int64_t seconds = unix_nanos / kNanosPerSecond;
  int64_t nanos = unix_nanos % kNanosPerSecond;
  if (nanos < 0) {
    nanos += kNanosPerSecond;
    --seconds;
  }
  int64_t days = seconds / kSecondsPerDay;
  int64_t day_seconds = seconds % kSecondsPerDay;
  if (day_seconds < 0) {
    day_seconds += kSecondsPerDay;
    --days;
  }
  // Days since 1970-01-01 to a proleptic Gregorian civil date (H. Hinnant's algorithm).
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);

  std::string out;
  appendPadded(out, year, 4);
  out.push_back('-');
  appendPadded(out, month, 2);
  out.push_back('-');
  appendPadded(out, day, 2);
  out.push_back('T');
  appendPadded(out, day_seconds / 3600, 2);
  out.push_back(':');
  appendPadded(out, day_seconds / 60 % 60, 2);
  out.push_back(':');
  appendPadded(out, day_seconds % 60, 2);
  if (nanos != 0) {
    std::string fraction;
    appendPadded(fraction, nanos, 9);
    fraction.erase(fraction.find_last_not_of('0') + 1);
    out.push_back('.');
    out += fraction;
  }
  out.push_back('Z');
  return out;
}

void appendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  size_t start = 0;
  auto flush = [&](size_t end) { out.append(s.data() + start, end - start); };
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
        ++i;
        continue;
      }
      flush(i);
      switch (c) {
        case '"':
        case '\\':
          out.push_back('\\');
          out.push_back(static_cast<char>(c));
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          out += "\\u00";
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xF]);
      }
      start = ++i;
      continue;
    }
    const size_t len = validUtf8Len(s.substr(i));
    if (len == 0) {
      flush(i);
      out += "\\ufffd";
      start = ++i;
      continue;
    }
    // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR (E2 80 A8/A9) break JavaScript.
    if (len == 3 && c == 0xE2 && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(s[i + 2]) & 0xFE) == 0xA8) {
      flush(i);
      out += static_cast<unsigned char>(s[i + 2]) == 0xA8 ? "\\u2028" : "\\u2029";
      i += 3;
      start = i;
      continue;
    }
    i += len;
  }
  flush(s.size());
  out.push_back('"');
}

void appendApiGroupJson(std::string& out, const ApiGroup& group) {
  // The group is a Go map[string]interface{}: every key sorts together and a family whose
  // name is "labels" or "last_push_successful" overwrites that entry.
  // A null value stands for one of the two fixed entries.
  std::map<std::string, const ApiFamily*> keys;
  keys["labels"] = nullptr;
  keys["last_push_successful"] = nullptr;
  for (const ApiFamily& family : group.families) {
    if (family.family != nullptr) keys[family.family->name()] = &family;
  }

  out.push_back('{');
  bool first = true;
  for (const auto& [key, family] : keys) {
    if (!first) out.push_back(',');
    first = false;
    appendJsonString(out, key);
    out.push_back(':');
    if (family != nullptr) {
      appendFamily(out, *family, {});
    } else if (key == "labels") {
      std::map<std::string, std::string> labels;
      for (const auto& [name, value] : group.labels) labels[name] = value;
      appendStringMap(out, labels);
    } else {
      out += group.last_push_successful ? "true" : "false";
    }
  }
  out.push_back('}');
}

void appendApiFamilyJson(std::string& out, const ApiFamily& family,
                         const ApiFamilyOptions& options) {
  appendFamily(out, family, options);
}

}  // namespace ferry::core::expo
