#include "core/plugin_host/plugin_instance.h"

#include <chrono>
#include <cstddef>
#include <ferry/families/family_collector.hpp>
#include <nlohmann/json.hpp>

namespace ferry::core::plugin_host {
namespace {

CallStatus finish(ferry_status status, ferry_error& err) {
  CallStatus result{status, std::move(err.message)};
  if (!result.ok() && result.message.empty()) {
    result.message = "plugin failed with status " + std::to_string(static_cast<int>(status));
  }
  return result;
}

std::string describePlugin(const PluginInfo& info) {
  return kindName(info.kind) + " plugin \"" + info.name + "\" (" + info.path.string() + ")";
}

}  // namespace

void checkDeclaredConfig(const PluginLibrary& library, const std::string& config_json) {
  const PluginInfo& info = library.info();
  if (!info.config_keys) return;
  auto config = nlohmann::json::parse(config_json.empty() ? "{}" : config_json, nullptr,
                                      /*allow_exceptions=*/false);
  try {
    if (config.is_discarded()) throw sdk::detail::ConfigKeyError("config is not valid JSON");
    sdk::detail::checkConfig(*info.config_keys, config);
  } catch (const sdk::detail::ConfigKeyError& e) {
    throw PluginError(describePlugin(info) + ": config refused: " + e.what());
  }
}

PluginInstance::PluginInstance(std::shared_ptr<PluginLibrary> library,
                               const std::string& config_json)
    : library_(std::move(library)),
      services_(std::make_unique<HostServices>(library_->info().name)) {
  // Declared keys are checked first, so a config that does not fit never reaches create():
  // whatever the plugin does when it starts cannot happen with a wrong config.
  checkDeclaredConfig(*library_, config_json);
  ferry_error err;
  instance_ = library_->descriptor().create(&services_->table, bytes(config_json), &err);
  if (!instance_) {
    throw PluginError(describePlugin(info()) + " refused to start: " +
                      (err.message.empty() ? std::string("create() failed") : err.message));
  }
}

PluginInstance::~PluginInstance() {
  if (instance_) library_->descriptor().destroy(instance_);
}

bool InputPluginInstance::accepts(std::string_view content_type) const {
  const auto* vt = static_cast<const ferry_input_vtable*>(vtable());
  return vt->accepts(instance(), bytes(content_type)) != 0;
}

CallStatus InputPluginInstance::parse(
    std::string_view content_type, std::string_view body, google::protobuf::Arena* arena,
    std::vector<io::prometheus::client::MetricFamily*>& out) const {
  const auto* vt = static_cast<const ferry_input_vtable*>(vtable());
  families::FamilyCollector collector(arena);
  ferry_error err;
  out.clear();
  if (library().hasParseFamilies()) {
    ferry_status status =
        vt->parse_families(instance(), bytes(content_type), bytes(body), collector.handle(), &err);
    // The builder's first refusal decides, whatever the plugin made of it.
    if (collector.status() != FERRY_OK) return CallStatus{collector.status(), collector.message()};
    if (status != FERRY_OK) return finish(status, err);
  } else {
    ferry_sink sink;
    ferry_status status = vt->parse(instance(), bytes(content_type), bytes(body), &sink, &err);
    if (status != FERRY_OK) return finish(status, err);
    if (!collector.addDelimited(sink.data)) {
      return CallStatus{FERRY_ERR_INTERNAL, "returned malformed data: " + collector.message()};
    }
  }
  out = collector.takeFamilies();
  return CallStatus{};
}

namespace {

std::vector<ferry_storage_op> rawOps(const std::vector<StoragePluginInstance::Op>& ops) {
  std::vector<ferry_storage_op> raw;
  raw.reserve(ops.size());
  for (const auto& op : ops) {
    raw.push_back(
        ferry_storage_op{sizeof(ferry_storage_op), op.kind, bytes(op.key), bytes(op.value)});
  }
  return raw;
}

using EntryFn = std::function<bool(std::string_view, std::string_view)>;

int callEntryFn(void* fn, ferry_bytes key, ferry_bytes value) {
  return (*static_cast<const EntryFn*>(fn))(view(key), view(value)) ? 0 : 1;
}

}  // namespace

CallStatus StoragePluginInstance::write(const std::vector<Op>& ops) {
  const auto* vt = static_cast<const ferry_storage_vtable*>(vtable());
  std::vector<ferry_storage_op> raw = rawOps(ops);
  ferry_error err;
  return record(finish(vt->write(instance(), raw.data(), raw.size(), &err), err));
}

CallStatus StoragePluginInstance::scan(const EntryFn& fn) {
  const auto* vt = static_cast<const ferry_storage_vtable*>(vtable());
  ferry_error err;
  return finish(vt->scan(instance(), callEntryFn, const_cast<EntryFn*>(&fn), &err), err);
}

CallStatus StoragePluginInstance::wipe() {
  const auto* vt = static_cast<const ferry_storage_vtable*>(vtable());
  ferry_error err;
  return record(finish(vt->wipe(instance(), &err), err));
}

CallStatus StoragePluginInstance::flush() {
  const auto* vt = static_cast<const ferry_storage_vtable*>(vtable());
  ferry_error err;
  return record(finish(vt->flush(instance(), &err), err));
}

CallStatus StoragePluginInstance::record(CallStatus status) {
  const int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  std::lock_guard<std::mutex> lock(health_mu_);
  if (status.ok()) {
    ++health_.writes;
    health_.last_success_nanos = now;
  } else {
    ++health_.failures;
    health_.last_failure_nanos = now;
    health_.last_error = status.message;
  }
  return status;
}

StorageHealth StoragePluginInstance::health() const {
  std::lock_guard<std::mutex> lock(health_mu_);
  return health_;
}

bool StoragePluginInstance::shared() const {
  return (library().storageFlags() & FERRY_STORAGE_SHARED) != 0;
}

CallStatus StoragePluginInstance::snapshot(const EntryFn& fn, uint64_t& position) {
  const auto* vt = static_cast<const ferry_storage_vtable*>(vtable());
  ferry_error err;
  position = 0;
  return finish(vt->snapshot(instance(), callEntryFn, const_cast<EntryFn*>(&fn), &position, &err),
                err);
}

CallStatus StoragePluginInstance::readChanges(uint64_t after, uint32_t wait_ms,
                                              const std::function<bool(const CommitView&)>& fn) {
  const auto* vt = static_cast<const ferry_storage_vtable*>(vtable());
  struct Ctx {
    const std::function<bool(const CommitView&)>* fn;
    CommitView commit;  // reused: one allocation for the ops of every commit
  } ctx{&fn, {}};
  auto trampoline = [](void* c, const ferry_storage_commit* raw) -> int {
    auto& ctx = *static_cast<Ctx*>(c);
    ctx.commit.position = raw->position;
    ctx.commit.commit_time_unix_nanos = raw->commit_time_unix_nanos;
    ctx.commit.ops.clear();
    for (size_t i = 0; i < raw->count; ++i) {
      ctx.commit.ops.push_back({raw->ops[i].kind, view(raw->ops[i].key), view(raw->ops[i].value)});
    }
    return (*ctx.fn)(ctx.commit) ? 0 : 1;
  };
  ferry_error err;
  return finish(vt->read_changes(instance(), after, wait_ms, trampoline, &ctx, &err), err);
}

CallStatus StoragePluginInstance::writeIf(uint64_t expected, const std::vector<Op>& ops,
                                          uint64_t& position) {
  const auto* vt = static_cast<const ferry_storage_vtable*>(vtable());
  std::vector<ferry_storage_op> raw = rawOps(ops);
  ferry_error err;
  position = 0;
  CallStatus status =
      finish(vt->write_if(instance(), expected, raw.data(), raw.size(), &position, &err), err);
  // A conflict is the store working as it should, not a failed write.
  return status.status == FERRY_ERR_CONFLICT ? status : record(std::move(status));
}

CallStatus StoragePluginInstance::lease(std::string_view name, uint32_t ttl_ms, bool& held) {
  const auto* vt = static_cast<const ferry_storage_vtable*>(vtable());
  ferry_error err;
  int raw_held = 0;
  CallStatus status = finish(vt->lease(instance(), bytes(name), ttl_ms, &raw_held, &err), err);
  held = status.ok() && raw_held != 0;
  return status;
}

}  // namespace ferry::core::plugin_host

