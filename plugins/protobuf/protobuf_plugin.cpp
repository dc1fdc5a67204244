// The "protobuf" input plugin: Pushgateway's delimited MetricFamily push format.
#include <ferry/sdk.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "protobuf_parser.h"

namespace ferry::plugins::protobuf {

class ProtobufInput : public ferry::sdk::InputPlugin {
 public:
  // No settings: the format has nothing to configure.
  ProtobufInput(const ferry::sdk::Host& /*host*/, ferry::sdk::Config& /*config*/) {}

  bool accepts(std::string_view content_type) const override {
    return isDelimitedProtobuf(content_type);
  }

  // The body already is the output format; it is parsed anyway to reject what Pushgateway HEAD
  // rejects (truncated or malformed streams) plus invalid family names, and to apply "a later
  // family of the same name replaces the earlier one" before the host sees it.
  void parse(std::string_view /*content_type*/, std::string_view body,
             ferry::sdk::Output& out) override {
    std::vector<io::prometheus::client::MetricFamily> families;
    if (auto error = parseDelimited(body, families)) throw ferry::sdk::invalidInput(error->message);
    out.write(toDelimited(families));
  }
};

}  // namespace ferry::plugins::protobuf

FERRY_PLUGIN(ferry::plugins::protobuf::ProtobufInput, "protobuf", "1.0.0",
             "Delimited io.prometheus.client.MetricFamily protobuf", "{}")
