// The Content-Type parsing of the SDK (ferry/sdk/media_type.hpp, Go's mime.ParseMediaType),
// which the protobuf input uses to decide between the protobuf and the text parser.
// Invariants:
//  - an accepted media type is lower case, a token with at most one '/' inside; parameter
//    names are lower-case tokens without '*' (RFC 2231 pieces are stitched together);
//  - what was accepted means the same when written again: the media type with every
//    parameter as an RFC 2231 value (name*=utf-8''%XX...) parses to the same result, and
//    isDelimitedProtobuf answers the same for both spellings.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ferry/sdk/media_type.hpp>
#include <string>
#include <string_view>

#include "plugins/protobuf/protobuf_parser.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using ferry::fuzz::printable;
using ferry::sdk::MediaType;

bool tokenChar(unsigned char c) {
  return c > 0x20 && c < 0x7f && std::strchr("()<>@,;:\\\"/[]?=", c) == nullptr;
}

bool lowerToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!tokenChar(c) || (c >= 'A' && c <= 'Z')) return false;
  }
  return true;
}

std::string rfc2231(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "utf-8''";
  for (unsigned char c : value) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

std::string describe(const MediaType& m) {
  std::string out = printable(m.type);
  for (const auto& [name, value] : m.params)
    out += " [" + printable(name) + "=" + printable(value) + "]";
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace proto = ferry::plugins::protobuf;
  const std::string_view header = ferry::fuzz::asView(data, size);
  const bool delimited = proto::isDelimitedProtobuf(header);
  const auto media = ferry::sdk::parseMediaType(header);
  if (!media) {
    FUZZ_CHECK(!delimited, "a header Go rejects selected the protobuf parser");
    return 0;
  }

  const size_t slash = media->type.find('/');
  FUZZ_CHECK(lowerToken(media->type.substr(0, slash)), describe(*media));
  if (slash != std::string::npos) {
    FUZZ_CHECK(lowerToken(media->type.substr(slash + 1)), describe(*media));
  }
  bool names_are_tokens = true;
  for (const auto& [name, value] : media->params) {
    FUZZ_CHECK(name.find('*') == std::string::npos, describe(*media));
    // Only a name made of '*' pieces alone ("*=...") can be empty; it cannot be written back.
    names_are_tokens = names_are_tokens && lowerToken(name);
  }
  if (!names_are_tokens) return 0;

  std::string written = media->type;
  for (const auto& [name, value] : media->params) written += "; " + name + "*=" + rfc2231(value);
  const auto again = ferry::sdk::parseMediaType(written);
  FUZZ_CHECK(again.has_value(), "written form does not parse: " + printable(written));
  FUZZ_CHECK(again->type == media->type && again->params == media->params,
             describe(*media) + " became " + describe(*again));
  FUZZ_CHECK(proto::isDelimitedProtobuf(written) == delimited, printable(written));
  return 0;
}
