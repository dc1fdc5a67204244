#include "ferry/testkit/input_driver.h"

#include <ferry/metrics.pb.h>
#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <ferry/families/family_collector.hpp>
#include <ferry/sdk/bytes.hpp>

namespace ferry::testkit {

DecodedFamilies decodeDelimitedFamilies(const std::string& bytes) {
  DecodedFamilies result;
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  in.SetTotalBytesLimit(static_cast<int>(bytes.size()) + 1);
  while (in.BytesUntilTotalBytesLimit() > 1) {
    uint32_t size = 0;
    size_t offset = static_cast<size_t>(in.CurrentPosition());
    if (!in.ReadVarint32(&size)) {
      result.error = "bad length prefix at byte " + std::to_string(offset);
      return result;
    }
    auto limit = in.PushLimit(static_cast<int>(size));
    io::prometheus::client::MetricFamily family;
    if (!family.ParseFromCodedStream(&in) || !in.ConsumedEntireMessage()) {
      result.error = "malformed MetricFamily message at byte " + std::to_string(offset);
      return result;
    }
    in.PopLimit(limit);
    result.names.push_back(family.name());
    result.metrics += static_cast<size_t>(family.metric_size());
  }
  result.ok = true;
  return result;
}

std::unique_ptr<InputDriver> InputDriver::open(const PluginLibrary& library,
                                               const std::string& config_json, CallResult* error) {
  return PluginInstance::open<InputDriver>(library, config_json, error);
}

bool InputDriver::accepts(const std::string& content_type) const {
  return library_.input().accepts(instance_, sdk::toBytes(content_type)) != 0;
}

ParseResult InputDriver::parse(const std::string& content_type, const std::string& body) const {
  ParseResult result;
  std::string message;
  if (!library_.hasParseFamilies()) {
    ferry_status status =
        library_.input().parse(instance_, sdk::toBytes(content_type), sdk::toBytes(body),
                               asSink(&result.output), asError(&message));
    result.call = CallResult{status, status == FERRY_OK ? std::string() : std::move(message)};
    return result;
  }
  // The family builder, as Ferry runs it; the families are then encoded as delimited bytes, the
  // form every input plugin's output is compared and checked in.
  google::protobuf::Arena arena;
  families::FamilyCollector collector(&arena);
  ferry_status status =
      library_.input().parse_families(instance_, sdk::toBytes(content_type), sdk::toBytes(body),
                                      collector.handle(), asError(&message));
  if (collector.status() != FERRY_OK) {
    result.call = CallResult{collector.status(), collector.message()};
    return result;
  }
  result.call = CallResult{status, status == FERRY_OK ? std::string() : std::move(message)};
  if (status != FERRY_OK) return result;
  for (const auto* family : collector.families()) {
    google::protobuf::io::StringOutputStream stream(&result.output);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.WriteVarint32(static_cast<uint32_t>(family->ByteSizeLong()));
    family->SerializeWithCachedSizes(&coded);
  }
  return result;
}

}  // namespace ferry::testkit
