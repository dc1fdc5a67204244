// The plugin search path: plugins.dir folders first, Ferry's own folder always last, the first
// file of a name wins; --list-plugins looks at every file of every folder.
#include "core/plugin_host/plugin_registry.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace ferry::core::plugin_host {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "ferry-registry-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(PluginSearchPath, GivenFoldersComeFirstAndFerrysOwnLast) {
  PluginRegistry registry({FERRY_TEST_MISFIT_DIR, FERRY_TEST_MISFIT_DIR, FERRY_TEST_PLUGIN_DIR},
                          FERRY_TEST_PLUGIN_DIR);
  ASSERT_EQ(registry.dirs().size(), 2u);  // repeats dropped, the own folder once, last
  EXPECT_EQ(registry.dirs()[0], fs::path(FERRY_TEST_MISFIT_DIR).lexically_normal());
  EXPECT_EQ(registry.dirs()[1], fs::path(FERRY_TEST_PLUGIN_DIR).lexically_normal());
  EXPECT_NE(registry.describeDirs().find("(Ferry's own)"), std::string::npos);
  // A third-party folder does not hide Ferry's own plugins.
  EXPECT_EQ(registry.require(FERRY_KIND_INPUT, "bytes11")->info().path.parent_path(),
            registry.dirs()[0]);
  EXPECT_EQ(registry.require(FERRY_KIND_STORAGE, "memory")->info().path.parent_path(),
            registry.dirs()[1]);
}

TEST(PluginSearchPath, TheFirstFolderWithTheFileWins) {
  TempDir mine;
  fs::copy_file(fs::path(FERRY_TEST_PLUGIN_DIR) / "input-text.so", mine.path() / "input-text.so");
  PluginRegistry registry({mine.path()}, FERRY_TEST_PLUGIN_DIR);
  EXPECT_EQ(registry.require(FERRY_KIND_INPUT, "text")->info().path, mine.path() / "input-text.so");
  auto folders = registry.listAll();
  ASSERT_EQ(folders.size(), 2u);
  EXPECT_FALSE(folders[0].own);
  EXPECT_TRUE(folders[1].own);
  bool shadowed = false;
  for (const auto& entry : folders[1].entries) {
    if (entry.path.filename() == "input-text.so") {
      shadowed = true;
      EXPECT_FALSE(entry.plugin.has_value());
      EXPECT_FALSE(entry.refused);
      EXPECT_EQ(entry.problem,
                "not used: " + (mine.path() / "input-text.so").string() + " comes first");
    }
  }
  EXPECT_TRUE(shadowed);
}

TEST(PluginSearchPath, AFolderThatDoesNotExistIsAnError) {
  TempDir base;
  PluginRegistry registry({base.path() / "missing"}, FERRY_TEST_PLUGIN_DIR);
  try {
    registry.require(FERRY_KIND_STORAGE, "memory");
    FAIL() << "a missing plugins dir was ignored";
  } catch (const PluginError& e) {
    EXPECT_EQ(std::string(e.what()),
              "plugins dir " + (base.path() / "missing").string() + " is not a directory");
  }
  auto folders = registry.listAll();
  ASSERT_EQ(folders.size(), 2u);
  EXPECT_NE(folders[0].error.find("cannot read"), std::string::npos) << folders[0].error;
}

TEST(PluginSearchPath, EveryFileIsListedWithWhyItIsNotAPlugin) {
  TempDir dir;
  std::ofstream(dir.path() / "README.md") << "my plugins\n";
  std::ofstream(dir.path() / "libhelper.so") << "not even a library\n";
  std::ofstream(dir.path() / "input-broken.so") << "not even a library\n";
  fs::create_directory(dir.path() / "old");
  fs::copy_file(fs::path(FERRY_TEST_MISFIT_DIR) / "input-bytes11.so",
                dir.path() / "input-bytes11.so");
  PluginRegistry registry(dir.path());
  auto folders = registry.listAll();
  ASSERT_EQ(folders.size(), 1u);
  std::map<std::string, PluginRegistry::Entry> by_name;
  for (const auto& entry : folders[0].entries) by_name[entry.path.filename().string()] = entry;
  ASSERT_EQ(by_name.size(), 5u);
  EXPECT_TRUE(by_name["input-bytes11.so"].plugin.has_value());
  EXPECT_EQ(by_name["old"].problem, "not a plugin: a directory");
  EXPECT_NE(by_name["README.md"].problem.find("not a plugin: plugins are files named"),
            std::string::npos);
  EXPECT_FALSE(by_name["README.md"].refused);     // other files may live there
  EXPECT_FALSE(by_name["libhelper.so"].refused);  // e.g. a library a plugin links
  EXPECT_TRUE(by_name["input-broken.so"].refused);
  EXPECT_NE(by_name["input-broken.so"].problem.find("dlopen failed"), std::string::npos);
}

}  // namespace
}  // namespace ferry::core::plugin_host
