#include "core/migrate/gob_stream.h"

#include <cstring>

namespace ferry::core::migrate {

GobError::GobError(size_t offset, const std::string& what)
    : std::runtime_error("at offset " + std::to_string(offset) + ": " + what), offset_(offset) {}

void GobCursor::fail(const std::string& what) const { throw GobError(offset(), what); }

uint64_t GobCursor::readUint(const char* what) {
  if (atEnd()) fail(std::string("unexpected end of data reading ") + what);
  const auto first = static_cast<uint8_t>(data_[pos_]);
  if (first < 0x80) {
    ++pos_;
    return first;
  }
  const size_t n = 256 - first;  // the byte count, sent negated
  if (n > 8)
    fail(std::string("invalid unsigned integer (byte count ") + std::to_string(n) + ") reading " +
         what);
  if (remaining() < n + 1) fail(std::string("unexpected end of data reading ") + what);
  uint64_t value = 0;
  for (size_t i = 1; i <= n; ++i) value = (value << 8) | static_cast<uint8_t>(data_[pos_ + i]);
  pos_ += n + 1;
  return value;
}

int64_t GobCursor::readInt(const char* what) {
  const uint64_t u = readUint(what);
  const uint64_t magnitude = u >> 1;
  return static_cast<int64_t>((u & 1) ? ~magnitude : magnitude);
}

double GobCursor::readFloat(const char* what) {
  uint64_t u = readUint(what);
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) {
    bits = (bits << 8) | (u & 0xFF);
    u >>= 8;
  }
  double value;
  std::memcpy(&value, &bits, sizeof value);
  return value;
}

size_t GobCursor::readCount(const char* what) {
  const size_t at = offset();
  const uint64_t n = readUint(what);
  if (n > remaining()) {
    throw GobError(at, std::string(what) + " " + std::to_string(n) + " exceeds the " +
                           std::to_string(remaining()) + " bytes that remain");
  }
  return static_cast<size_t>(n);
}

std::string_view GobCursor::readBytes(const char* what) {
  const size_t n = readCount(what);
  std::string_view out = data_.substr(pos_, n);
  pos_ += n;
  return out;
}

GobCursor GobCursor::take(size_t n, const char* what) {
  if (n > remaining()) {
    fail(std::string(what) + " of " + std::to_string(n) + " bytes exceeds the " +
         std::to_string(remaining()) + " bytes that remain");
  }
  GobCursor sub(data_.substr(pos_, n), offset());
  pos_ += n;
  return sub;
}

}  // namespace ferry::core::migrate
