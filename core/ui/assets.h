#pragma once

#include <string>
#include <string_view>

namespace ferry::core::ui {

// A web UI file as it is served: the embedded bytes, their gzip form and the ETags of both.
struct Asset {
  std::string_view name;
  std::string_view content_type;
  std::string_view body;
  std::string etag;       // "\"<first 20 hex digits of the SHA-256>\"", quoted as HTTP wants
  std::string gzip;       // empty when gzip would not make the file smaller
  std::string gzip_etag;  // the gzip representation is another entity: its own tag
};

// The embedded file `name` ("index.html", "ferry.js"), or null. The gzip forms are made once, on
// the first call; thread-safe.
const Asset* findAsset(std::string_view name);

// The Content-Type for a file name, by extension ("text/javascript; charset=utf-8" for .js,
// "application/octet-stream" for an extension it does not know).
std::string_view contentTypeFor(std::string_view name);

}  // namespace ferry::core::ui
