#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "core/migrate/gob_stream.h"
#include "core/migrate/gob_types.h"

// Reads gob values against the stream's type table: the generic walk (skip any value of any
// defined type, as Go's decoder ignores fields the receiver does not have) and typed accessors
// that check the wire type before reading, so a value of an unexpected shape is an error naming
// the type instead of a misreading. Nesting is limited, so hostile recursive types cannot
// exhaust the stack.
namespace ferry::core::migrate {

class GobValueReader {
 public:
  explicit GobValueReader(const GobTypeTable& types) : types_(types) {}

  const GobTypeTable& types() const { return types_; }

  // Consumes one value of `type`.
  void skip(GobCursor& in, int64_t type) const { skip(in, type, 0); }

  // The type, which must be of `kind`; else a GobError saying what `what` should have been.
  const GobType& expect(const GobCursor& at, int64_t type, GobKind kind, const char* what) const;

  // A string value (type must be string).
  std::string_view readString(GobCursor& in, int64_t type, const char* what) const;
  // The payload of a GobEncoder or BinaryMarshaler value.
  std::string_view readMarshaled(GobCursor& in, int64_t type, const char* what) const;
  // A map value: the count, then `entry` for each pair, which must consume key and element.
  void readMap(GobCursor& in, int64_t type, const char* what,
               const std::function<void(const GobType& map)>& entry) const;
  // A struct value: `field` is called for each field present (absent fields had Go's zero
  // value) and must consume its value.
  void readStruct(GobCursor& in, int64_t type, const char* what,
                  const std::function<void(const GobField& field)>& field) const;

 private:
  void skip(GobCursor& in, int64_t type, int depth) const;
  void walkStruct(GobCursor& in, const GobType& type,
                  const std::function<void(const GobField& field)>& field) const;

  const GobTypeTable& types_;
};

}  // namespace ferry::core::migrate
