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
  static inline const sdk::ConfigKeys kConfigKeys = {};

  ProtobufInput(const ferry::sdk::Host& /*host*/, ferry::sdk::Config& /*config*/) {}

  bool accepts(std::string_view content_type) const override {
    return isDelimitedProtobuf(content_type);
  }

  // The body already is delimited MetricFamily messages: it is parsed to refuse what
  // Pushgateway HEAD refuses (truncated or malformed streams) plus invalid family names, and
  // then handed over as bytes, unknown fields and all. Usually that is the body itself (Ferry
  // decodes it straight into the push); only when a later family replaces an earlier one of
  // its name is the stream written again, without the replaced family.
  void parse(std::string_view /*content_type*/, std::string_view body,
             ferry::sdk::Families& out) override {
    std::vector<io::prometheus::client::MetricFamily> families;
    bool replaced = false;
    if (auto error = parseDelimited(body, families, &replaced)) {
      throw ferry::sdk::invalidInput(error->message);
    }
    if (replaced) {
      out.addDelimited(toDelimited(families));
    } else {
      out.addDelimited(body);
    }
  }
};

}  // namespace ferry::plugins::protobuf

FERRY_PLUGIN(ferry::plugins::protobuf::ProtobufInput, "protobuf", "1.0.0",
             "Delimited io.prometheus.client.MetricFamily protobuf")
