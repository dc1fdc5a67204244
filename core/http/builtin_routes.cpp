#include "core/http/builtin_routes.h"

#include "core/auth/admission.h"
#include "core/http/api_handlers.h"
#include "core/http/group_delete_handler.h"
#include "core/http/groups_api.h"
#include "core/http/lifecycle_handlers.h"
#include "core/http/push_handlers.h"
#include "core/http/scrape_handler.h"
#include "core/http/ui_api.h"
#include "core/http/ui_handler.h"
#include "core/http/wipe_handler.h"

namespace ferry::core::http {

RouteTable builtinRoutes(const HandlerDeps& d) {
  using auth::RouteKind;
  RouteTable t;
  // Pushes and deletes share their paths; the method picks the handler, as in Pushgateway.
  for (RouteId id : {RouteId::kPush, RouteId::kPushBase64}) {
    t.add(id, Route{PushHandler(d.pipeline, d.telemetry), "push", RouteKind::kPush});
    t.add(id, "DELETE", Route{DeleteHandler(d.pipeline), "delete", RouteKind::kDelete});
  }
  // Scrapes are counted by client_golang's own instrumentation in Pushgateway, not here.
  t.add(RouteId::kTelemetry,
        Route{ScrapeHandler(d.exposition, d.store, d.telemetry), nullptr, RouteKind::kScrape});
  t.add(RouteId::kHealthy, Route{answerHealthy, "healthy", RouteKind::kHealth, true});
  t.add(RouteId::kReady, Route{ReadyHandler(d.store), "ready", RouteKind::kHealth, true});
  t.add(RouteId::kQuit,
        Route{QuitHandler(d.enable_lifecycle, d.request_shutdown), nullptr, RouteKind::kLifecycle});
  t.add(RouteId::kQuitRootGet, Route{answerQuitGet, nullptr, std::nullopt, true});
  // The web UI: its page, its files (embedded, so quick) and its two API endpoints.
  for (RouteId id : {RouteId::kIndex, RouteId::kStatus}) {
    t.add(id, Route{serveUiPage, "status", RouteKind::kApiRead, true});
  }
  t.add(RouteId::kStatic, Route{serveUiFile, "static", RouteKind::kApiRead, true});
  t.add(RouteId::kApiRights, Route{ApiRightsHandler(d.admission, d.enable_admin_api),
                                   "api/v1/rights", RouteKind::kApiRead, true});
  t.add(RouteId::kApiRuntime,
        Route{ApiRuntimeHandler(d.runtime), "api/v1/runtime", RouteKind::kApiRead});
  t.add(RouteId::kApiStatus, Route{ApiStatusHandler(d.status_flags, d.start_time_nanos),
                                   "api/v1/status", RouteKind::kApiRead, true});
  t.add(RouteId::kApiMetrics,
        Route{ApiMetricsHandler(d.exposition), "api/v1/metrics", RouteKind::kApiRead});
  // The group API walks the store (a selector may look at every group): a handler thread's job.
  t.add(RouteId::kApiGroups,
        Route{GroupListHandler(d.store), "api/v1/groups", RouteKind::kApiRead});
  // Selector delete checks the delete right per matched job itself (a request names no job),
  // so admission only identifies the caller.
  t.add(RouteId::kApiGroups, "DELETE",
        Route{GroupDeleteHandler(d.pipeline, d.admission.rights(), d.telemetry), "api/v1/groups",
              std::nullopt});
  t.add(RouteId::kApiGroup,
        Route{GroupDetailHandler(d.store), "api/v1/groups", RouteKind::kApiRead});
  t.add(RouteId::kApiWipe, Route{WipeHandler(d.pipeline), "wipe", RouteKind::kAdmin});
  t.add(RouteId::kApiOptions, Route{answerApiOptions, "api/v1/options", std::nullopt, true});
  return t;
}

}  // namespace ferry::core::http
