#include "core/ui/assets.h"

#include <map>

#include "core/expo/gzip.h"
#include "core/ui/embedded_assets.h"

namespace ferry::core::ui {
namespace {

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::map<std::string_view, Asset, std::less<>> buildCatalog() {
  std::map<std::string_view, Asset, std::less<>> catalog;
  for (size_t i = 0; i < kEmbeddedFileCount; ++i) {
    const EmbeddedFile& file = kEmbeddedFiles[i];
    Asset asset;
    asset.name = file.name;
    asset.content_type = contentTypeFor(asset.name);
    asset.body = std::string_view(reinterpret_cast<const char*>(file.data), file.size);
    const std::string tag = std::string(file.sha256).substr(0, 20);
    asset.etag = "\"" + tag + "\"";
    // Level 9: compressed once per process, sent many times.
    std::string gzip = expo::gzipCompress(asset.body, 9);
    if (gzip.size() < asset.body.size()) {
      asset.gzip = std::move(gzip);
      asset.gzip_etag = "\"" + tag + "-gz\"";
    }
    catalog.emplace(asset.name, std::move(asset));
  }
  return catalog;
}

}  // namespace

const Asset* findAsset(std::string_view name) {
  static const auto catalog = buildCatalog();
  auto found = catalog.find(name);
  return found == catalog.end() ? nullptr : &found->second;
}

std::string_view contentTypeFor(std::string_view name) {
  // Go's mime table gives the same types for these extensions.
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (endsWith(name, extension)) return type;
  }
  return "application/octet-stream";
}

}  // namespace ferry::core::ui
