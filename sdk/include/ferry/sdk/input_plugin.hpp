// Input plugins: turn a push body into metric families.
#pragma once

#include <ferry/plugin_abi.h>

#include <ferry/sdk/families.hpp>
#include <ferry/sdk/media_type.hpp>
#include <string_view>

namespace ferry::sdk {

class InputPlugin {
 public:
  static constexpr ferry_plugin_kind kKind = FERRY_KIND_INPUT;
  virtual ~InputPlugin() = default;

  // True if this plugin parses bodies of this Content-Type. `content_type` is the request's
  // Content-Type header exactly as the client sent it: any letter case, with parameters and
  // quoted values, empty when there is none. Compare it with mediaTypeIs() or parseMediaType(),
  // not as a string. Ferry asks its input plugins in the configured order and the first that
  // accepts parses the body. Called concurrently.
  virtual bool accepts(std::string_view content_type) const = 0;

  // Hands the families of `body` (already decompressed) to `out`; throw invalidInput(...) for a
  // body that is wrong (HTTP 400 with the message). Called concurrently: keep no state between
  // calls.
  virtual void parse(std::string_view content_type, std::string_view body, Families& out) = 0;
};

}  // namespace ferry::sdk
