#include "core/store/exposition.h"

#include <ferry/families/proto_text.hpp>
#include <map>

#include "core/expo/json_api.h"
#include "core/expo/text_format.h"
#include "core/store/wire_format.h"

namespace ferry::core::store {
namespace {

// MetricFamily.metric (field 4) entries for each metric, as protobuf bytes.
void appendMetricFields(std::string& out, const pb::Metric& metric) {
  wire::appendVarint(out, (4 << 3) | 2);
  wire::appendVarint(out, metric.ByteSizeLong());
  size_t at = out.size();
  out.resize(at + metric.GetCachedSize());
  metric.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(&out[at]));
}

}  // namespace

size_t Exposition::Body::size() const {
  size_t total = 0;
  for (auto piece : pieces_) total += piece.size();
  return total;
}

std::string Exposition::Body::join() const {
  std::string out;
  out.reserve(size());
  for (auto piece : pieces_) out += piece;
  return out;
}

void Exposition::Body::reservePieces(size_t own_families) {
  size_t count = 2 * own_families;
  for (const auto& block : *blocks_) count += 2 + block.body->pieces.size();
  pieces_.reserve(count);
}

void Exposition::Body::append(const Chunk& chunk) {
  pieces_.insert(pieces_.end(), chunk.pieces.begin(), chunk.pieces.end());
}

std::string_view Exposition::Body::own(std::string text) {
  owned_.push_back(std::move(text));
  return owned_.back();
}

Exposition::Exposition(const Store& store)
    : store_(store), releaser_(store.addMemoryReleaser([this] { releaseStale(); })) {}

Exposition::~Exposition() { store_.removeMemoryReleaser(releaser_); }

void Exposition::releaseStale() {
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t generation = store_.generation();
  for (Cache* cache : {&text_, &proto_}) {
    // A body being sent keeps its blocks (shared) until it is done.
    if (cache->generation != generation) *cache = Cache{};
  }
}

bool Exposition::holdsCache() {
  std::lock_guard<std::mutex> lock(mu_);
  return text_.blocks != nullptr || proto_.blocks != nullptr;
}

void Exposition::cached(bool protobuf, Body& body) {
  Cache& cache = protobuf ? proto_ : text_;
  // Under the store's read lock every family the index refers to is alive, and so is every
  // family of a cached chunk whose index version is unchanged: pinning them here keeps them
  // alive for as long as the body is sent, whatever is written meanwhile.
  auto pin = [&body](const std::vector<Block>& blocks) {
    size_t count = 0;
    for (const auto& block : blocks) count += block.body->families.size();
    body.pinned_.reserve(count);
    for (const auto& block : blocks) {
      for (const auto* family : block.body->families) {
        body.pinned_.push_back(family->shared_from_this());
      }
    }
  };
  bool current = store_.read([&](const StoreView& view) {
    if (!cache.blocks || cache.generation != view.generation) return false;
    pin(*cache.blocks);
    return true;
  });
  if (current) {
    body.blocks_ = cache.blocks;
    return;
  }
  auto blocks = std::make_shared<std::vector<Block>>();
  store_.read([&](const StoreView& view) {
    blocks->reserve(view.index.families().size());
    std::map<std::string, std::pair<uint64_t, std::shared_ptr<const Chunk>>> rendered;
    for (const auto& [name, indexed] : view.index.families()) {
      if (indexed.series.empty()) continue;
      const std::string* help = indexed.help();
      Block block{name, help != nullptr, help ? *help : std::string(), indexed.type, {}, {}};
      if (!protobuf) expo::appendFamilyHeader(block.header, name, help, indexed.type);
      auto previous = cache.rendered.find(name);
      if (previous != cache.rendered.end() && previous->second.first == indexed.version) {
        block.body = previous->second.second;
      } else {
        auto chunk = std::make_shared<Chunk>();
        chunk->families.reserve(indexed.contributors.size());
        for (const auto& [group_key, family] : indexed.contributors) {
          chunk->families.push_back(family);
        }
        for (const auto& [key, ref] : indexed.series) {
          std::string_view piece =
              protobuf ? ref.family->metricField(ref.index) : ref.family->text(ref.index);
          chunk->size += piece.size();
          if (!chunk->pieces.empty() &&
              chunk->pieces.back().data() + chunk->pieces.back().size() == piece.data()) {
            chunk->pieces.back() = std::string_view(chunk->pieces.back().data(),
                                                    chunk->pieces.back().size() + piece.size());
          } else {
            chunk->pieces.push_back(piece);
          }
        }
        chunk->pieces.shrink_to_fit();
        block.body = std::move(chunk);
      }
      rendered.emplace(name, std::make_pair(indexed.version, block.body));
      blocks->push_back(std::move(block));
    }
    cache.rendered = std::move(rendered);
    cache.generation = view.generation;
    pin(*blocks);
    return 0;
  });
  cache.blocks = std::move(blocks);
  body.blocks_ = cache.blocks;
}

