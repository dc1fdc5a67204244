#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::core::http {

// The per-method lookup tree of julienschmidt/httprouter v1.3.0 (BSD-3-Clause), which
// Pushgateway routes with. Its trailing-slash recommendations and case-insensitive path fixing
// are heuristics tied to the radix-tree shape (e.g. "POST /metrics/job/" is redirected to
// "/metrics/job" although nothing is registered there, while "/metrics/JOB@BASE64/x/a/b" is
// not fixed although "/metrics/job/X/a/b" is), so Ferry keeps the same tree to give the same
// answers. Patterns: static text, ":name" (one non-empty segment) and a trailing "*name"
// (the rest of the path, starting with '/').
class RouteTree {
 public:
  struct Param {
    std::string_view key;    // points into the tree
    std::string_view value;  // points into the looked-up path
  };
  struct Lookup {
    int handle = -1;  // >= 0 when a route matched
    std::vector<Param> params;
    bool tsr = false;  // no match, but the tree recommends adding/removing a trailing slash
  };

  RouteTree();
  ~RouteTree();
  RouteTree(RouteTree&&) noexcept;
  RouteTree& operator=(RouteTree&&) noexcept;

  // Registers `pattern` (must start with '/') for `handle` (>= 0). Throws std::invalid_argument
  // with httprouter's reason where httprouter would panic: duplicate route, wildcard conflicts,
  // unnamed wildcard, catch-all not at the end.
  void add(std::string_view pattern, int handle);

  Lookup lookup(std::string_view path) const;

  // Case-insensitive lookup, optionally also fixing a trailing slash; returns the corrected
  // path when the tree thinks there is one.
  std::optional<std::string> findCaseInsensitivePath(std::string_view path,
                                                     bool fix_trailing_slash) const;

  struct Node;  // defined in route_tree.cpp

 private:
  std::unique_ptr<Node> root_;
};

}  // namespace ferry::core::http
