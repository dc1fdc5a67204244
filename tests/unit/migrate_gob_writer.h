#pragma once

// A minimal gob writer for tests: enough to hand-build streams that the Pushgateway never writes
// (reordered and extra fields, version-2 times, nil pointers, hostile types).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ferry::core::migrate::testing {

class GobWriter {
 public:
  GobWriter& uint(uint64_t v) {
    if (v < 0x80) {
      out_ += static_cast<char>(v);
      return *this;
    }
    std::string bytes;
    while (v > 0) {
      bytes.insert(bytes.begin(), static_cast<char>(v & 0xFF));
      v >>= 8;
    }
    out_ += static_cast<char>(256 - bytes.size());
    out_ += bytes;
    return *this;
  }
  GobWriter& sint(int64_t v) {
    return uint(v < 0 ? (~static_cast<uint64_t>(v) << 1) | 1 : static_cast<uint64_t>(v) << 1);
  }
  GobWriter& str(const std::string& s) {
    uint(s.size());
    out_ += s;
    return *this;
  }
  GobWriter& raw(const std::string& s) {
    out_ += s;
    return *this;
  }
  const std::string& bytes() const { return out_; }

 private:
  std::string out_;
};

// One message: length, then the body.
inline std::string message(const std::string& body) {
  return GobWriter().uint(body.size()).raw(body).bytes();
}

inline std::string common(const std::string& name, int64_t id) {
  return GobWriter().uint(1).str(name).uint(1).sint(id).uint(0).bytes();
}

// "-id, wireType{StructT: {CommonType, Field: fields}}" as a message.
inline std::string structDef(int64_t id, const std::string& name,
                             const std::vector<std::pair<std::string, int64_t>>& fields) {
  GobWriter w;
  w.sint(-id).uint(3);  // wireType field 2: StructT
  w.uint(1).raw(common(name, id));
  if (!fields.empty()) {
    w.uint(1).uint(fields.size());
    for (const auto& [field, type] : fields) w.uint(1).str(field).uint(1).sint(type).uint(0);
  }
  w.uint(0).uint(0);
  return message(w.bytes());
}

inline std::string mapDef(int64_t id, const std::string& name, int64_t key, int64_t elem) {
  GobWriter w;
  w.sint(-id).uint(4);  // wireType field 3: MapT
  w.uint(1).raw(common(name, id)).uint(1).sint(key).uint(1).sint(elem).uint(0).uint(0);
  return message(w.bytes());
}

inline std::string sliceDef(int64_t id, const std::string& name, int64_t elem) {
  GobWriter w;
  w.sint(-id).uint(2);  // wireType field 1: SliceT
  w.uint(1).raw(common(name, id)).uint(1).sint(elem).uint(0).uint(0);
  return message(w.bytes());
}

// kind_field: 5 GobEncoderT, 6 BinaryMarshalerT, 7 TextMarshalerT (wireType field + 1).
inline std::string encoderDef(int64_t id, const std::string& name, int kind_field = 5) {
  GobWriter w;
  w.sint(-id).uint(kind_field).uint(1).raw(common(name, id)).uint(0).uint(0);
  return message(w.bytes());
}

// time.Time.MarshalBinary: version 1 (UTC) or 2 (with a seconds offset).
inline std::string goTime(int64_t unix_seconds, int32_t nanos, int version = 1) {
  const uint64_t sec = static_cast<uint64_t>(unix_seconds + 62135596800);
  std::string out(1, static_cast<char>(version));
  for (int i = 7; i >= 0; --i) out += static_cast<char>((sec >> (8 * i)) & 0xFF);
  for (int i = 3; i >= 0; --i)
    out += static_cast<char>((static_cast<uint32_t>(nanos) >> (8 * i)) & 0xFF);
  out += version == 1 ? std::string("\xFF\xFF", 2) : std::string("\x00\x3C", 2);  // UTC / +60min
  if (version == 2) out += '\x00';
  return out;
}

}  // namespace ferry::core::migrate::testing
