#pragma once

#include <string>
#include <string_view>

namespace ferry::core::http {

// HTML-escapes text for element content and quoted attribute values (as Go's html.EscapeString),
// for the small HTML bodies Go's server writes itself (redirects).
void appendHtmlEscaped(std::string& out, std::string_view text);

}  // namespace ferry::core::http
