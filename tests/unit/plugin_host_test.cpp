#include <ferry/testkit/plugin_loader.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/plugin_host/plugin_instance.h"
#include "core/plugin_host/plugin_registry.h"

namespace ferry::core::plugin_host {
namespace {

namespace fs = std::filesystem;

std::string loadError(PluginRegistry& registry, ferry_plugin_kind kind, const std::string& name) {
  try {
    registry.require(kind, name);
  } catch (const PluginError& e) {
    return e.what();
  }
  return "(loaded)";
}

// What FERRY_TEST_MISFIT_DIR holds (tests/unit/plugin_host.cmake): plugins that load (some
// only fail on create) and files that are refused. The complete shared store loads; one that
// declares FERRY_STORAGE_SHARED without write_if is refused.
const std::set<std::string> kLoadingMisfits = {"abi10",   "abi11",    "abi11store",  "badchallenge",
                                               "bytes11", "cbuilder", "createfails", "shared"};
const std::set<std::string> kRefusedMisfits = {"input-badkeys.so",
                                               "input-emptyname.so",
                                               "input-major.so",
                                               "input-minor.so",
                                               "input-noentry.so",
                                               "input-noversion.so",
                                               "storage-sharednowriteif.so",
                                               "storage-wrongkind.so"};

class MisfitPlugins : public ::testing::Test {
 protected:
  PluginRegistry registry_{FERRY_TEST_MISFIT_DIR};
};

// ABI 1.1 appended ferry_storage_vtable.flags: a 1.0 storage plugin still loads, and the host
// reads its flags as 0 rather than whatever lies past its struct_size.
TEST_F(MisfitPlugins, StoragePluginOfAbi10LoadsWithoutFlags) {
  auto library = registry_.require(FERRY_KIND_STORAGE, "abi10");
  EXPECT_EQ(library->info().abi_minor, 0);
  EXPECT_EQ(library->storageFlags(), 0u);
}

// ABI 1.2 appended the shared-store functions: a 1.1 table ends before them, so a
// FERRY_STORAGE_SHARED bit in it (undefined in 1.1) does not make the host call them.
TEST_F(MisfitPlugins, StoragePluginOfAbi11LoadsAsNotShared) {
  auto library = registry_.require(FERRY_KIND_STORAGE, "abi11store");
  EXPECT_EQ(library->info().abi_minor, 1);
  EXPECT_EQ(library->storageFlags(), FERRY_STORAGE_VOLATILE);
  StoragePluginInstance storage(library, "{}");
  EXPECT_FALSE(storage.shared());
}

TEST_F(MisfitPlugins, SharedStoreWithoutWriteIfIsRefused) {
  std::string error = loadError(registry_, FERRY_KIND_STORAGE, "sharednowriteif");
  EXPECT_NE(error.find("storage-sharednowriteif.so"), std::string::npos) << error;
  EXPECT_NE(error.find("declares FERRY_STORAGE_SHARED but its function table lacks"),
            std::string::npos)
      << error;
}

// The host's wrappers pass positions, commits, statuses and messages through unchanged.
TEST_F(MisfitPlugins, SharedStoreCallsReachThePlugin) {
  StoragePluginInstance storage(registry_.require(FERRY_KIND_STORAGE, "shared"), "{}");
  ASSERT_TRUE(storage.shared());

  uint64_t position = 0;
  std::vector<std::pair<std::string, std::string>> entries;
  ASSERT_TRUE(storage
                  .snapshot(
                      [&](std::string_view k, std::string_view v) {
                        entries.emplace_back(k, v);
                        return true;
                      },
                      position)
                  .ok());
  EXPECT_EQ(position, 7u);
  EXPECT_EQ(entries, (std::vector<std::pair<std::string, std::string>>{{"key", "value"}}));

  std::vector<std::string> seen;
  auto status = storage.readChanges(7, 10, [&](const StoragePluginInstance::CommitView& c) {
    seen.push_back(std::to_string(c.position) + "@" + std::to_string(c.commit_time_unix_nanos));
    for (const auto& op : c.ops) {
      seen.push_back(std::to_string(op.kind) + ":" + std::string(op.key) + "=" +
                     std::string(op.value));
    }
    return true;
  });
  ASSERT_TRUE(status.ok()) << status.message;
  EXPECT_EQ(seen, (std::vector<std::string>{"8@1700000000000000000", "1:k8=v8", "3:="}));
  EXPECT_EQ(storage.readChanges(3, 10, [](const auto&) { return true; }).status,
            FERRY_ERR_FEED_GAP);

  ASSERT_TRUE(
      storage.writeIf(7, {{FERRY_STORAGE_PUT, "a", "1"}, {FERRY_STORAGE_WIPE, "", ""}}, position)
          .ok());
  EXPECT_EQ(position, 9u);
  auto conflict = storage.writeIf(6, {{FERRY_STORAGE_PUT, "a", "1"}}, position);
  EXPECT_EQ(conflict.status, FERRY_ERR_CONFLICT);
  EXPECT_EQ(conflict.message, "the store is at 7");

  bool held = false;
  ASSERT_TRUE(storage.lease("mine", 1000, held).ok());
  EXPECT_TRUE(held);
  ASSERT_TRUE(storage.lease("mine", 0, held).ok());
  EXPECT_FALSE(held);
  ASSERT_TRUE(storage.lease("else", 1000, held).ok());
  EXPECT_FALSE(held);
}

// ABI 1.2 appended ferry_auth_vtable.flags and .challenge: a 1.1 auth plugin still loads, with
// no flags and no challenge, and the host never calls what lies past its struct_size.
TEST_F(MisfitPlugins, AuthPluginOfAbi11LoadsWithoutFlagsOrChallenge) {
  auto library = registry_.require(FERRY_KIND_AUTH, "abi11");
  EXPECT_EQ(library->info().abi_minor, 1);
  EXPECT_EQ(library->authFlags(), 0u);
  AuthPluginInstance auth(library, "{}");
  EXPECT_EQ(auth.challenge(), "");
  EXPECT_EQ(auth.flags(), 0u);
  std::string identity;
  EXPECT_EQ(auth.authenticate(AuthRequestView{}, identity).status, FERRY_AUTH_NO_CREDENTIALS);
}

// The challenge becomes a response header: one with CR LF would split the response.
TEST_F(MisfitPlugins, AuthChallengeThatIsNoHeaderValueIsRefused) {
  auto library = registry_.require(FERRY_KIND_AUTH, "badchallenge");
  try {
    AuthPluginInstance auth(library, "{}");
    FAIL() << "a challenge with CR LF was accepted";
  } catch (const PluginError& e) {
    std::string error = e.what();
    EXPECT_NE(error.find("auth plugin \"badchallenge\""), std::string::npos) << error;
    EXPECT_NE(error.find("invalid WWW-Authenticate challenge"), std::string::npos) << error;
  }
}

TEST(AuthFlags, CertUsesClientCertificatesAndDeclaresNoChallenge) {
  PluginRegistry registry{FERRY_TEST_PLUGIN_DIR};
  auto cert = registry.require(FERRY_KIND_AUTH, "cert");
  EXPECT_EQ(cert->authFlags(), FERRY_AUTH_USES_CLIENT_CERT);
  EXPECT_EQ(AuthPluginInstance(cert, "{}").challenge(), "");
  auto token = registry.require(FERRY_KIND_AUTH, "token");
  EXPECT_EQ(token->authFlags(), 0u);
  EXPECT_EQ(AuthPluginInstance(token, R"({"tokens": {}})").challenge(), "Bearer");
  auto basic = registry.require(FERRY_KIND_AUTH, "basic");
  EXPECT_EQ(AuthPluginInstance(basic, R"({"users": {}})").challenge(), "Basic");
  EXPECT_EQ(registry.require(FERRY_KIND_STORAGE, "memory")->authFlags(), 0u);
}

TEST(StorageFlags, MemoryIsVolatileAndTheDurableStoresAreNot) {
  PluginRegistry registry{FERRY_TEST_PLUGIN_DIR};
  EXPECT_EQ(registry.require(FERRY_KIND_STORAGE, "memory")->storageFlags(), FERRY_STORAGE_VOLATILE);
  EXPECT_EQ(registry.require(FERRY_KIND_STORAGE, "file")->storageFlags(), 0u);
  EXPECT_EQ(registry.require(FERRY_KIND_INPUT, "text")->storageFlags(), 0u);
}

TEST_F(MisfitPlugins, MissingEntrySymbolIsRefusedWithFileAndReason) {
  std::string error = loadError(registry_, FERRY_KIND_INPUT, "noentry");
  EXPECT_NE(error.find("input-noentry.so"), std::string::npos) << error;
  EXPECT_NE(error.find("missing entry symbol ferry_plugin_entry_v1"), std::string::npos) << error;
}

TEST_F(MisfitPlugins, OtherMajorIsRefused) {
  std::string error = loadError(registry_, FERRY_KIND_INPUT, "major");
  EXPECT_NE(error.find("input-major.so"), std::string::npos) << error;
  EXPECT_NE(error.find("other ABI major version (plugin ABI 2.0, host ABI 1.2)"), std::string::npos)
      << error;
}

TEST_F(MisfitPlugins, NewerMinorIsRefused) {
  std::string error = loadError(registry_, FERRY_KIND_INPUT, "minor");
  EXPECT_NE(error.find("newer ABI minor version (plugin ABI 1.99, host ABI 1.2)"),
            std::string::npos)
      << error;
}

TEST_F(MisfitPlugins, NullVersionIsRefused) {
  std::string error = loadError(registry_, FERRY_KIND_INPUT, "noversion");
  EXPECT_NE(error.find("input-noversion.so (\"noversion\"): descriptor has no version"),
            std::string::npos)
      << error;
}

TEST_F(MisfitPlugins, EmptyNameIsRefused) {
  std::string error = loadError(registry_, FERRY_KIND_INPUT, "emptyname");
  EXPECT_NE(error.find("input-emptyname.so: descriptor has no name"), std::string::npos) << error;
}

// Ferry and the SDK's test kits decide with one validator (Ferry::support's descriptorProblem):
// a plugin the kit passes is one Ferry loads, and a refusal gives the same reason in both.
TEST(PluginValidation, TheTestKitAndTheHostAgree) {
  const std::string abi = std::to_string(FERRY_ABI_MAJOR) + "." + std::to_string(FERRY_ABI_MINOR);
  const std::pair<std::string, std::string> refused[] = {
      {"input-major.so", "other ABI major version (plugin ABI 2.0, host ABI " + abi + ")"},
      {"input-minor.so", "newer ABI minor version (plugin ABI 1.99, host ABI " + abi + ")"},
      {"input-noversion.so", "descriptor has no version"},
      {"input-emptyname.so", "descriptor has no name"},
      {"input-badkeys.so", "config key \"broken\" is required but has no example value"},
  };
  for (const auto& [file, reason] : refused) {
    const std::string path = std::string(FERRY_TEST_MISFIT_DIR) + "/" + file;
    std::string host_error = "(loaded)";
    try {
      PluginLibrary::load(path);
    } catch (const PluginError& e) {
      host_error = e.what();
    }
    std::string kit_error = "(loaded)";
    try {
      testkit::PluginLibrary::loadInput(path);
    } catch (const testkit::LoadError& e) {
      kit_error = e.what();
    }
    EXPECT_NE(host_error.find(reason), std::string::npos) << host_error;
    EXPECT_NE(kit_error.find(reason), std::string::npos) << kit_error;
  }
  const std::string abi10 = std::string(FERRY_TEST_MISFIT_DIR) + "/storage-abi10.so";
  EXPECT_NO_THROW(PluginLibrary::load(abi10));
  EXPECT_NO_THROW(testkit::PluginLibrary::loadStorage(abi10));
  // An input plugin of ABI 1.1 that returns bytes, and one of 1.2 (in C) that has only
  // parse_families: both load in both, and both agree on which entry point to call.
  const std::pair<std::string, bool> inputs[] = {{"input-bytes11.so", false},
                                                 {"input-cbuilder.so", true}};
  for (const auto& [file, builder] : inputs) {
    const std::string path = std::string(FERRY_TEST_MISFIT_DIR) + "/" + file;
    std::shared_ptr<PluginLibrary> host;
    ASSERT_NO_THROW(host = PluginLibrary::load(path)) << file;
    const testkit::PluginLibrary* kit = nullptr;
    ASSERT_NO_THROW(kit = &testkit::PluginLibrary::loadInput(path)) << file;
    EXPECT_EQ(host->hasParseFamilies(), builder) << file;
    EXPECT_EQ(kit->hasParseFamilies(), builder) << file;
  }
}

TEST_F(MisfitPlugins, WrongKindIsRefused) {
  std::string error = loadError(registry_, FERRY_KIND_STORAGE, "wrongkind");
  EXPECT_NE(error.find("storage-wrongkind.so"), std::string::npos) << error;
  EXPECT_NE(error.find("wrong kind: it is an input plugin"), std::string::npos) << error;
}

TEST_F(MisfitPlugins, AskingForAnInputPluginAsStorageNamesItsKind) {
  std::string error = loadError(registry_, FERRY_KIND_STORAGE, "createfails");
  EXPECT_NE(error.find("plugin \"createfails\" is an input plugin, not a storage plugin"),
            std::string::npos)
      << error;
}

TEST_F(MisfitPlugins, MissingPluginNamesTheFile) {
  std::string error = loadError(registry_, FERRY_KIND_INPUT, "nope");
  EXPECT_NE(error.find("no input plugin named \"nope\": no input-nope.so in the plugins dirs"),
            std::string::npos)
      << error;
}

TEST_F(MisfitPlugins, CreateFailureCarriesThePluginsMessage) {
  auto lib = registry_.require(FERRY_KIND_INPUT, "createfails");
  try {
    InputPluginInstance instance(lib, "{}");
    FAIL() << "create() should have failed";
  } catch (const PluginError& e) {
    std::string error = e.what();
    EXPECT_NE(error.find("input plugin \"createfails\""), std::string::npos) << error;
    EXPECT_NE(error.find("refused to start: refusing to start: misfit"), std::string::npos)
        << error;
  }
}

TEST(PluginRegistry, FileThatIsNotALibraryIsRefused) {
  fs::path dir = fs::temp_directory_path() / ("ferry-plugin-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "input-garbage.so") << "this is not an ELF file\n";
  PluginRegistry registry(dir);
  std::string error = loadError(registry, FERRY_KIND_INPUT, "garbage");
  EXPECT_NE(error.find("input-garbage.so"), std::string::npos) << error;
  EXPECT_NE(error.find("dlopen failed"), std::string::npos) << error;
  auto folders = registry.listAll();
  ASSERT_EQ(folders.size(), 1u);
  ASSERT_EQ(folders[0].entries.size(), 1u);
  EXPECT_FALSE(folders[0].entries[0].plugin.has_value());
  EXPECT_TRUE(folders[0].entries[0].refused);
  EXPECT_NE(folders[0].entries[0].problem.find("dlopen failed"), std::string::npos);
  fs::remove_all(dir);
}

TEST(PluginRegistry, ListAllReportsGoodAndBadPlugins) {
  PluginRegistry registry(FERRY_TEST_MISFIT_DIR);
  auto folders = registry.listAll();
  ASSERT_EQ(folders.size(), 1u);
  std::set<std::string> loaded;
  std::set<std::string> refused;
  for (const auto& entry : folders[0].entries) {
    if (entry.plugin) loaded.insert(entry.plugin->name);
    if (entry.refused) refused.insert(entry.path.filename().string());
  }
  EXPECT_EQ(loaded, kLoadingMisfits);
  EXPECT_EQ(refused, kRefusedMisfits);
}

TEST(FirstPartyPlugins, MemoryStorageRoundTrip) {
  PluginRegistry registry(FERRY_TEST_PLUGIN_DIR);
  StoragePluginInstance storage(registry.require(FERRY_KIND_STORAGE, "memory"), "{}");
  std::string binary_key("k\0\xff", 3);
  ASSERT_TRUE(storage
                  .write({{FERRY_STORAGE_PUT, binary_key, std::string("v\0v", 3)},
                          {FERRY_STORAGE_PUT, "b", "2"},
                          {FERRY_STORAGE_REMOVE, "b", ""}})
                  .ok());
  std::map<std::string, std::string> seen;
  ASSERT_TRUE(storage
                  .scan([&](std::string_view k, std::string_view v) {
                    seen.emplace(k, v);
                    return true;
                  })
                  .ok());
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[binary_key], std::string("v\0v", 3));
  ASSERT_TRUE(storage.wipe().ok());
  seen.clear();
  storage.scan([&](std::string_view k, std::string_view v) {
    seen.emplace(k, v);
    return true;
  });
  EXPECT_TRUE(seen.empty());
}

TEST(FirstPartyPlugins, UnknownConfigKeyIsRefusedByName) {
  PluginRegistry registry(FERRY_TEST_PLUGIN_DIR);
  try {
    StoragePluginInstance storage(registry.require(FERRY_KIND_STORAGE, "memory"), R"({"size": 3})");
    FAIL() << "unknown key accepted";
  } catch (const PluginError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown key \"size\""), std::string::npos) << e.what();
  }
}

TEST(FirstPartyPlugins, TextInputErrorReachesTheCaller) {
  PluginRegistry registry(FERRY_TEST_PLUGIN_DIR);
  InputPluginInstance text(registry.require(FERRY_KIND_INPUT, "text"), "{}");
  EXPECT_TRUE(text.accepts("text/plain; version=0.0.4"));
  google::protobuf::Arena arena;
  std::vector<io::prometheus::client::MetricFamily*> out;
  auto status = text.parse("text/plain", "no_newline 1", &arena, out);
  EXPECT_EQ(status.status, FERRY_ERR_INVALID_INPUT);
  EXPECT_EQ(status.message, "text format parsing error in line 1: unexpected end of input stream");
  status = text.parse("text/plain", "ok 1\n", &arena, out);
  EXPECT_TRUE(status.ok()) << status.message;
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]->name(), "ok");
}

}  // namespace
}  // namespace ferry::core::plugin_host