namespace ferry::core::plugin_host {

AuthPluginInstance::AuthPluginInstance(std::shared_ptr<PluginLibrary> library,
                                       const std::string& config_json)
    : PluginInstance(std::move(library), config_json) {
  const auto* vt = static_cast<const ferry_auth_vtable*>(vtable());
  flags_ = this->library().authFlags();
  // A 1.0/1.1 plugin's table ends before `challenge`: it declares none.
  bool has_challenge =
      vt->struct_size >= offsetof(ferry_auth_vtable, challenge) + sizeof(vt->challenge);
  if (!has_challenge || vt->challenge == nullptr) return;
  ferry_sink sink;
  vt->challenge(instance(), &sink);
  for (unsigned char c : sink.data) {
    // It becomes a response header: a CR or LF would let a plugin split the response.
    if (c < 0x20 || c > 0x7e) {
      throw PluginError("auth plugin \"" + info().name + "\" (" + info().path.string() +
                        ") declares an invalid WWW-Authenticate challenge: only printable " +
                        "ASCII is allowed");
    }
  }
  challenge_ = std::move(sink.data);
}

CallStatus AuthPluginInstance::authenticate(const AuthRequestView& request,
                                            std::string& identity) const {
  const auto* vt = static_cast<const ferry_auth_vtable*>(vtable());
  std::vector<ferry_header> headers;
  headers.reserve(request.headers.size());
  for (const auto& [name, value] : request.headers) {
    headers.push_back(ferry_header{bytes(name), bytes(value)});
  }
  ferry_auth_request raw{sizeof(ferry_auth_request),
                         bytes(request.method),
                         bytes(request.path),
                         headers.data(),
                         headers.size(),
                         bytes(request.remote_address),
                         bytes(request.tls_peer_subject),
                         request.tls_flags};
  ferry_error err;
  ferry_sink sink;
  ferry_status status = vt->authenticate(instance(), &raw, &sink, &err);
  identity = std::move(sink.data);
  if (status == FERRY_AUTH_NO_CREDENTIALS || status == FERRY_AUTH_DENIED) {
    return CallStatus{status, {}};  // outcomes, not failures
  }
  return finish(status, err);
}

}  // namespace ferry::core::plugin_host
