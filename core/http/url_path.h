#pragma once

#include <optional>
#include <string>
#include <string_view>

// Go net/url and path behaviour that Pushgateway's routing depends on (Go 1.19).
namespace ferry::core::http {

// True if `s` holds a byte Go's URL parser refuses with 400 (< 0x20 or 0x7F).
bool containsControlByte(std::string_view s);

// url.PathUnescape-style decoding of a request path: "%XX" becomes the byte, '+' stays '+'.
// nullopt for a '%' not followed by two hex digits (Go answers 400 Bad Request).
std::optional<std::string> unescapePath(std::string_view raw);

// url.URL.EscapedPath() of a URL whose RawPath is unset: escapes every byte except
// [A-Za-z0-9] and - _ . ~ $ & + , / : ; = @ as upper-case %XX.
std::string escapePath(std::string_view path);

// url.URL.EscapedPath() with a RawPath: the raw form is kept when it is a valid encoding of
// `path`, else the path is escaped afresh.
std::string escapedPath(std::string_view path, std::string_view raw_path);

// The RawPath Go stores for a request target: empty when escapePath(decoded) reproduces the
// raw path, else the raw path itself.
std::string_view rawPathField(std::string_view raw, std::string_view decoded);

// path.Clean: collapses "//", removes "." and resolves "..", drops a trailing slash, "" -> ".".
std::string cleanPath(std::string_view path);

// http.ServeMux's cleanPath: path.Clean rooted at "/" that keeps a trailing slash.
std::string cleanRequestPath(std::string_view path);

// True iff cleanRequestPath(path) == path, without allocating (the common case per request).
bool isCleanRequestPath(std::string_view path);

// path.Join of two elements: empty elements are ignored, the result is cleaned ("" if both
// are empty).
std::string joinPath(std::string_view a, std::string_view b);

}  // namespace ferry::core::http
