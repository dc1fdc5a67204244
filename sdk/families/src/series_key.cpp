#include "ferry/families/series_key.hpp"

namespace ferry::families {
namespace {

// Writes `s` at `out` so that byte-wise comparison of the encodings orders like comparison of
// the strings, and no encoding is a prefix of another: 0x00 becomes 0x00 0x01, 0x00 0x00 ends
// it. Writes at most 2 * s.size() + 2 bytes; returns the end of what was written.
char* writeOrdered(char* out, const std::string& s) {
  for (char c : s) {
    *out++ = c;
    if (c == '\0') *out++ = '\x01';
  }
  *out++ = '\0';
  *out++ = '\0';
  return out;
}

}  // namespace

void appendSeriesSortKey(std::string& out, const io::prometheus::client::Metric& metric) {
  // Written through a pointer into room for the worst case, then cut to size: appending byte
  // by byte to the string (or scanning each label for 0x00 first) was a tenth of a push's cost.
  size_t n = static_cast<size_t>(metric.label_size());
  size_t bound = 4;
  for (const auto& label : metric.label()) {
    bound += 2 * (label.name().size() + label.value().size()) + 4;
  }
  size_t at = out.size();
  out.resize(at + bound);
  char* begin = &out[0];
  char* p = begin + at;
  *p++ = static_cast<char>((n >> 24) & 0xff);
  *p++ = static_cast<char>((n >> 16) & 0xff);
  *p++ = static_cast<char>((n >> 8) & 0xff);
  *p++ = static_cast<char>(n & 0xff);
  for (const auto& label : metric.label()) p = writeOrdered(p, label.value());
  for (const auto& label : metric.label()) p = writeOrdered(p, label.name());
  out.resize(static_cast<size_t>(p - begin));
}

std::string seriesSortKey(const io::prometheus::client::Metric& metric) {
  std::string key;
  appendSeriesSortKey(key, metric);
  return key;
}

}  // namespace ferry::families
