#pragma once

// What the fuzz targets share: an invariant check that stops the run (libFuzzer keeps the
// input as a crash) and the split of one input into several fields.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::fuzz {

[[noreturn]] inline void invariantFailed(const char* file, int line, const char* condition,
                                         const std::string& detail) {
  std::fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, condition);
  if (!detail.empty()) std::fprintf(stderr, "  %s\n", detail.c_str());
  std::abort();
}

// A printable form of bytes for invariant messages: printable ASCII as is, the rest as \xNN.
inline std::string printable(std::string_view bytes, size_t max = 300) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < max; ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  if (bytes.size() > max) out += "...";
  return out;
}

inline std::string_view asView(const uint8_t* data, size_t size) {
  return std::string_view(reinterpret_cast<const char*>(data), size);
}

// Splits the input on NUL bytes into exactly `n` fields: missing ones are empty and the last
// one keeps any further NULs. Seeds stay readable (fields separated by \0), and the fuzzer can
// still put any byte into the last field.
inline std::vector<std::string_view> splitFields(std::string_view input, size_t n) {
  std::vector<std::string_view> fields;
  while (fields.size() + 1 < n) {
    const size_t nul = input.find('\0');
    if (nul == std::string_view::npos) break;
    fields.push_back(input.substr(0, nul));
    input.remove_prefix(nul + 1);
  }
  fields.push_back(input);
  fields.resize(n);
  return fields;
}

}  // namespace ferry::fuzz

// Aborts with the condition, the place and `detail` (anything streamable into std::string via
// operator+) when `condition` is false.
#define FUZZ_CHECK(condition, detail)                                                         \
  do {                                                                                        \
    if (!(condition)) ::ferry::fuzz::invariantFailed(__FILE__, __LINE__, #condition, detail); \
  } while (0)
