#include "core/http/request.h"

#include "core/wire/tokens.h"

namespace ferry::core::http {

std::string_view Request::header(std::string_view name) const {
  for (const auto& field : headers) {
    if (wire::equalsIgnoreCase(field.name, name)) return field.value;
  }
  return {};
}

}  // namespace ferry::core::http
