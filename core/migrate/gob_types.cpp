#include "core/migrate/gob_types.h"

#include <functional>

namespace ferry::core::migrate {
namespace {

// The highest id of the types every gob stream knows in advance (bool … interface, and the
// wireType family 16–23); a stream defines its own types above it.
constexpr int64_t kLastPredefinedId = 23;

// Reads a gob struct value whose layout is known: fields as (delta, value) pairs ending with a
// zero delta. `read` consumes the value of field number n (0-based), for n < field_count.
void readStruct(GobCursor& in, int field_count, const char* what,
                const std::function<void(int)>& read) {
  int field = -1;
  for (;;) {  // each pass consumes at least one byte, so the loop ends with the data
    const uint64_t delta = in.readUint("struct field delta");
    if (delta == 0) return;
    if (delta > static_cast<uint64_t>(field_count - 1 - field)) {
      in.fail(std::string("field number out of range in ") + what);
    }
    field += static_cast<int>(delta);
    read(field);
  }
}

int64_t readTypeId(GobCursor& in, const char* what) {
  const int64_t id = in.readInt(what);
  if (id <= 0) in.fail(std::string("invalid type id ") + std::to_string(id) + " in " + what);
  return id;
}

// CommonType{Name string; Id int}, embedded as field 0 of every descriptor.
void readCommon(GobCursor& in, GobType& type) {
  readStruct(in, 2, "CommonType", [&](int field) {
    if (field == 0) {
      type.name = std::string(in.readBytes("type name"));
    } else {
      in.readInt("CommonType.Id");  // repeats the definition's id; the message's own id counts
    }
  });
}

void readFields(GobCursor& in, GobType& type) {
  const size_t count = in.readCount("struct field count");
  type.fields.reserve(count);  // bounded by the bytes left
  for (size_t i = 0; i < count; ++i) {
    GobField field;
    readStruct(in, 2, "fieldType", [&](int n) {
      if (n == 0) {
        field.name = std::string(in.readBytes("field name"));
      } else {
        field.type = readTypeId(in, "fieldType.Id");
      }
    });
    if (field.type == 0) in.fail("struct field \"" + field.name + "\" has no type id");
    type.fields.push_back(std::move(field));
  }
}

}  // namespace

const char* gobKindName(GobKind kind) {
  switch (kind) {
    case GobKind::kBool:
      return "bool";
    case GobKind::kInt:
      return "int";
    case GobKind::kUint:
      return "uint";
    case GobKind::kFloat:
      return "float";
    case GobKind::kBytes:
      return "[]byte";
    case GobKind::kString:
      return "string";
    case GobKind::kComplex:
      return "complex";
    case GobKind::kInterface:
      return "interface";
    case GobKind::kArray:
      return "array";
    case GobKind::kSlice:
      return "slice";
    case GobKind::kStruct:
      return "struct";
    case GobKind::kMap:
      return "map";
    case GobKind::kGobEncoder:
      return "GobEncoder";
    case GobKind::kBinaryMarshaler:
      return "BinaryMarshaler";
    case GobKind::kTextMarshaler:
      return "TextMarshaler";
  }
  return "unknown";
}

GobTypeTable::GobTypeTable() {
  const std::pair<int64_t, GobKind> predefined[] = {
      {1, GobKind::kBool},  {2, GobKind::kInt},    {3, GobKind::kUint},    {4, GobKind::kFloat},
      {5, GobKind::kBytes}, {6, GobKind::kString}, {7, GobKind::kComplex}, {8, GobKind::kInterface},
  };
  for (const auto& [id, kind] : predefined) {
    GobType type;
    type.kind = kind;
    type.name = gobKindName(kind);
    types_[id] = type;
  }
}

void GobTypeTable::define(int64_t id, GobCursor& in) {
  if (id <= kLastPredefinedId) in.fail("type definition for predefined id " + std::to_string(id));
  if (types_.count(id)) in.fail("duplicate definition of type id " + std::to_string(id));
  GobType type;
  int kinds = 0;
  // wireType{ArrayT, SliceT, StructT, MapT, GobEncoderT, BinaryMarshalerT, TextMarshalerT}:
  // exactly one is set; each descriptor embeds CommonType as its field 0.
  readStruct(in, 7, "wireType", [&](int field) {
    ++kinds;
    switch (field) {
      case 0:
        type.kind = GobKind::kArray;
        readStruct(in, 3, "arrayType", [&](int n) {
          if (n == 0) readCommon(in, type);
          if (n == 1) type.elem = readTypeId(in, "arrayType.Elem");
          if (n == 2) type.len = in.readInt("arrayType.Len");
        });
        if (type.len < 0) in.fail("negative array length");
        break;
      case 1:
        type.kind = GobKind::kSlice;
        readStruct(in, 2, "sliceType", [&](int n) {
          if (n == 0) readCommon(in, type);
          if (n == 1) type.elem = readTypeId(in, "sliceType.Elem");
        });
        break;
      case 2:
        type.kind = GobKind::kStruct;
        readStruct(in, 2, "structType", [&](int n) {
          if (n == 0) readCommon(in, type);
          if (n == 1) readFields(in, type);
        });
        break;
      case 3:
        type.kind = GobKind::kMap;
        readStruct(in, 3, "mapType", [&](int n) {
          if (n == 0) readCommon(in, type);
          if (n == 1) type.key = readTypeId(in, "mapType.Key");
          if (n == 2) type.elem = readTypeId(in, "mapType.Elem");
        });
        break;
      default:
        type.kind = field == 4   ? GobKind::kGobEncoder
                    : field == 5 ? GobKind::kBinaryMarshaler
                                 : GobKind::kTextMarshaler;
        readStruct(in, 1, "gobEncoderType", [&](int) { readCommon(in, type); });
        break;
    }
  });
  if (kinds != 1) in.fail("type definition " + std::to_string(id) + " describes no type");
  if ((type.kind == GobKind::kArray || type.kind == GobKind::kSlice ||
       type.kind == GobKind::kMap) &&
      type.elem == 0) {
    in.fail("type definition " + std::to_string(id) + " has no element type");
  }
  if (type.kind == GobKind::kMap && type.key == 0) {
    in.fail("type definition " + std::to_string(id) + " has no key type");
  }
  types_[id] = std::move(type);
}

const GobType& GobTypeTable::require(int64_t id, const GobCursor& at) const {
  auto it = types_.find(id);
  if (it == types_.end()) at.fail("use of undefined type id " + std::to_string(id));
  return it->second;
}

std::string GobTypeTable::describe(int64_t id) const {
  auto it = types_.find(id);
  if (it == types_.end()) return "undefined type (id " + std::to_string(id) + ")";
  const GobType& type = it->second;
  std::string out = gobKindName(type.kind);
  if (!type.name.empty() && type.name != out) out += " " + type.name;
  return out + " (id " + std::to_string(id) + ")";
}

}  // namespace ferry::core::migrate
