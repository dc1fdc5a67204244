#pragma once

#include <cstddef>
#include <string>

namespace ferry::core::codec {

// The text of the error for a body whose decoded size passes the limit.
inline std::string tooLargeError(size_t limit) {
  return "request body too large: limit is " + std::to_string(limit) + " bytes";
}

}  // namespace ferry::core::codec
