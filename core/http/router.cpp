#include "core/http/router.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "core/http/url_path.h"

namespace ferry::core::http {
namespace {

constexpr std::string_view kGet = "GET";
constexpr std::string_view kPut = "PUT";
constexpr std::string_view kPost = "POST";
constexpr std::string_view kDelete = "DELETE";
constexpr std::string_view kOptions = "OPTIONS";
constexpr std::string_view kConnect = "CONNECT";

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

RouteMatch simple(RouteMatch::Kind kind, int status, bool main_router) {
  RouteMatch m;
  m.kind = kind;
  m.status = status;
  m.main_router = main_router;
  return m;
}

RouteMatch badRequest() { return simple(RouteMatch::Kind::kBadRequest, 400, false); }

// http.Redirect cleans a local target's path but keeps its trailing slash and query.
RouteMatch redirect(int status, std::string_view escaped_path, std::string_view query_suffix,
                    bool main_router) {
  RouteMatch m = simple(RouteMatch::Kind::kRedirect, status, main_router);
  m.location = cleanRequestPath(escaped_path);
  m.location += query_suffix;
  return m;
}

}  // namespace

Router::Router(RouterOptions options) : options_(std::move(options)) {
  const std::string& p = options_.route_prefix;
  if (!p.empty() && (p[0] != '/' || p.back() == '/')) {
    throw std::invalid_argument("route prefix \"" + p +
                                "\" must be empty or start but not end with '/'");
  }
  telemetry_route_ = joinPath(p, options_.telemetry_path);
  api_prefix_ = p + "/api/v1";
  api_mux_pattern_ = api_prefix_ + "/";

  // Same registration order as Pushgateway's main.go, so that conflicting configurations fail
  // with the same route.
  add(main_trees_, kGet, p + "/-/healthy", RouteId::kHealthy);
  add(main_trees_, kGet, p + "/-/ready", RouteId::kReady);
  add(main_trees_, kGet, telemetry_route_, RouteId::kTelemetry);
  for (const auto& [suffix, id] :
       {std::pair{"", RouteId::kPush}, std::pair{"@base64", RouteId::kPushBase64}}) {
    const std::string job_route = p + "/metrics/job" + suffix + "/:job";
    for (std::string_view method : {kPut, kPost, kDelete}) {
      add(main_trees_, method, job_route + "/*labels", id);
    }
    for (std::string_view method : {kPut, kPost, kDelete}) add(main_trees_, method, job_route, id);
  }
  add(main_trees_, kGet, p + "/static/*filepath", RouteId::kStatic);
  add(main_trees_, kGet, p + "/status", RouteId::kStatus);
  add(main_trees_, kGet, p + "/", RouteId::kIndex);
  add(main_trees_, kPut, p + "/-/quit", RouteId::kQuit);
  add(main_trees_, kPost, p + "/-/quit", RouteId::kQuit);
  add(main_trees_, kGet, "/-/quit", RouteId::kQuitRootGet);

  add(api_trees_, kOptions, "/*path", RouteId::kApiOptions);
  add(api_trees_, kGet, "/status", RouteId::kApiStatus);
  add(api_trees_, kGet, "/metrics", RouteId::kApiMetrics);
  add(api_trees_, kGet, "/rights", RouteId::kApiRights);
  add(api_trees_, kGet, "/runtime", RouteId::kApiRuntime);
  if (options_.enable_admin_api) add(api_trees_, kPut, "/admin/wipe", RouteId::kApiWipe);
  add(api_trees_, kGet, "/groups", RouteId::kApiGroups);
  if (options_.enable_selector_delete) add(api_trees_, kDelete, "/groups", RouteId::kApiGroups);
  add(api_trees_, kGet, "/groups/:id", RouteId::kApiGroup);
}

void Router::add(std::vector<MethodTree>& trees, std::string_view method, std::string_view pattern,
                 RouteId id) {
  auto it = std::find_if(trees.begin(), trees.end(),
                         [&](const MethodTree& t) { return t.method == method; });
  if (it == trees.end()) {
    trees.push_back({std::string(method), RouteTree()});
    it = trees.end() - 1;
  }
  it->tree.add(pattern, static_cast<int>(id));
}

RouteMatch Router::match(std::string_view method, std::string_view raw_path,
                         std::optional<std::string_view> raw_query) const {
  if (raw_path == "*") {
    // Go's server answers "OPTIONS *" itself and ServeMux refuses any other "*" request.
    return method == kOptions ? simple(RouteMatch::Kind::kOptions, 200, false) : badRequest();
  }
  if (raw_path.empty() || raw_path[0] != '/' || containsControlByte(raw_path) ||
      (raw_query && containsControlByte(*raw_query))) {
    return badRequest();
  }
  const std::optional<std::string> decoded = unescapePath(raw_path);
  if (!decoded) return badRequest();
  const std::string_view raw_field = rawPathField(raw_path, *decoded);

  // ServeMux: "P/api/v1" (after cleaning) gets its slash, then any other unclean path is
  // redirected to its cleaned form. CONNECT requests are not cleaned.
  const bool is_connect = method == kConnect;
  const bool clean = is_connect || isCleanRequestPath(*decoded);
  if (!clean || *decoded == api_prefix_) {
    const std::string mux_query =
        raw_query && !raw_query->empty() ? "?" + std::string(*raw_query) : std::string();
    std::string target = clean ? *decoded : cleanRequestPath(*decoded);
    if (target == api_prefix_) target.push_back('/');
    return redirect(301, escapePath(target), mux_query, false);
  }

  if (!startsWith(*decoded, api_mux_pattern_)) {
    return dispatch(main_trees_, method, *decoded, raw_field, raw_query, true);
  }
  // http.StripPrefix also strips the raw path and gives up (404) if that does not start with
  // the prefix, e.g. for "/%61pi/v1/status".
  std::string_view raw_rest;
  if (!raw_field.empty()) {
    if (!startsWith(raw_field, api_prefix_)) return simple(RouteMatch::Kind::kNotFound, 404, false);
    raw_rest = raw_field.substr(api_prefix_.size());
  }
  return dispatch(api_trees_, method, std::string_view(*decoded).substr(api_prefix_.size()),
                  raw_rest, raw_query, false);
}

RouteMatch Router::dispatch(const std::vector<MethodTree>& trees, std::string_view method,
                            std::string_view path, std::string_view raw_path_field,
                            std::optional<std::string_view> raw_query, bool main_router) const {
  const auto tree_for = [&trees](std::string_view m) -> const RouteTree* {
    for (const MethodTree& t : trees) {
      if (t.method == m) return &t.tree;
    }
    return nullptr;
  };

  if (const RouteTree* tree = tree_for(method)) {
    const RouteTree::Lookup found = tree->lookup(path);
    if (found.handle >= 0) {
      RouteMatch m = simple(RouteMatch::Kind::kHandler, 0, main_router);
      m.route = static_cast<RouteId>(found.handle);
      for (const RouteTree::Param& param : found.params) {
        if (param.key == "job") {
          m.job = std::string(param.value);
        } else if (param.key == "labels") {
          m.labels = std::string(param.value);
        } else if (param.key == "filepath" || param.key == "path" || param.key == "id") {
          m.path_rest = std::string(param.value);
        }
      }
      return m;
    }
    if (method != kConnect && path != "/") {
      // httprouter redirects with req.URL.String(): the query is kept, even an empty one.
      const std::string query = raw_query ? "?" + std::string(*raw_query) : std::string();
      const int status = method == kGet ? 301 : 307;
      if (found.tsr) {
        std::string fixed(path);
        if (fixed.size() > 1 && fixed.back() == '/') {
          fixed.pop_back();
        } else {
          fixed.push_back('/');
        }
        return redirect(status, escapedPath(fixed, raw_path_field), query, main_router);
      }
      if (std::optional<std::string> fixed =
              tree->findCaseInsensitivePath(cleanRequestPath(path), true)) {
        return redirect(status, escapedPath(*fixed, raw_path_field), query, main_router);
      }
    }
  }

  // 405 / automatic OPTIONS: every other method whose tree has a handle for the path, plus
  // OPTIONS, sorted.
  std::vector<std::string_view> allowed;
  for (const MethodTree& t : trees) {
    if (t.method == method || t.method == kOptions) continue;
    if (t.tree.lookup(path).handle >= 0) allowed.push_back(t.method);
  }
  if (!allowed.empty()) {
    allowed.push_back(kOptions);
    std::sort(allowed.begin(), allowed.end());
    const bool is_options = method == kOptions;
    RouteMatch m =
        simple(is_options ? RouteMatch::Kind::kOptions : RouteMatch::Kind::kMethodNotAllowed,
               is_options ? 200 : 405, main_router);
    for (std::string_view a : allowed) {
      if (!m.allow.empty()) m.allow += ", ";
      m.allow += a;
    }
    return m;
  }
  return simple(RouteMatch::Kind::kNotFound, 404, main_router);
}

}  // namespace ferry::core::http
