// Input plugins: turn a push body into metric families.
#pragma once

#include <ferry/plugin_abi.h>

#include <ferry/sdk/bytes.hpp>
#include <string_view>

namespace ferry::sdk {

// Output bytes of one call; the host copies what is written.
class Output {
 public:
  Output(const ferry_host* host, ferry_sink* sink) : host_(host), sink_(sink) {}
  void write(std::string_view data) { host_->sink_write(sink_, toBytes(data)); }

 private:
  const ferry_host* host_;
  ferry_sink* sink_;
};

class InputPlugin {
 public:
  static constexpr ferry_plugin_kind kKind = FERRY_KIND_INPUT;
  virtual ~InputPlugin() = default;
  // True if this plugin parses bodies of this Content-Type (the header may be empty).
  virtual bool accepts(std::string_view content_type) const = 0;
  // Writes delimited io.prometheus.client.MetricFamily messages to `out`. Throw
  // invalidInput(...) for a body that is wrong. Called concurrently.
  virtual void parse(std::string_view content_type, std::string_view body, Output& out) = 0;
};

}  // namespace ferry::sdk
