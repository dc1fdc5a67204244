#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/migrate/gob_stream.h"

// The type half of a gob stream: the predefined types and the wireType definitions the stream
// sends before its values ("-id, wireType" messages). Definitions are kept as sent and resolved
// only when a value uses them, so descriptors nobody uses (Pushgateway files carry a whole
// protobuf struct tree of them) may refer to anything.
namespace ferry::core::migrate {

enum class GobKind {
  kBool,
  kInt,
  kUint,
  kFloat,
  kBytes,
  kString,
  kComplex,
  kInterface,
  kArray,
  kSlice,
  kStruct,
  kMap,
  kGobEncoder,       // GobEncoder value: a byte string the type decodes itself
  kBinaryMarshaler,  // encoding.BinaryMarshaler: the same on the wire
  kTextMarshaler,    // encoding.TextMarshaler: the same on the wire
};

const char* gobKindName(GobKind kind);

struct GobField {
  std::string name;
  int64_t type = 0;
};

struct GobType {
  GobKind kind = GobKind::kBool;
  std::string name;              // Go's name for the type, as sent (may be empty)
  int64_t elem = 0;              // array, slice, map
  int64_t key = 0;               // map
  int64_t len = 0;               // array
  std::vector<GobField> fields;  // struct, in field-number order
};

// Predefined type ids.
inline constexpr int64_t kGobString = 6;

class GobTypeTable {
 public:
  GobTypeTable();

  // Reads one wireType (the rest of a "-id" message) and records it under `id`. Throws GobError
  // for a malformed definition, a redefinition or an id of a predefined type.
  void define(int64_t id, GobCursor& in);

  // The type, or a GobError at `at`'s offset naming the unknown id.
  const GobType& require(int64_t id, const GobCursor& at) const;
  // Describes a type for messages: "struct MetricGroup (id 66)".
  std::string describe(int64_t id) const;

 private:
  std::map<int64_t, GobType> types_;
};

}  // namespace ferry::core::migrate
