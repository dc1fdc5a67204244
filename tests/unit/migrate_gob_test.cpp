// The gob reader's layers on hand-built streams: primitive encodings (the examples of Go's
// encoding/gob documentation), type definitions, Go times, and Pushgateway-shaped files that
// differ from what 1.5.1 writes in ways Go's decoder accepts (field order, extra fields, unused
// descriptors) or refuses.
#include <ferry/metrics.pb.h>
#include <gtest/gtest.h>

#include "core/migrate/go_time.h"
#include "core/migrate/gob_stream.h"
#include "core/migrate/gob_types.h"
#include "core/migrate/gob_value.h"
#include "core/migrate/import_groups.h"
#include "core/migrate/pushgateway_file.h"
#include "migrate_fixture.h"
#include "migrate_gob_writer.h"

namespace ferry::core::migrate {
namespace {

using testing::GobWriter;
using testing::message;
namespace pb = io::prometheus::client;

std::string bytes(std::initializer_list<int> list) {
  std::string out;
  for (int b : list) out += static_cast<char>(b);
  return out;
}

TEST(GobStreamTest, ReadsTheDocumentedEncodings) {
  const std::string in_data =
      bytes({0x00, 0x07, 0xFE, 0x01, 0x00, 0xFE, 0x01, 0x01, 0xFE, 0x31, 0x40, 0x2C});
  GobCursor in(in_data);
  EXPECT_EQ(in.readUint("a"), 0u);
  EXPECT_EQ(in.readUint("b"), 7u);
  EXPECT_EQ(in.readUint("c"), 256u);
  EXPECT_EQ(in.readInt("d"), -129);
  EXPECT_EQ(in.readFloat("e"), 17.0);
  EXPECT_EQ(in.readInt("f"), 22);
  EXPECT_TRUE(in.atEnd());
  const std::string max_data = GobWriter().uint(UINT64_MAX).sint(INT64_MIN).sint(INT64_MAX).bytes();
  GobCursor max(max_data);
  EXPECT_EQ(max.readUint("x"), UINT64_MAX);
  EXPECT_EQ(max.readInt("x"), INT64_MIN);
  EXPECT_EQ(max.readInt("x"), INT64_MAX);
}

TEST(GobStreamTest, ErrorsNameTheOffsetAndTheRead) {
  const std::string truncated_data = bytes({0x05, 0xFD, 0x01});
  GobCursor truncated(truncated_data, 100);
  truncated.readUint("first");
  try {
    truncated.readUint("message length");
    FAIL();
  } catch (const GobError& e) {
    EXPECT_EQ(e.offset(), 101u);
    EXPECT_STREQ(e.what(), "at offset 101: unexpected end of data reading message length");
  }
  const std::string nine_data = bytes({0xF7, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  GobCursor nine(nine_data);
  EXPECT_THROW(nine.readUint("x"), GobError);
  const std::string huge_data = GobWriter().uint(1000).raw("abc").bytes();
  GobCursor huge(huge_data);
  try {
    huge.readBytes("label value");
    FAIL();
  } catch (const GobError& e) {
    EXPECT_STREQ(e.what(), "at offset 0: label value 1000 exceeds the 3 bytes that remain");
  }
  GobCursor empty("");
  EXPECT_THROW(empty.readInt("x"), GobError);
  EXPECT_THROW(empty.take(1, "message"), GobError);
}

TEST(GobTypesTest, ReadsThePointExampleOfGoDocumentation) {
  // type Point struct {X, Y int}: "1f ff 81 03 01 01 05 50 6f 69 6e 74 01 ff 82 00 01 02 01 01
  // 58 01 04 00 01 01 59 01 04 00 00 00"
  const std::string point_data =
      bytes({0x1f, 0xff, 0x81, 0x03, 0x01, 0x01, 0x05, 0x50, 0x6f, 0x69, 0x6e,
             0x74, 0x01, 0xff, 0x82, 0x00, 0x01, 0x02, 0x01, 0x01, 0x58, 0x01,
             0x04, 0x00, 0x01, 0x01, 0x59, 0x01, 0x04, 0x00, 0x00, 0x00});
  GobCursor in(point_data);
  GobCursor msg = in.take(in.readUint("length"), "message");
  const int64_t id = msg.readInt("id");
  ASSERT_EQ(id, -65);
  GobTypeTable types;
  types.define(65, msg);
  EXPECT_TRUE(msg.atEnd());
  const GobType& point = types.require(65, msg);
  EXPECT_EQ(point.kind, GobKind::kStruct);
  EXPECT_EQ(point.name, "Point");
  ASSERT_EQ(point.fields.size(), 2u);
  EXPECT_EQ(point.fields[0].name, "X");
  EXPECT_EQ(point.fields[1].name, "Y");
  EXPECT_EQ(point.fields[1].type, 2);
  EXPECT_EQ(types.describe(65), "struct Point (id 65)");

  // The value {22, 33}: "07 ff 82 01 2c 01 42 00".
  const std::string value_data = bytes({0x01, 0x2c, 0x01, 0x42, 0x00});
  GobCursor value(value_data);
  GobValueReader reader(types);
  std::vector<std::pair<std::string, int64_t>> got;
  reader.readStruct(value, 65, "point",
                    [&](const GobField& f) { got.emplace_back(f.name, value.readInt("v")); });
  EXPECT_EQ(got, (std::vector<std::pair<std::string, int64_t>>{{"X", 22}, {"Y", 33}}));
}

TEST(GobTypesTest, RefusesRedefinitionsAndMalformedDefinitions) {
  GobTypeTable types;
  auto define = [&](const std::string& msg_bytes) {
    GobCursor in(msg_bytes);
    GobCursor msg = in.take(in.readUint("length"), "message");
    types.define(-msg.readInt("id"), msg);
  };
  define(testing::mapDef(70, "map[string]string", 6, 6));
  EXPECT_THROW(define(testing::mapDef(70, "again", 6, 6)), GobError);
  EXPECT_THROW(define(testing::mapDef(6, "string", 6, 6)), GobError);
  EXPECT_THROW(define(message(GobWriter().sint(-71).uint(0).bytes())), GobError);  // no kind
  EXPECT_THROW(define(message(GobWriter().sint(-72).uint(9).bytes())), GobError);  // field 8
  EXPECT_THROW(types.require(99, GobCursor("")), GobError);
}

TEST(GobValueTest, SkipsEveryKindAndLimitsNesting) {
  GobTypeTable types;
  auto define = [&](const std::string& msg_bytes) {
    GobCursor in(msg_bytes);
    GobCursor msg = in.take(in.readUint("length"), "message");
    types.define(-msg.readInt("id"), msg);
  };
  define(testing::sliceDef(65, "[]string", 6));
  define(testing::structDef(66, "S", {{"A", 65}, {"B", 4}, {"C", 7}, {"D", 8}}));
  GobValueReader reader(types);
  GobWriter v;
  v.uint(1).uint(2).str("x").str("yz").uint(1).uint(0x40).uint(1).uint(1).uint(2).uint(1).uint(0);
  v.uint(0);
  const std::string in_data = v.bytes() + "!";
  GobCursor in(in_data);
  reader.skip(in, 66);
  EXPECT_EQ(in.remaining(), 1u);

  // A field number past the struct's fields.
  const std::string bad_data = GobWriter().uint(5).uint(0).bytes();
  GobCursor bad(bad_data);
  EXPECT_THROW(reader.skip(bad, 66), GobError);

  // []T where T = []T: the value nests as deep as the data goes; the reader stops early.
  define(testing::sliceDef(67, "Rec", 67));
  std::string deep(5000, '\x01');
  GobCursor rec(deep);
  EXPECT_THROW(reader.skip(rec, 67), GobError);
}

TEST(GoTimeTest, DecodesBothVersionsAndTheZeroTime) {
  int64_t nanos = -1;
  std::string error;
  // The 15 bytes the spec observed in a 1.5.1 file.
  ASSERT_TRUE(decodeGoTime(
      bytes({0x01, 0, 0, 0, 0x0e, 0xe2, 0x98, 0xa4, 0x0e, 0x01, 0x49, 0x02, 0x9a, 0, 0}), nanos,
      error))
      << error;
  EXPECT_EQ(nanos, (0x0ee298a40eLL - 62135596800LL) * 1000000000LL + 0x0149029a);
  ASSERT_TRUE(decodeGoTime(testing::goTime(1700000000, 123456789, 2), nanos, error)) << error;
  EXPECT_EQ(nanos, 1700000000123456789LL);
  ASSERT_TRUE(decodeGoTime(testing::goTime(-62135596800, 0), nanos, error));
  EXPECT_EQ(nanos, 0);  // Go's zero time: never set
  EXPECT_FALSE(decodeGoTime("", nanos, error));
  EXPECT_FALSE(decodeGoTime(testing::goTime(1, 0).substr(0, 14), nanos, error));
  EXPECT_EQ(error, "time value of version 1 has 14 bytes, expected 15");
  EXPECT_FALSE(decodeGoTime("\x03" + testing::goTime(1, 0).substr(1), nanos, error));
  EXPECT_FALSE(decodeGoTime(testing::goTime(1, 1000000000), nanos, error));
  EXPECT_FALSE(decodeGoTime(testing::goTime(1LL << 40, 0), nanos, error));  // past year 2262
  EXPECT_EQ(error.rfind("time value out of range", 0), 0u) << error;
}

// A Pushgateway-shaped stream with `groups` as Labels → {family name → (unix seconds, family)}.
struct FakeFamily {
  int64_t seconds;
  std::string proto;  // empty: nil pointer (field absent)
};
struct FakeGroup {
  std::string key;
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<std::pair<std::string, FakeFamily>> families;
};

std::string groupValue(const FakeGroup& g, bool reordered) {
  GobWriter w;
  auto labels = [&] {
    w.uint(g.labels.size());
    for (const auto& [k, v] : g.labels) w.str(k).str(v);
  };
  auto metrics = [&] {
    w.uint(g.families.size());
    for (const auto& [name, f] : g.families) {
      w.str(name);
      w.uint(1).str(testing::goTime(f.seconds, 5, reordered ? 2 : 1));
      if (!f.proto.empty()) w.uint(1).str(f.proto);
      w.uint(0);
    }
  };
  if (reordered) {  // MetricGroup{Extra []string; Metrics; Labels}
    w.uint(1).uint(1).str("ignored");
    w.uint(1);
    metrics();
    w.uint(1);
    labels();
  } else {  // MetricGroup{Labels; Metrics}
    w.uint(1);
    labels();
    w.uint(1);
    metrics();
  }
  w.uint(0);
  return w.bytes();
}

std::string fakeFile(const std::vector<FakeGroup>& groups, bool reordered = false) {
  std::string out;
  if (reordered) {
    // Unused descriptors first, one of them recursive, as protobuf structs make them.
    out += testing::structDef(90, "Unused", {{"Self", 91}, {"XXX_unrecognized", 5}});
    out += testing::sliceDef(91, "[]*Unused", 90);
    out += testing::sliceDef(92, "[]string", 6);
  }
  out += testing::encoderDef(65, "Time", reordered ? 6 : 5);
  out += testing::encoderDef(66, "GobbableMetricFamily");
  out += testing::structDef(67, "TimestampedMetricFamily",
                            {{"Timestamp", 65}, {"GobbableMetricFamily", 66}});
  out += testing::mapDef(68, "map[string]string", 6, 6);
  out += testing::mapDef(69, "map[string]TimestampedMetricFamily", 6, 67);
  if (reordered) {
    out += testing::structDef(70, "MetricGroup", {{"Extra", 92}, {"Metrics", 69}, {"Labels", 68}});
  } else {
    out += testing::structDef(70, "MetricGroup", {{"Labels", 68}, {"Metrics", 69}});
  }
  out += testing::mapDef(71, "GroupingKeyToMetricGroup", 6, 70);
  GobWriter value;
  value.sint(71).uint(0).uint(groups.size());
  for (const auto& g : groups) value.str(g.key).raw(groupValue(g, reordered));
  return out + message(value.bytes());
}

std::string gaugeFamily(const std::string& name, double value,
                        std::vector<std::pair<std::string, std::string>> labels) {
  pb::MetricFamily f;
  f.set_name(name);
  f.set_type(pb::GAUGE);
  auto* m = f.add_metric();
  for (const auto& [k, v] : labels) {
    auto* l = m->add_label();
    l->set_name(k);
    l->set_value(v);
  }
  m->mutable_gauge()->set_value(value);
  return f.SerializeAsString();
}

FakeGroup exampleGroup() {
  FakeGroup g;
  g.key = "job\xFFx";
  g.labels = {{"job", "x"}};
  g.families = {
      {"m", {1700000000, gaugeFamily("m", 2.5, {{"job", "x"}, {"instance", ""}})}},
      {"push_time_seconds",
       {1700000000, gaugeFamily("push_time_seconds", 1.7e9, {{"job", "x"}, {"instance", ""}})}},
      {"push_failure_time_seconds",
       {1700000000, gaugeFamily("push_failure_time_seconds", 0, {{"job", "x"}, {"instance", ""}})}},
  };
  return g;
}

TEST(PushgatewayFileTest, MatchesFieldsByNameAndSkipsWhatItDoesNotNeed) {
  for (bool reordered : {false, true}) {
    SCOPED_TRACE(reordered);
    auto groups = readPushgatewayFile(fakeFile({exampleGroup()}, reordered));
    ASSERT_EQ(groups.size(), 1u);
    const PushgatewayGroup& g = groups.at("job\xFFx");
    EXPECT_EQ(g.labels, (model::LabelMap{{"job", "x"}}));
    ASSERT_EQ(g.families.size(), 3u);
    EXPECT_EQ(g.families.at("m").timestamp_nanos, 1700000000000000005LL);
    EXPECT_TRUE(g.families.at("m").has_proto);

    auto stored = toStoreGroups(groups);
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0]->key, "job\xFFx");
    EXPECT_EQ(stored[0]->families.at("m")->firstGaugeValue(), 2.5);
    // Labels come out sorted whatever order the file had.
    EXPECT_EQ(stored[0]->families.at("m")->text(0), "m{instance=\"\",job=\"x\"} 2.5\n");
    EXPECT_EQ(stored[0]->pushTime(), 1.7e9);
  }
}

TEST(PushgatewayFileTest, RefusesWhatIsNotAPushgatewayFile) {
  auto error = [](const std::string& data) -> std::string {
    try {
      toStoreGroups(readPushgatewayFile(data));
    } catch (const std::exception& e) {
      return e.what();
    }
    return "(no error)";
  };
  EXPECT_EQ(error(""), "at offset 0: the file is empty");
  const std::string file = fakeFile({exampleGroup()});
  EXPECT_EQ(error(file + "x"), "at offset " + std::to_string(file.size()) +
                                   ": unexpected data after the stored value's message");
  // Only type definitions.
  EXPECT_NE(error(testing::mapDef(68, "m", 6, 6)).find("type definitions but no value"),
            std::string::npos);
  // A top-level value of another type.
  EXPECT_EQ(error(message(GobWriter().sint(6).uint(0).str("hello").bytes())),
            "at offset 2: the stored value should be a map but is a string (id 6)");
  // A family without data (nil pointer).
  FakeGroup nil = exampleGroup();
  nil.families[0].second.proto.clear();
  EXPECT_EQ(error(fakeFile({nil})), "group {job=\"x\"}, family \"m\": no metric family data");
  // Not protobuf.
  FakeGroup garbage = exampleGroup();
  garbage.families[0].second.proto = "\xFF\xFF\xFF";
  EXPECT_EQ(error(fakeFile({garbage})),
            "group {job=\"x\"}, family \"m\": not a valid protobuf MetricFamily");
  // Family stored under another name.
  FakeGroup renamed = exampleGroup();
  renamed.families[0].first = "n";
  EXPECT_EQ(error(fakeFile({renamed})),
            "group {job=\"x\"}, family \"n\": the family inside is named \"m\"");
  FakeGroup nojob = exampleGroup();
  nojob.labels = {{"instance", "i"}};
  EXPECT_EQ(error(fakeFile({nojob})), "group {instance=\"i\"} has no job label");
  // Two Pushgateway keys with the same labels.
  FakeGroup twin = exampleGroup();
  twin.key = "other";
  EXPECT_EQ(error(fakeFile({exampleGroup(), twin})), "group {job=\"x\"} appears twice in the file");
}

TEST(PushgatewayFileTest, ATimeSentAsTextIsRefused) {
  std::string file = fakeFile({exampleGroup()});
  // Redefine Time as a TextMarshaler: same bytes on the wire, but RFC 3339 text, not binary.
  std::string text_time = testing::encoderDef(65, "Time", 7);
  std::string binary_time = testing::encoderDef(65, "Time", 5);
  file.replace(file.find(binary_time), binary_time.size(), text_time);
  try {
    readPushgatewayFile(file);
    FAIL();
  } catch (const GobError& e) {
    EXPECT_NE(std::string(e.what()).find("Timestamp should be a GobEncoder or BinaryMarshaler but "
                                         "is a TextMarshaler Time (id 65)"),
              std::string::npos)
        << e.what();
  }
}

TEST(PushgatewayFileTest, LooksLikeGobTellsFormatsApart) {
  EXPECT_TRUE(looksLikeGob(fakeFile({exampleGroup()})));
  EXPECT_FALSE(looksLikeGob(""));
  EXPECT_FALSE(looksLikeGob("\x08\x01"));  // a protobuf varint field
  EXPECT_FALSE(looksLikeGob(message(GobWriter().sint(65).bytes())));
  // A Ferry snapshot's magic reads as a message with a negative type id, but no type definition.
  EXPECT_FALSE(looksLikeGob(std::string("FERRYSNP") + std::string(100, '\0')));
  EXPECT_TRUE(looksLikeGob(readFixture(kBasicFixture)));
}

}  // namespace
}  // namespace ferry::core::migrate
