#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/http/app_context.h"

// The two API endpoints the web UI adds beside the Pushgateway's (docs/web-ui.md):
//   GET P/api/v1/rights   what the caller may do, so the page shows only the buttons that work
//   GET P/api/v1/runtime  what the server is and how it is doing (the Status tab)
// Both answer {"status":"success","data":...} as the Pushgateway's /api/v1 does.
namespace ferry::core::http {

// `rights`: the config's "auth" rights, or null without "auth" (then the Pushgateway's rules
// apply: whoever reaches the page may delete). `identity`: who the request is ("user:ci",
// "anonymous"), or nullopt when nothing identified it.
nlohmann::json rightsData(const auth::Rights* rights, bool enable_admin_api,
                          const std::optional<std::string>& identity);

nlohmann::json runtimeData(const AppContext& context);

// A copy of a plugin's JSON config fit to show: the value of every key that names a secret
// (password, secret, token, key, credential, auth...) is replaced by "<hidden>", and so is the
// password of any URL ("redis://user:pw@host" -> "redis://user:<hidden>@host").
nlohmann::json redactedConfig(const nlohmann::json& config);

// {"status":"success","data":data} as a string (invalid UTF-8 replaced, never thrown on).
std::string apiSuccess(const nlohmann::json& data);

}  // namespace ferry::core::http
