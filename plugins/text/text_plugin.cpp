// The `text` input plugin: Prometheus text exposition format 0.0.4. Pushgateway parses every
// body that is not delimited protobuf as text, so this plugin accepts every Content-Type and
// the host asks it last.
#include <ferry/sdk.hpp>
#include <string_view>

#include "plugins/text/text_parser.h"

namespace ferry::plugins::text {
namespace {

class TextInput final : public ferry::sdk::InputPlugin {
 public:
  TextInput(const ferry::sdk::Host& /*host*/, ferry::sdk::Config& /*config*/) {}

  bool accepts(std::string_view /*content_type*/) const override { return true; }

  void parse(std::string_view /*content_type*/, std::string_view body,
             ferry::sdk::Output& out) override {
    const auto error =
        parseTextDelimited(body, [&out](std::string_view chunk) { out.write(chunk); });
    if (error) throw ferry::sdk::invalidInput(error->message);
  }
};

}  // namespace
}  // namespace ferry::plugins::text

FERRY_PLUGIN(ferry::plugins::text::TextInput, "text", "1.0.0",
             "Prometheus text exposition format 0.0.4", "{}")
