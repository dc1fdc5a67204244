#include "ferry/support/names.hpp"

#include "ferry/support/ascii.hpp"

namespace ferry::support {
bool isValidLabelName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!(isAsciiLetter(c) || c == '_' || (i > 0 && isAsciiDigit(c)))) return false;
  }
  return true;
}

bool isValidMetricName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (!(isAsciiLetter(c) || c == '_' || c == ':' || (i > 0 && isAsciiDigit(c)))) return false;
  }
  return true;
}

}  // namespace ferry::support
