#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace ferry::core::model {

// Decodes a base64 value from a push URL the way Pushgateway does: strip every trailing '=',
// then decode with Go's base64.RawURLEncoding (RFC 4648 URL-safe alphabet '-' '_', no padding,
// unused trailing bits ignored, '\r' and '\n' skipped anywhere). So padding is optional and "="
// alone is the empty string, while '+', '/' and '=' inside the value are errors.
// On error returns nullopt and, if `bad_index` is given, stores the byte offset Go reports in
// "illegal base64 data at input byte N" (an offset into the value after the '=' were stripped).
std::optional<std::string> decodeBase64Url(std::string_view in, size_t* bad_index = nullptr);

// RFC 4648 URL-safe alphabet without padding (what the Pushgateway UI puts into delete URLs,
// minus the one '=' the UI appends).
std::string encodeBase64Url(std::string_view in);

// Go's base64.CorruptInputError text: "illegal base64 data at input byte N".
std::string base64ErrorText(size_t bad_index);

}  // namespace ferry::core::model
