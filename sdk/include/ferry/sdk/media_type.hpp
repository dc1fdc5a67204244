// Content-Type headers: what an input plugin's accepts() receives is the header exactly as the
// client sent it (any letter case, parameters, quoted values), so compare it through these,
// never as a string:
//
//   bool accepts(std::string_view content_type) const override {
//     return ferry::sdk::mediaTypeIs(content_type, "application/json");
//   }
#pragma once

#include <ferry/detail/media_type_parse.hpp>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace ferry::sdk {

// A parsed Content-Type value.
struct MediaType {
  std::string type;                           // lower case, e.g. "text/plain"
  std::map<std::string, std::string> params;  // lower-case names; values as sent, unquoted

  // The value of parameter `name` (any letter case), or nullopt.
  std::optional<std::string_view> param(std::string_view name) const {
    auto it = params.find(detail::mime::toLowerAscii(name));
    if (it == params.end()) return std::nullopt;
    return std::string_view(it->second);
  }

  // True for media type `media_type` (any letter case) with each of `with` present, names and
  // values compared without regard to letter case ("charset=UTF-8" matches "utf-8"). Other
  // parameters do not matter.
  bool is(std::string_view media_type,
          std::initializer_list<std::pair<std::string_view, std::string_view>> with = {}) const {
    if (type != detail::mime::toLowerAscii(media_type)) return false;
    for (const auto& [name, value] : with) {
      auto got = param(name);
      if (!got || detail::mime::toLowerAscii(*got) != detail::mime::toLowerAscii(value)) {
        return false;
      }
    }
    return true;
  }
};

// Parses a Content-Type header value as Go's mime.ParseMediaType does (RFC 2045 and 2231, the
// parser the Pushgateway uses); nullopt when it is malformed (Go's error cases) or empty.
inline std::optional<MediaType> parseMediaType(std::string_view v) {
  using namespace detail::mime;
  const std::string_view base = v.substr(0, v.find(';'));
  MediaType result;
  result.type = std::string(trimSpace(toLowerAscii(base)));
  if (!checkMediaTypeDisposition(result.type)) return std::nullopt;

  std::map<std::string, Params> continuation;
  v.remove_prefix(base.size());
  while (!v.empty()) {
    v = trimLeftSpace(v);
    if (v.empty()) break;
    Param param = consumeMediaParam(v);
    if (!param.ok) {
      if (trimSpace(v) == ";") break;  // a trailing semicolon is not an error
      return std::nullopt;
    }
    Params* pmap = &result.params;
    if (const size_t star = param.name.find('*'); star != std::string::npos) {
      pmap = &continuation[param.name.substr(0, star)];
    }
    auto [it, inserted] = pmap->emplace(param.name, param.value);
    if (!inserted && it->second != param.value) return std::nullopt;  // duplicate, other value
    v = param.rest;
  }
  stitchContinuations(continuation, result.params);
  return result;
}

// parseMediaType(content_type) succeeds and is(media_type, with).
inline bool mediaTypeIs(
    std::string_view content_type, std::string_view media_type,
    std::initializer_list<std::pair<std::string_view, std::string_view>> with = {}) {
  std::optional<MediaType> parsed = parseMediaType(content_type);
  return parsed && parsed->is(media_type, with);
}

}  // namespace ferry::sdk
