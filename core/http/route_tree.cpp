#include "core/http/route_tree.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "core/http/route_tree_node.h"

namespace ferry::core::http {

namespace {

using Node = RouteTree::Node;
using Type = Node::Type;

std::invalid_argument routeError(const std::string& what, std::string_view pattern) {
  return std::invalid_argument(what + " in path '" + std::string(pattern) + "'");
}

// Fills `n` (fresh, or an existing leaf when `path` starts with a wildcard) with `path`.
void insertChild(Node* n, std::string_view path, std::string_view pattern, int handle) {
  size_t offset = 0;  // bytes of `path` already stored in nodes
  for (size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c != ':' && c != '*') continue;

    size_t end = i + 1;
    for (; end < path.size() && path[end] != '/'; ++end) {
      if (path[end] == ':' || path[end] == '*') {
        throw routeError("only one wildcard per path segment is allowed, has: '" +
                             std::string(path.substr(i)) + "'",
                         pattern);
      }
    }
    if (!n->children.empty()) {
      throw routeError("wildcard route '" + std::string(path.substr(i, end - i)) +
                           "' conflicts with existing children",
                       pattern);
    }
    if (end - i < 2) throw routeError("wildcards must be named with a non-empty name", pattern);

    if (c == ':') {
      if (i > 0) {
        n->path = std::string(path.substr(offset, i - offset));
        offset = i;
      }
      n->children.push_back(std::make_unique<Node>());
      n->wild_child = true;
      n = n->children[0].get();
      n->type = Type::kParam;
      if (end < path.size()) {
        n->path = std::string(path.substr(offset, end - offset));
        offset = end;
        n->children.push_back(std::make_unique<Node>());
        n = n->children[0].get();
      }
      continue;
    }

    if (end != path.size()) {
      throw routeError("catch-all routes are only allowed at the end of the path", pattern);
    }
    if (!n->path.empty() && n->path.back() == '/') {
      throw routeError("catch-all conflicts with existing handle for the path segment root",
                       pattern);
    }
    if (i == 0 || path[i - 1] != '/') throw routeError("no / before catch-all", pattern);
    --i;  // the '/' before '*' belongs to the catch-all
    n->path = std::string(path.substr(offset, i - offset));
    n->children.push_back(std::make_unique<Node>());
    n->indices = "/";
    n = n->children[0].get();
    n->type = Type::kCatchAll;
    n->wild_child = true;
    n->children.push_back(std::make_unique<Node>());
    Node* holder = n->children[0].get();
    holder->type = Type::kCatchAll;
    holder->path = std::string(path.substr(i));
    holder->handle = handle;
    return;
  }
  n->path = std::string(path.substr(offset));
  n->handle = handle;
}

}  // namespace

RouteTree::RouteTree() : root_(std::make_unique<Node>()) {}
RouteTree::~RouteTree() = default;
RouteTree::RouteTree(RouteTree&&) noexcept = default;
RouteTree& RouteTree::operator=(RouteTree&&) noexcept = default;

void RouteTree::add(std::string_view pattern, int handle) {
  if (pattern.empty() || pattern[0] != '/') {
    throw routeError("path must begin with '/'", pattern);
  }
  Node* n = root_.get();
  if (n->path.empty() && n->children.empty()) {
    insertChild(n, pattern, pattern, handle);
    n->type = Type::kRoot;
    return;
  }

  std::string_view path = pattern;
  while (true) {
    size_t i = 0;
    const size_t max = std::min(path.size(), n->path.size());
    while (i < max && path[i] == n->path[i]) ++i;

    if (i < n->path.size()) {  // split the edge at the longest common prefix
      auto child = std::make_unique<Node>();
      child->path = n->path.substr(i);
      child->wild_child = n->wild_child;
      child->indices = std::move(n->indices);
      child->children = std::move(n->children);
      child->handle = n->handle;
      n->children.clear();
      n->children.push_back(std::move(child));
      n->indices = std::string(1, n->path[i]);
      n->path.resize(i);
      n->handle = -1;
      n->wild_child = false;
    }

    if (i == path.size()) {
      if (n->handle >= 0) {
        throw std::invalid_argument("a handle is already registered for path '" +
                                    std::string(pattern) + "'");
      }
      n->handle = handle;
      return;
    }

    path.remove_prefix(i);
    if (n->wild_child) {
      n = n->children[0].get();
      const std::string& wild = n->path;
      if (path.size() >= wild.size() && path.substr(0, wild.size()) == wild &&
          n->type != Type::kCatchAll && (wild.size() >= path.size() || path[wild.size()] == '/')) {
        continue;
      }
      const std::string_view segment =
          n->type == Type::kCatchAll ? path : path.substr(0, path.find('/'));
      throw std::invalid_argument("'" + std::string(segment) + "' in new path '" +
                                  std::string(pattern) + "' conflicts with existing wildcard '" +
                                  wild + "'");
    }

    const char c = path[0];
    if (n->type == Type::kParam && c == '/' && n->children.size() == 1) {
      n = n->children[0].get();
      continue;
    }
    if (Node* next = n->childAt(c)) {
      n = next;
      continue;
    }
    if (c != ':' && c != '*') {
      n->indices.push_back(c);
      n->children.push_back(std::make_unique<Node>());
      n = n->children.back().get();
    }
    insertChild(n, path, pattern, handle);
    return;
  }
}

RouteTree::Lookup RouteTree::lookup(std::string_view path) const {
  Lookup out;
  const Node* n = root_.get();
  while (true) {
    const std::string_view node_path = n->path;
    if (path.size() > node_path.size()) {
      if (path.substr(0, node_path.size()) == node_path) {
        path.remove_prefix(node_path.size());
        if (!n->wild_child) {
          if (const Node* next = n->childAt(path[0])) {
            n = next;
            continue;
          }
          out.tsr = path == "/" && n->handle >= 0;
          return out;
        }

        n = n->children[0].get();
        if (n->type == Type::kCatchAll) {
          out.params.push_back({std::string_view(n->path).substr(2), path});
          out.handle = n->handle;
          return out;
        }
        const size_t end = std::min(path.find('/'), path.size());
        out.params.push_back({std::string_view(n->path).substr(1), path.substr(0, end)});
        if (end < path.size()) {
          if (!n->children.empty()) {
            path.remove_prefix(end);
            n = n->children[0].get();
            continue;
          }
          out.tsr = path.size() == end + 1;
          return out;
        }
        if (n->handle >= 0) {
          out.handle = n->handle;
        } else if (n->children.size() == 1) {
          const Node* child = n->children[0].get();
          out.tsr = child->path == "/" && child->handle >= 0;
        }
        return out;
      }
    } else if (path == node_path) {
      if (n->handle >= 0) {
        out.handle = n->handle;
        return out;
      }
      if (path == "/" && n->wild_child && n->type != Type::kRoot) {
        out.tsr = true;
        return out;
      }
      if (const Node* slash = n->childAt('/')) {
        out.tsr = (slash->path.size() == 1 && slash->handle >= 0) ||
                  (slash->type == Type::kCatchAll && slash->children[0]->handle >= 0);
      }
      return out;
    }

    out.tsr =
        path == "/" || (node_path.size() == path.size() + 1 && node_path[path.size()] == '/' &&
                        path == node_path.substr(0, path.size()) && n->handle >= 0);
    return out;
  }
}

}  // namespace ferry::core::http
