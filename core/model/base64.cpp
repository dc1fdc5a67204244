#include "core/model/base64.h"

#include <array>
#include <cstdint>

namespace ferry::core::model {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr uint8_t kInvalid = 0xFF;

constexpr std::array<uint8_t, 256> makeDecodeTable() {
  std::array<uint8_t, 256> table{};
  for (auto& v : table) v = kInvalid;
  for (uint8_t i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}

constexpr std::array<uint8_t, 256> kDecode = makeDecodeTable();

}  // namespace

std::optional<std::string> decodeBase64Url(std::string_view in, size_t* bad_index) {
  while (!in.empty() && in.back() == '=') in.remove_suffix(1);

  std::string out;
  out.reserve(in.size() / 4 * 3 + 3);
  uint32_t quantum = 0;  // accumulated 6-bit groups of the current (up to) 4-char quantum
  int count = 0;         // characters in the current quantum
  for (size_t i = 0; i < in.size(); ++i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c == '\r' || c == '\n') continue;
    const uint8_t value = kDecode[c];
    if (value == kInvalid) {
      // Without a padding character every non-alphabet byte (including an inner '=') is
      // reported at its own offset.
      if (bad_index != nullptr) *bad_index = i;
      return std::nullopt;
    }
    quantum = (quantum << 6) | value;
    if (++count == 4) {
      out.push_back(static_cast<char>(quantum >> 16));
      out.push_back(static_cast<char>(quantum >> 8));
      out.push_back(static_cast<char>(quantum));
      quantum = 0;
      count = 0;
    }
  }
  switch (count) {
    case 1:
      // A lone final character carries only 6 bits. Go reports len(src) - 1 here, which is
      // not necessarily that character's offset when line breaks follow it.
      if (bad_index != nullptr) *bad_index = in.size() - 1;
      return std::nullopt;
    case 2:
      out.push_back(static_cast<char>(quantum >> 4));
      break;
    case 3:
      out.push_back(static_cast<char>(quantum >> 10));
      out.push_back(static_cast<char>(quantum >> 2));
      break;
    default:
      break;
  }
  return out;
}

std::string encodeBase64Url(std::string_view in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16 |
                       static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8 |
                       static_cast<unsigned char>(in[i + 2]);
    out.push_back(kAlphabet[(v >> 18) & 0x3F]);
    out.push_back(kAlphabet[(v >> 12) & 0x3F]);
    out.push_back(kAlphabet[(v >> 6) & 0x3F]);
    out.push_back(kAlphabet[v & 0x3F]);
  }
  const size_t rest = in.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(in[i])) << 16;
    if (rest == 2) v |= static_cast<uint32_t>(static_cast<unsigned char>(in[i + 1])) << 8;
    out.push_back(kAlphabet[(v >> 18) & 0x3F]);
    out.push_back(kAlphabet[(v >> 12) & 0x3F]);
    if (rest == 2) out.push_back(kAlphabet[(v >> 6) & 0x3F]);
  }
  return out;
}

std::string base64ErrorText(size_t bad_index) {
  return "illegal base64 data at input byte " + std::to_string(bad_index);
}

}  // namespace ferry::core::model
