#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "core/codec/codec.h"
#include "core/http/ui_handler.h"
#include "core/ui/assets.h"
#include "core/ui/embedded_assets.h"

namespace ferry::core {
namespace {

TEST(UiAssets, EveryEmbeddedFileIsFoundWithItsBytes) {
  ASSERT_GT(ui::kEmbeddedFileCount, 0u);
  for (size_t i = 0; i < ui::kEmbeddedFileCount; ++i) {
    const ui::EmbeddedFile& file = ui::kEmbeddedFiles[i];
    const ui::Asset* asset = ui::findAsset(file.name);
    ASSERT_NE(asset, nullptr) << file.name;
    EXPECT_EQ(asset->body.size(), file.size) << file.name;
    EXPECT_EQ(asset->etag, "\"" + std::string(file.sha256).substr(0, 20) + "\"");
    EXPECT_NE(asset->content_type, "application/octet-stream") << file.name;
  }
  EXPECT_EQ(ui::findAsset("no-such-file.js"), nullptr);
  EXPECT_EQ(ui::findAsset(""), nullptr);
}

TEST(UiAssets, GzipFormDecodesToTheSameBytesAndHasItsOwnTag) {
  const ui::Asset* script = ui::findAsset("ferry-metrics.js");
  ASSERT_NE(script, nullptr);
  ASSERT_FALSE(script->gzip.empty());  // text this size always shrinks
  EXPECT_LT(script->gzip.size(), script->body.size());
  auto decoded = codec::decodeBody(codec::Encoding::kGzip, script->gzip, 1 << 24);
  ASSERT_TRUE(decoded.ok) << decoded.error;
  EXPECT_EQ(decoded.body, script->body);
  EXPECT_NE(script->gzip_etag, script->etag);
}

TEST(UiAssets, ContentTypesByExtension) {
  EXPECT_EQ(ui::contentTypeFor("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(ui::contentTypeFor("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(ui::contentTypeFor("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(ui::contentTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(ui::contentTypeFor("a.bin"), "application/octet-stream");
  EXPECT_EQ(ui::contentTypeFor("js"), "application/octet-stream");
}

// The page loads nothing that is not embedded (and nothing from another host).
TEST(UiAssets, EveryFileThePageReferencesIsEmbedded) {
  const ui::Asset* page = ui::findAsset("index.html");
  ASSERT_NE(page, nullptr);
  const std::string html(page->body);
  const std::regex reference("(src|href)=\"([^\"#]*)\"");
  std::set<std::string> statics;
  for (std::sregex_iterator it(html.begin(), html.end(), reference), end; it != end; ++it) {
    const std::string url = (*it)[2];
    if (url.rfind("static/", 0) == 0) statics.insert(url.substr(7));
    if ((*it)[1] == "src") {
      EXPECT_EQ(url.find("//"), std::string::npos) << "remote script or image: " << url;
    }
  }
  EXPECT_GE(statics.size(), 3u);
  for (const std::string& name : statics) EXPECT_NE(ui::findAsset(name), nullptr) << name;
}

TEST(UiHandler, IfNoneMatch) {
  EXPECT_TRUE(http::ifNoneMatchHits("\"abc\"", "\"abc\""));
  EXPECT_TRUE(http::ifNoneMatchHits("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(http::ifNoneMatchHits("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(http::ifNoneMatchHits(" * ", "\"abc\""));
  EXPECT_FALSE(http::ifNoneMatchHits("", "\"abc\""));
  EXPECT_FALSE(http::ifNoneMatchHits("\"abcd\"", "\"abc\""));
  EXPECT_FALSE(http::ifNoneMatchHits("abc", "\"abc\""));
  EXPECT_FALSE(http::ifNoneMatchHits(",,", "\"abc\""));
}

}  // namespace
}  // namespace ferry::core
