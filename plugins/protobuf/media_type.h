#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::plugins::protobuf {

struct MediaType {
  std::string type;                           // lower-cased, e.g. "text/plain"
  std::map<std::string, std::string> params;  // lower-cased names, values as sent
};

// Go's mime.ParseMediaType (Go 1.22+), which Pushgateway uses to choose between its protobuf
// and text parsers: nullopt wherever Go returns an error.
std::optional<MediaType> parseMediaType(std::string_view value);

}  // namespace ferry::plugins::protobuf
