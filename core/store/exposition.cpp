#include "core/store/exposition.h"

#include <map>

#include "core/expo/json_api.h"
#include "core/expo/proto_text.h"
#include "core/expo/text_format.h"

namespace ferry::core::store {
namespace {

void appendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void appendLengthDelimited(std::string& out, uint32_t field, const std::string& bytes) {
  appendVarint(out, (field << 3) | 2);
  appendVarint(out, bytes.size());
  out += bytes;
}

// MetricFamily.metric (field 4) entries for each metric, as protobuf bytes.
void appendMetricFields(std::string& out, const pb::Metric& metric) {
  appendVarint(out, (4 << 3) | 2);
  appendVarint(out, metric.ByteSizeLong());
  size_t at = out.size();
  out.resize(at + metric.GetCachedSize());
  metric.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(&out[at]));
}

// One varint-delimited MetricFamily from its parts.
void appendDelimitedFamily(std::string& out, const std::string& name, const std::string& help,
                           pb::MetricType type, const std::string& own_metrics,
                           const std::string& stored_metrics) {
  std::string message;
  message.reserve(name.size() + help.size() + own_metrics.size() + stored_metrics.size() + 16);
  appendLengthDelimited(message, 1, name);
  if (!help.empty()) appendLengthDelimited(message, 2, help);
  appendVarint(message, (3 << 3) | 0);
  appendVarint(message, static_cast<uint64_t>(type));
  message += own_metrics;
  message += stored_metrics;
  appendVarint(out, message.size());
  out += message;
}

}  // namespace

const std::vector<Exposition::Block>& Exposition::cached(bool protobuf) {
  Cache& cache = protobuf ? proto_ : text_;
  if (cache.generation == store_.generation()) return cache.blocks;
  store_.read([&](const StoreView& view) {
    cache.blocks.clear();
    cache.blocks.reserve(view.index.families().size());
    for (const auto& [name, indexed] : view.index.families()) {
      if (indexed.series.empty()) continue;
      Block block{name, indexed.help(), indexed.type, {}, {}};
      if (protobuf) {
        for (const auto& [key, ref] : indexed.series) {
          appendMetricFields(block.body, ref.family->family.metric(ref.index));
        }
      } else {
        expo::appendFamilyHeader(block.header, name, block.help, indexed.type);
        size_t size = 0;
        for (const auto& [key, ref] : indexed.series) size += ref.family->texts[ref.index].size();
        block.body.reserve(size);
        for (const auto& [key, ref] : indexed.series) block.body += ref.family->texts[ref.index];
      }
      cache.blocks.push_back(std::move(block));
    }
    cache.generation = view.generation;
    return 0;
  });
  return cache.blocks;
}

std::string Exposition::render(expo::Format format, const std::vector<pb::MetricFamily>& own) {
  std::lock_guard<std::mutex> lock(mu_);
  switch (format) {
    case expo::Format::kText:
      return renderText(own);
    case expo::Format::kProtoDelimited:
      return renderDelimited(own);
    case expo::Format::kProtoText:
    case expo::Format::kProtoCompactText:
      return renderProtoText(format, own);
  }
  return renderText(own);
}

std::string Exposition::renderText(const std::vector<pb::MetricFamily>& own) {
  const auto& blocks = cached(false);
  size_t total = 0;
  for (const auto& b : blocks) total += b.header.size() + b.body.size();
  std::string out;
  out.reserve(total + 8192);
  auto appendOwn = [&](const pb::MetricFamily& family, bool header) {
    if (header) expo::appendFamilyHeader(out, family.name(), family.help(), family.type());
    for (const auto& metric : family.metric()) {
      expo::appendMetricText(out, family.name(), family.type(), metric);
    }
  };
  size_t b = 0;
  for (const auto& family : own) {
    if (family.metric_size() == 0) continue;
    while (b < blocks.size() && blocks[b].name < family.name()) {
      out += blocks[b].header;
      out += blocks[b].body;
      ++b;
    }
    appendOwn(family, true);
    if (b < blocks.size() && blocks[b].name == family.name()) out += blocks[b++].body;
  }
  for (; b < blocks.size(); ++b) {
    out += blocks[b].header;
    out += blocks[b].body;
  }
  return out;
}

std::string Exposition::renderDelimited(const std::vector<pb::MetricFamily>& own) {
  const auto& blocks = cached(true);
  size_t total = 0;
  for (const auto& b : blocks) total += b.name.size() + b.help.size() + b.body.size() + 16;
  std::string out;
  out.reserve(total + 8192);
  static const std::string kNone;
  size_t b = 0;
  for (const auto& family : own) {
    if (family.metric_size() == 0) continue;
    while (b < blocks.size() && blocks[b].name < family.name()) {
      appendDelimitedFamily(out, blocks[b].name, blocks[b].help, blocks[b].type, kNone,
                            blocks[b].body);
      ++b;
    }
    std::string own_metrics;
    for (const auto& metric : family.metric()) appendMetricFields(own_metrics, metric);
    bool both = b < blocks.size() && blocks[b].name == family.name();
    appendDelimitedFamily(out, family.name(), family.help(), family.type(), own_metrics,
                          both ? blocks[b].body : kNone);
    if (both) ++b;
  }
  for (; b < blocks.size(); ++b) {
    appendDelimitedFamily(out, blocks[b].name, blocks[b].help, blocks[b].type, kNone,
                          blocks[b].body);
  }
  return out;
}

std::string Exposition::renderProtoText(expo::Format format,
                                        const std::vector<pb::MetricFamily>& own) {
  // Rarely used (humans debugging): build merged families and print them.
  std::map<std::string, pb::MetricFamily> merged;
  for (const auto& family : own) {
    if (family.metric_size() > 0) merged[family.name()] = family;
  }
  store_.read([&](const StoreView& view) {
    for (const auto& [name, indexed] : view.index.families()) {
      if (indexed.series.empty()) continue;
      auto [it, inserted] = merged.try_emplace(name);
      pb::MetricFamily& family = it->second;
      if (inserted) {
        family.set_name(name);
        if (!indexed.help().empty()) family.set_help(indexed.help());
        family.set_type(indexed.type);
      }
      for (const auto& [key, ref] : indexed.series) {
        *family.add_metric() = ref.family->family.metric(ref.index);
      }
    }
    return 0;
  });
  std::string out;
  for (const auto& [name, family] : merged) {
    if (format == expo::Format::kProtoText) {
      expo::appendProtoText(out, family);
    } else {
      expo::appendProtoCompactText(out, family);
    }
  }
  return out;
}

std::string Exposition::renderApiMetrics() {
  std::string out = "{\"status\":\"success\",\"data\":[";
  store_.read([&](const StoreView& view) {
    bool first = true;
    for (const auto& [key, group] : view.groups) {
      expo::ApiGroup api;
      api.labels.assign(group->labels.begin(), group->labels.end());
      api.last_push_successful = !(group->failureTime() > group->pushTime());
      for (const auto& [name, family] : group->families) {
        api.families.push_back({&family->family, family->timestamp_nanos});
      }
      if (!first) out += ',';
      first = false;
      expo::appendApiGroupJson(out, api);
    }
    return 0;
  });
  out += "]}";
  return out;
}

}  // namespace ferry::core::store
