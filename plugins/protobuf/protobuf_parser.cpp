#include "protobuf_parser.h"

#include <climits>
#include <cstdint>
#include <ferry/sdk/media_type.hpp>
#include <ferry/support/go_quote.hpp>
#include <ferry/support/names.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace ferry::plugins::protobuf {
namespace {

using io::prometheus::client::MetricFamily;

constexpr char kUnexpectedEof[] = "unexpected EOF";
constexpr char kVarintOverflow[] = "proto: variable length integer overflow";
constexpr char kInvalidWireFormat[] = "proto: cannot parse invalid wire-format data";
constexpr uint64_t kGoMaxInt = INT64_MAX;
constexpr size_t kMaxVarintLen64 = 10;

// protodelim.UnmarshalFrom's length prefix: up to 10 bytes, then protowire.ConsumeVarint.
std::optional<ParseError> readLength(std::string_view body, size_t& pos, uint64_t& size) {
  uint64_t v = 0;
  for (size_t i = 0; i < kMaxVarintLen64; ++i) {
    if (pos + i >= body.size()) return ParseError{kUnexpectedEof};
    const uint64_t b = static_cast<unsigned char>(body[pos + i]);
    if (i == kMaxVarintLen64 - 1 && b >= 2) return ParseError{kVarintOverflow};
    v |= (b & 0x7f) << (7 * i);
    if (b < 0x80) {
      pos += i + 1;
      size = v;
      return std::nullopt;
    }
  }
  return ParseError{kVarintOverflow};  // unreachable: the tenth byte is always decided above
}

void appendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

}  // namespace

bool isDelimitedProtobuf(std::string_view content_type) {
  // Go compares the parameter values exactly, so this does too (not MediaType::is()).
  const std::optional<sdk::MediaType> media = sdk::parseMediaType(content_type);
  if (!media || media->type != "application/vnd.google.protobuf") return false;
  return media->param("proto") == "io.prometheus.client.MetricFamily" &&
         media->param("encoding") == "delimited";
}

std::optional<ParseError> parseDelimited(std::string_view body, std::vector<MetricFamily>& out,
                                         bool* replaced) {
  out.clear();
  if (replaced) *replaced = false;
  std::unordered_map<std::string, size_t> position_by_name;
  auto fail = [&out](std::string message) {
    out.clear();
    return std::optional<ParseError>(ParseError{std::move(message)});
  };
  size_t pos = 0;
  while (pos < body.size()) {
    uint64_t size = 0;
    if (auto err = readLength(body, pos, size)) return fail(std::move(err->message));
    if (size > kGoMaxInt) {
      return fail("proto: : message size " + std::to_string(size) +
                  " exceeded unmarshaler's maximum configured size " + std::to_string(kGoMaxInt));
    }
    // Checked before anything is allocated: the length is the client's claim.
    if (size > body.size() - pos) return fail(kUnexpectedEof);
    if (size > static_cast<uint64_t>(INT_MAX)) {
      return fail("proto: message of " + std::to_string(size) +
                  " bytes exceeds the 2 GiB protobuf limit");
    }
    MetricFamily family;
    if (!family.ParseFromArray(body.data() + pos, static_cast<int>(size))) {
      return fail(kInvalidWireFormat);
    }
    pos += static_cast<size_t>(size);
    if (!support::isValidMetricName(family.name())) {
      return fail("invalid metric name " + support::goQuote(family.name()));
    }
    auto [it, inserted] = position_by_name.emplace(family.name(), out.size());
    if (inserted) {
      out.push_back(std::move(family));
    } else {
      out[it->second] = std::move(family);
      if (replaced) *replaced = true;
    }
  }
  return std::nullopt;
}

std::string toDelimited(const std::vector<MetricFamily>& families) {
  std::string out;
  for (const MetricFamily& family : families) {
    const size_t size = family.ByteSizeLong();
    appendVarint(out, size);
    const size_t start = out.size();
    out.resize(start + size);
    family.SerializeWithCachedSizesToArray(reinterpret_cast<uint8_t*>(&out[start]));
  }
  return out;
}

}  // namespace ferry::plugins::protobuf
