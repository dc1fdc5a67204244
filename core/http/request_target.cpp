#include "core/http/request_target.h"

namespace ferry::core::http {

TargetParts splitTarget(std::string_view target) {
  TargetParts parts;
  size_t question = target.find('?');
  std::string_view before = target.substr(0, question);
  if (question != std::string_view::npos) parts.query = target.substr(question + 1);
  if (before.compare(0, 7, "http://") == 0 || before.compare(0, 8, "https://") == 0) {
    size_t slash = before.find('/', before.find("//") + 2);
    parts.path = slash == std::string_view::npos ? std::string_view("/") : before.substr(slash);
  } else {
    parts.path = before;
  }
  return parts;
}

}  // namespace ferry::core::http
