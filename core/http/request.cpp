#include "core/http/request.h"

#include "core/wire/tokens.h"

namespace ferry::core::http {

std::string_view Request::header(std::string_view name) const {
  return findHeader(name).value_or(std::string_view());
}

std::optional<std::string_view> Request::findHeader(std::string_view name) const {
  for (const auto& field : headers) {
    if (wire::equalsIgnoreCase(field.name, name)) return std::string_view(field.value);
  }
  return std::nullopt;
}

}  // namespace ferry::core::http
