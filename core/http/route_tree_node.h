#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/http/route_tree.h"

// RouteTree's node, shared by the insertion/lookup and the case-insensitive search sources.
namespace ferry::core::http {

struct RouteTree::Node {
  enum class Type { kStatic, kRoot, kParam, kCatchAll };

  std::string path;
  bool wild_child = false;  // the only child is a ":param" or "*catch-all" node
  Type type = Type::kStatic;
  std::string indices;  // first byte of each static child's path, parallel to `children`
  std::vector<std::unique_ptr<Node>> children;
  int handle = -1;

  Node* childAt(char first_byte) const {
    const size_t pos = indices.find(first_byte);
    return pos == std::string::npos ? nullptr : children[pos].get();
  }
};

}  // namespace ferry::core::http