Exposition::Body Exposition::render(expo::Format format, const std::vector<pb::MetricFamily>& own) {
  Body body;
  std::lock_guard<std::mutex> lock(mu_);
  switch (format) {
    case expo::Format::kText:
      renderText(own, body);
      break;
    case expo::Format::kProtoDelimited:
      renderDelimited(own, body);
      break;
    case expo::Format::kProtoText:
    case expo::Format::kProtoCompactText:
      renderProtoText(format, own, body);
      break;
  }
  return body;
}

void Exposition::renderText(const std::vector<pb::MetricFamily>& own, Body& body) {
  cached(false, body);
  const auto& blocks = *body.blocks_;
  body.reservePieces(own.size());
  size_t b = 0;
  for (const auto& family : own) {
    if (family.metric_size() == 0) continue;
    while (b < blocks.size() && blocks[b].name < family.name()) {
      body.pieces_.push_back(blocks[b].header);
      body.append(*blocks[b].body);
      ++b;
    }
    std::string text;
    expo::appendFamilyHeader(text, family);
    for (const auto& metric : family.metric()) {
      expo::appendMetricText(text, family.name(), family.type(), metric);
    }
    body.pieces_.push_back(body.own(std::move(text)));
    if (b < blocks.size() && blocks[b].name == family.name()) body.append(*blocks[b++].body);
  }
  for (; b < blocks.size(); ++b) {
    body.pieces_.push_back(blocks[b].header);
    body.append(*blocks[b].body);
  }
}

void Exposition::renderDelimited(const std::vector<pb::MetricFamily>& own, Body& body) {
  cached(true, body);
  const auto& blocks = *body.blocks_;
  body.reservePieces(own.size());
  // Each family: a varint-delimited MetricFamily whose header fields are written here and
  // whose metrics (field 4) are the cached block, spliced in as a separate piece.
  auto header = [&](const std::string& name, const std::string* help, pb::MetricType type,
                    size_t metrics_size) {
    std::string fields;
    wire::appendLengthDelimited(fields, 1, name);
    if (help) wire::appendLengthDelimited(fields, 2, *help);
    wire::appendVarintField(fields, 3, static_cast<uint64_t>(type));
    std::string out;
    wire::appendVarint(out, fields.size() + metrics_size);
    return out + fields;
  };
  size_t b = 0;
  auto stored = [&](const Block& block) {
    body.pieces_.push_back(body.own(
        header(block.name, block.has_help ? &block.help : nullptr, block.type, block.body->size)));
    body.append(*block.body);
  };
  for (const auto& family : own) {
    if (family.metric_size() == 0) continue;
    while (b < blocks.size() && blocks[b].name < family.name()) stored(blocks[b++]);
    std::string own_metrics;
    for (const auto& metric : family.metric()) appendMetricFields(own_metrics, metric);
    bool both = b < blocks.size() && blocks[b].name == family.name();
    size_t metrics_size = own_metrics.size() + (both ? blocks[b].body->size : 0);
    body.pieces_.push_back(
        body.own(header(family.name(), family.has_help() ? &family.help() : nullptr, family.type(),
                        metrics_size) +
                 own_metrics));
    if (both) body.append(*blocks[b++].body);
  }
  for (; b < blocks.size(); ++b) stored(blocks[b]);
}

void Exposition::renderProtoText(expo::Format format, const std::vector<pb::MetricFamily>& own,
                                 Body& body) {
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
        if (const std::string* help = indexed.help()) family.set_help(*help);
        family.set_type(indexed.type);
      }
      for (const auto& [key, ref] : indexed.series) {
        *family.add_metric() = ref.family->metric(ref.index);
      }
    }
    return 0;
  });
  std::string out;
  for (const auto& [name, family] : merged) {
    if (format == expo::Format::kProtoText) {
      families::appendProtoText(out, family);
    } else {
      families::appendProtoCompactText(out, family);
    }
  }
  body.pieces_.push_back(body.own(std::move(out)));
}

std::string Exposition::renderApiMetrics() {
  std::string out = "{\"status\":\"success\",\"data\":[";
  store_.read([&](const StoreView& view) {
    bool first = true;
    std::vector<pb::MetricFamily> messages;
    for (const auto& [key, group] : view.groups) {
      if (group->expired) continue;  // hidden ("expired": "hide"): served nowhere
      expo::ApiGroup api;
      api.labels.assign(group->labels.begin(), group->labels.end());
      api.last_push_successful = !(group->failureTime() > group->pushTime());
      messages.clear();
      messages.reserve(group->families.size());
      for (const auto& [name, family] : group->families) messages.push_back(family->message());
      size_t i = 0;
      for (const auto& [name, family] : group->families) {
        api.families.push_back({&messages[i++], family->timestampNanos()});
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
