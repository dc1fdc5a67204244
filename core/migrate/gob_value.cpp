#include "core/migrate/gob_value.h"

#include <string>

namespace ferry::core::migrate {
namespace {

// Far deeper than any real type needs (a Pushgateway file nests four levels).
constexpr int kMaxDepth = 100;

}  // namespace

const GobType& GobValueReader::expect(const GobCursor& at, int64_t type, GobKind kind,
                                      const char* what) const {
  const GobType& t = types_.require(type, at);
  if (t.kind != kind) {
    at.fail(std::string(what) + " should be a " + gobKindName(kind) + " but is a " +
            types_.describe(type));
  }
  return t;
}

std::string_view GobValueReader::readString(GobCursor& in, int64_t type, const char* what) const {
  expect(in, type, GobKind::kString, what);
  return in.readBytes(what);
}

std::string_view GobValueReader::readMarshaled(GobCursor& in, int64_t type,
                                               const char* what) const {
  const GobType& t = types_.require(type, in);
  if (t.kind != GobKind::kGobEncoder && t.kind != GobKind::kBinaryMarshaler) {
    in.fail(std::string(what) + " should be a GobEncoder or BinaryMarshaler but is a " +
            types_.describe(type));
  }
  return in.readBytes(what);
}

void GobValueReader::readMap(GobCursor& in, int64_t type, const char* what,
                             const std::function<void(const GobType& map)>& entry) const {
  const GobType& map = expect(in, type, GobKind::kMap, what);
  const size_t count = in.readCount(what);
  for (size_t i = 0; i < count; ++i) entry(map);
}

void GobValueReader::readStruct(GobCursor& in, int64_t type, const char* what,
                                const std::function<void(const GobField& field)>& field) const {
  walkStruct(in, expect(in, type, GobKind::kStruct, what), field);
}

void GobValueReader::walkStruct(GobCursor& in, const GobType& type,
                                const std::function<void(const GobField& field)>& field) const {
  size_t number = 0;  // one past the last field read (Go starts at -1)
  for (;;) {          // each pass consumes at least one byte
    const size_t at = in.offset();
    const uint64_t delta = in.readUint("struct field delta");
    if (delta == 0) return;
    if (delta > type.fields.size() - number) {
      throw GobError(at, "field number out of range in struct " + type.name);
    }
    number += delta;
    field(type.fields[number - 1]);
  }
}

void GobValueReader::skip(GobCursor& in, int64_t type, int depth) const {
  if (depth > kMaxDepth) in.fail("values nested too deeply");
  const GobType& t = types_.require(type, in);
  switch (t.kind) {
    case GobKind::kBool:
    case GobKind::kInt:
    case GobKind::kUint:
    case GobKind::kFloat:
      in.readUint("value");
      return;
    case GobKind::kComplex:
      in.readUint("complex value");
      in.readUint("complex value");
      return;
    case GobKind::kBytes:
    case GobKind::kString:
    case GobKind::kGobEncoder:
    case GobKind::kBinaryMarshaler:
    case GobKind::kTextMarshaler:
      in.readBytes("byte string");
      return;
    case GobKind::kInterface:
      // A nil interface is an empty name; anything else would need the interface's own type
      // definitions, which no Pushgateway file has.
      if (!in.readBytes("interface type name").empty()) {
        in.fail("interface values are not supported");
      }
      return;
    case GobKind::kArray: {
      const size_t at = in.offset();
      const size_t count = in.readCount("array length");
      if (count != static_cast<uint64_t>(t.len)) {
        throw GobError(at, "array length " + std::to_string(count) + " does not match its type's " +
                               std::to_string(t.len));
      }
      for (size_t i = 0; i < count; ++i) skip(in, t.elem, depth + 1);
      return;
    }
    case GobKind::kSlice: {
      const size_t count = in.readCount("slice length");
      for (size_t i = 0; i < count; ++i) skip(in, t.elem, depth + 1);
      return;
    }
    case GobKind::kMap: {
      const size_t count = in.readCount("map size");
      for (size_t i = 0; i < count; ++i) {
        skip(in, t.key, depth + 1);
        skip(in, t.elem, depth + 1);
      }
      return;
    }
    case GobKind::kStruct:
      walkStruct(in, t, [&](const GobField& field) { skip(in, field.type, depth + 1); });
      return;
  }
}

}  // namespace ferry::core::migrate
