#include "core/store/series_key.h"

namespace ferry::core::store {
namespace {

// Appends `s` so that byte-wise comparison of the encodings orders like comparison of the
// strings, and no encoding is a prefix of another: 0x00 becomes 0x00 0x01, 0x00 0x00 ends it.
void appendOrdered(std::string& out, const std::string& s) {
  for (char c : s) {
    out += c;
    if (c == '\0') out += '\x01';
  }
  out += '\0';
  out += '\0';
}

}  // namespace

std::string seriesSortKey(const io::prometheus::client::Metric& metric) {
  std::string key;
  size_t n = static_cast<size_t>(metric.label_size());
  key.reserve(4 + n * 24);
  key += static_cast<char>((n >> 24) & 0xff);
  key += static_cast<char>((n >> 16) & 0xff);
  key += static_cast<char>((n >> 8) & 0xff);
  key += static_cast<char>(n & 0xff);
  for (const auto& label : metric.label()) appendOrdered(key, label.value());
  for (const auto& label : metric.label()) appendOrdered(key, label.name());
  return key;
}

}  // namespace ferry::core::store
