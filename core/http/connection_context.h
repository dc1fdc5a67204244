#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "core/auth/admission.h"
#include "core/http/router.h"
#include "core/http/routes.h"
#include "core/net/worker_pool.h"
#include "core/telemetry/telemetry.h"

namespace ferry::core::http {

// --push.max-body-bytes=0 sets no limit of Ferry's own, but a body is held in memory while its
// input plugin parses it (the plugin ABI takes it whole), so this ceiling still applies.
constexpr size_t kBodyCeiling = size_t{256} << 20;

// The bounds every connection lives by (flags in docs/configuration.md).
struct FrontDoorLimits {
  // Request line and header fields together; Go's MaxHeaderBytes (4096 bytes of slack are
  // added, as Go's server does, so every head Go accepts is accepted).
  size_t max_header_bytes = 1 << 20;
  // Largest body, before and after decompression; never 0 (see front_door.h).
  size_t max_body_bytes = size_t{64} << 20;
  // From the first byte of a request (or the connection's start) to the end of its head.
  std::chrono::milliseconds read_header_timeout{std::chrono::seconds(30)};
  // A body must arrive within this, plus one second per `body_min_rate` bytes received.
  std::chrono::milliseconds read_body_timeout{std::chrono::seconds(30)};
  uint64_t body_min_rate = 8192;  // bytes per second
  // An idle keep-alive connection is closed after this.
  std::chrono::milliseconds keep_alive_timeout{std::chrono::seconds(15)};
  // An answer whose client reads nothing of it for this long is dropped.
  std::chrono::milliseconds write_timeout{std::chrono::seconds(60)};
  std::chrono::milliseconds tls_handshake_timeout{std::chrono::seconds(10)};
  // Lingering close: after refusing a request whose body was not read, at most this much of it
  // is read and thrown away so that the client sees the answer instead of a reset.
  uint64_t linger_bytes = uint64_t{256} << 20;
};

// What every connection shares; owned by the front door.
struct ConnectionContext {
  const Router& router;
  const RouteTable& routes;
  telemetry::Telemetry& telemetry;
  auth::Admission& admission;
  // Handlers that may block (pushes wait for the store's group commit, scrapes render) and
  // credential checks that were seen before run on `handlers`; credentials never seen before
  // (bcrypt, auth plugins) on `credential_checks`, so a flood of wrong passwords queues there
  // and not in front of anyone else.
  net::WorkerPool& handlers;
  net::WorkerPool& credential_checks;
  FrontDoorLimits limits;
  std::atomic<bool> stopping{false};
  std::atomic<size_t> open_connections{0};
};

}  // namespace ferry::core::http
