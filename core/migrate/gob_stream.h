#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

// The lowest layer of the gob reader: bounds-checked reads of gob's unsigned, signed, float and
// byte-string encodings from an in-memory span. Every read either stays inside the span or
// throws GobError naming the absolute file offset and what was being read, so no length or count
// taken from the file is trusted before it is checked against the bytes that are really left.
namespace ferry::core::migrate {

class GobError : public std::runtime_error {
 public:
  GobError(size_t offset, const std::string& what);
  size_t offset() const { return offset_; }

 private:
  size_t offset_;
};

class GobCursor {
 public:
  // `base` is the file offset of data[0], for error messages.
  explicit GobCursor(std::string_view data, size_t base = 0) : data_(data), base_(base) {}

  size_t offset() const { return base_ + pos_; }
  size_t remaining() const { return data_.size() - pos_; }
  bool atEnd() const { return pos_ == data_.size(); }

  // gob's unsigned integer: one byte below 128, else a negated byte count (1..8) followed by
  // that many big-endian bytes.
  uint64_t readUint(const char* what);
  // gob's signed integer: an unsigned one whose bit 0 says "complement the rest".
  int64_t readInt(const char* what);
  // A float64 sent as its byte-reversed bit pattern in an unsigned integer.
  double readFloat(const char* what);
  // A count read as unsigned and checked to be at most remaining(): every counted element takes
  // at least one byte, so a larger count cannot be right (and must not size an allocation).
  size_t readCount(const char* what);
  // A byte string or string: unsigned length, then that many bytes.
  std::string_view readBytes(const char* what);
  // The next n bytes as a cursor of their own (gob messages and delimited values).
  GobCursor take(size_t n, const char* what);

  [[noreturn]] void fail(const std::string& what) const;

 private:
  std::string_view data_;
  size_t base_;
  size_t pos_ = 0;
};

}  // namespace ferry::core::migrate
