#include "ferry/testkit/plugin_loader.h"

#include <dlfcn.h>

#include <cstdio>
#include <ferry/families/family_collector.hpp>
#include <ferry/support/plugin_descriptor.hpp>
#include <map>

namespace ferry::testkit {
namespace {

[[noreturn]] void refuse(ferry_plugin_kind kind, const std::string& path,
                         const std::string& reason) {
  throw LoadError("cannot load " + kindName(kind) + " plugin " + path + ": " + reason);
}

std::string levelName(ferry_log_level level) {
  switch (level) {
    case FERRY_LOG_DEBUG:
      return "debug";
    case FERRY_LOG_INFO:
      return "info";
    case FERRY_LOG_WARN:
      return "warn";
    case FERRY_LOG_ERROR:
      return "error";
  }
  return "level(" + std::to_string(static_cast<int>(level)) + ")";
}

// The host-side objects behind ferry_error and ferry_sink: the kit never defines those C
// structs (a test binary may also link a real host that does); it passes pointers to its own
// strings, cast to the opaque types.
void errorSet(ferry_error* err, ferry_bytes message) {
  if (!err) return;
  auto* text = reinterpret_cast<std::string*>(err);
  text->assign(message.data ? message.data : "", message.data ? message.size : 0);
}

void sinkWrite(ferry_sink* sink, ferry_bytes data) {
  if (!sink || !data.data) return;
  reinterpret_cast<std::string*>(sink)->append(data.data, data.size);
}

}  // namespace

PluginLibrary::PluginLibrary(std::string path, const ferry_plugin_descriptor* descriptor,
                             std::optional<sdk::detail::KeySpecs> config_keys)
    : path_(std::move(path)), descriptor_(descriptor), config_keys_(std::move(config_keys)) {}

bool PluginLibrary::hasParseFamilies() const {
  return ferry::support::hasParseFamilies(*descriptor_);
}

const PluginLibrary& PluginLibrary::load(const std::string& path, ferry_plugin_kind kind) {
  static std::mutex mu;
  // Never freed: plugins are never unloaded, and instances may outlive static destruction.
  static auto* loaded = new std::map<std::string, std::unique_ptr<PluginLibrary>>();
  std::lock_guard<std::mutex> lock(mu);
  auto found = loaded->find(path);
  if (found != loaded->end()) {
    ferry_plugin_kind loaded_kind = found->second->descriptor().kind;
    if (loaded_kind != kind) {
      refuse(kind, path, "wrong kind: it is " + kindName(loaded_kind) + ", not " + kindName(kind));
    }
    return *found->second;
  }

  if (path.empty() || path[0] != '/') refuse(kind, path, "the path must be absolute");
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    const char* why = dlerror();
    refuse(kind, path, std::string("dlopen failed: ") + (why ? why : "unknown error"));
  }
  void* symbol = dlsym(handle, FERRY_PLUGIN_ENTRY_SYMBOL);
  if (!symbol) refuse(kind, path, "missing entry symbol " FERRY_PLUGIN_ENTRY_SYMBOL);
  auto entry = reinterpret_cast<ferry_plugin_entry_fn>(symbol);
  const ferry_plugin_descriptor* d = entry();
  // The rules Ferry's plugin host applies, so that what the kit accepts is what Ferry loads.
  if (const std::string problem = ferry::support::descriptorProblem(d); !problem.empty()) {
    refuse(kind, path, problem);
  }
  if (d->kind != kind) {
    refuse(kind, path, "wrong kind: it is " + kindName(d->kind) + ", not " + kindName(kind));
  }
  // descriptorProblem() has checked the declaration: this cannot throw.
  std::optional<sdk::detail::KeySpecs> config_keys = sdk::detail::readConfigKeys(*d);
  auto lib = std::unique_ptr<PluginLibrary>(new PluginLibrary(path, d, std::move(config_keys)));
  const PluginLibrary& result = *lib;
  loaded->emplace(path, std::move(lib));
  return result;
}

TestHost::TestHost(std::string plugin_name) : plugin_name_(std::move(plugin_name)) {
  host_.struct_size = sizeof(ferry_host);
  host_.abi_major = FERRY_ABI_MAJOR;
  host_.abi_minor = FERRY_ABI_MINOR;
  host_.host_ctx = this;
  host_.log = &TestHost::logCallback;
  host_.error_set = &errorSet;
  host_.sink_write = &sinkWrite;
  host_.family_builder = families::FamilyCollector::builder();
}

std::vector<LogLine> TestHost::lines() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lines_;
}

void TestHost::logCallback(void* host_ctx, ferry_log_level level, ferry_bytes message) {
  auto* self = static_cast<TestHost*>(host_ctx);
  if (!self) return;
  std::string text(message.data ? message.data : "", message.data ? message.size : 0);
  std::fprintf(stderr, "[plugin %s %s] %s\n", self->plugin_name_.c_str(), levelName(level).c_str(),
               text.c_str());
  std::lock_guard<std::mutex> lock(self->mu_);
  self->lines_.push_back(LogLine{level, std::move(text)});
}

std::string statusName(ferry_status status) {
  switch (status) {
    case FERRY_OK:
      return "FERRY_OK";
    case FERRY_ERR_INVALID_INPUT:
      return "FERRY_ERR_INVALID_INPUT";
    case FERRY_ERR_UNSUPPORTED:
      return "FERRY_ERR_UNSUPPORTED";
    case FERRY_ERR_IO:
      return "FERRY_ERR_IO";
    case FERRY_ERR_CONFIG:
      return "FERRY_ERR_CONFIG";
    case FERRY_ERR_INTERNAL:
      return "FERRY_ERR_INTERNAL";
    case FERRY_AUTH_NO_CREDENTIALS:
      return "FERRY_AUTH_NO_CREDENTIALS";
    case FERRY_AUTH_DENIED:
      return "FERRY_AUTH_DENIED";
    case FERRY_ERR_CONFLICT:
      return "FERRY_ERR_CONFLICT";
    case FERRY_ERR_FEED_GAP:
      return "FERRY_ERR_FEED_GAP";
    case FERRY_ERR_UNAVAILABLE:
      return "FERRY_ERR_UNAVAILABLE";
  }
  return "status(" + std::to_string(static_cast<int>(status)) + ")";
}

std::string kindName(ferry_plugin_kind kind) { return ferry::support::pluginKindName(kind); }

std::string printable(const std::string& bytes, size_t max_chars) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  size_t shown = 0;
  for (unsigned char c : bytes) {
    if (shown == max_chars) break;
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
    ++shown;
  }
  out += "\"";
  if (shown < bytes.size()) out += "... (" + std::to_string(bytes.size()) + " bytes)";
  return out;
}

}  // namespace ferry::testkit
