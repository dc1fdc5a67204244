#include "core/migrate/pushgateway_file.h"

#include <limits>

#include "core/migrate/go_time.h"
#include "core/migrate/gob_stream.h"
#include "core/migrate/gob_types.h"
#include "core/migrate/gob_value.h"

namespace ferry::core::migrate {
namespace {

class FileReader {
 public:
  explicit FileReader(const GobTypeTable& types) : values_(types) {}

  // The top-level value: a singleton (field delta 0) holding map[string]MetricGroup.
  std::map<std::string, PushgatewayGroup> readTop(GobCursor& in, int64_t type) {
    const GobType& map = values_.expect(in, type, GobKind::kMap, "the stored value");
    values_.expect(in, map.key, GobKind::kString, "the key of the stored map");
    if (in.readUint("singleton field delta") != 0) in.fail("corrupt top-level value");
    std::map<std::string, PushgatewayGroup> groups;
    values_.readMap(in, type, "the stored map", [&](const GobType& m) {
      std::string key(values_.readString(in, m.key, "grouping key"));
      groups[key] = readGroup(in, m.elem);
    });
    return groups;
  }

 private:
  PushgatewayGroup readGroup(GobCursor& in, int64_t type) {
    PushgatewayGroup group;
    values_.readStruct(in, type, "MetricGroup", [&](const GobField& field) {
      if (field.name == "Labels") {
        values_.readMap(in, field.type, "MetricGroup.Labels", [&](const GobType& m) {
          std::string name(values_.readString(in, m.key, "label name"));
          group.labels[name] = std::string(values_.readString(in, m.elem, "label value"));
        });
      } else if (field.name == "Metrics") {
        values_.readMap(in, field.type, "MetricGroup.Metrics", [&](const GobType& m) {
          std::string name(values_.readString(in, m.key, "metric name"));
          group.families[name] = readFamily(in, m.elem);
        });
      } else {
        values_.skip(in, field.type);
      }
    });
    return group;
  }

  PushgatewayFamily readFamily(GobCursor& in, int64_t type) {
    PushgatewayFamily family;
    values_.readStruct(in, type, "TimestampedMetricFamily", [&](const GobField& field) {
      if (field.name == "Timestamp") {
        const size_t at = in.offset();
        std::string_view bytes = values_.readMarshaled(in, field.type, "Timestamp");
        std::string error;
        if (!decodeGoTime(bytes, family.timestamp_nanos, error)) {
          throw GobError(at, "bad Timestamp: " + error);
        }
      } else if (field.name == "GobbableMetricFamily") {
        family.proto = std::string(values_.readMarshaled(in, field.type, "GobbableMetricFamily"));
        family.has_proto = true;
      } else {
        values_.skip(in, field.type);
      }
    });
    return family;
  }

  GobValueReader values_;
};

}  // namespace

std::map<std::string, PushgatewayGroup> readPushgatewayFile(std::string_view data) {
  GobTypeTable types;
  GobCursor file(data);
  if (file.atEnd()) file.fail("the file is empty");
  // (length, message)*: type definitions ("-id", wireType) until the one value ("id", value).
  for (;;) {  // every message consumes at least its length byte
    if (file.atEnd()) file.fail("unexpected end of file: type definitions but no value");
    const size_t length = file.readUint("message length");
    GobCursor message = file.take(length, "message");
    if (message.atEnd()) continue;
    const int64_t id = message.readInt("type id");
    if (id < 0) {
      if (id == std::numeric_limits<int64_t>::min()) message.fail("invalid type id");
      types.define(-id, message);
      if (!message.atEnd()) message.fail("unexpected data after a type definition");
      continue;
    }
    auto groups = FileReader(types).readTop(message, id);
    if (!message.atEnd()) message.fail("unexpected data after the stored value");
    if (!file.atEnd()) file.fail("unexpected data after the stored value's message");
    return groups;
  }
}

bool looksLikeGob(std::string_view data) {
  try {
    GobCursor in(data);
    GobCursor message = in.take(in.readUint("message length"), "message");
    const int64_t id = message.readInt("type id");
    if (id >= 0 || id == std::numeric_limits<int64_t>::min()) return false;
    GobTypeTable types;
    types.define(-id, message);  // a whole, well-formed type definition
    return message.atEnd();
  } catch (const GobError&) {
    return false;
  }
}

}  // namespace ferry::core::migrate
