// Internal: the state machine behind parseText(). Each State matches one state function of
// prometheus/common's expfmt.TextParser (v0.38, as in Pushgateway 1.5.1) and makes the same
// checks in the same order, because the order decides which error message a malformed line
// gets. Go reads byte by byte through a bufio.Reader; here a cursor walks the body in memory and
// scans tokens in tight loops, with the same "current byte" and end-of-input rules.
#pragma once

#include <ferry/metrics.pb.h>
#include <google/protobuf/arena.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "plugins/text/text_parser.h"

namespace ferry::plugins::text::detail {

// Character classes of the (legacy) metric and label name syntax.
enum : uint8_t { kLabelStart = 1, kLabelCont = 2, kMetricStart = 4, kMetricCont = 8 };

struct CharTable {
  uint8_t bits[256];
  constexpr CharTable() : bits{} {
    for (int c = 0; c < 256; ++c) {
      const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
      if (letter) bits[c] = kLabelStart | kLabelCont | kMetricStart | kMetricCont;
      if (c >= '0' && c <= '9') bits[c] = kLabelCont | kMetricCont;
      if (c == ':') bits[c] = kMetricStart | kMetricCont;
    }
  }
};
inline constexpr CharTable kChars;

// dto.MetricType_value[strings.ToUpper(s)], or nullopt for an unknown type.
std::optional<io::prometheus::client::MetricType> metricTypeFromName(std::string_view s);

// expfmt's parseFloat: strconv.ParseFloat(s, 64) after refusing every token that contains 'p',
// 'P' or '_' (so no hexadecimal floats and no digit separators); out of range is an error too.
std::optional<double> parseExpfmtFloat(std::string_view s);

// A label of the sample line being read. Reused across lines to keep allocations down.
struct Label {
  std::string_view name;
  std::string_view raw;   // the value as written, if it has no escape sequences
  std::string unescaped;  // the value, if it has escape sequences
  bool escaped = false;
  std::string_view value() const { return escaped ? std::string_view(unescaped) : raw; }
};

class Parser {
 public:
  // The messages are created on `arena`, or on the heap and owned by the parser if it is null.
  Parser(std::string_view body, google::protobuf::Arena* arena)
      : pos_(body.data()), end_(body.data() + body.size()), arena_(arena) {}
  ~Parser();
  Parser(const Parser&) = delete;
  Parser& operator=(const Parser&) = delete;

  // Parses the whole body; call once.
  std::optional<ParseError> run();
  // After a successful run(): every family in first-seen order, including those without
  // samples, which Go drops and so must the caller. They may be moved from.
  const std::vector<io::prometheus::client::MetricFamily*>& families() const { return families_; }

 private:
  using Metric = io::prometheus::client::Metric;
  using MetricFamily = io::prometheus::client::MetricFamily;

  enum class State {
    kStartOfLine,
    kStartComment,
    kReadingMetricName,
    kReadingLabels,
    kStartLabelName,
    kStartLabelValue,
    kReadingValue,
    kStartTimestamp,
    kReadingHelp,
    kReadingType,
    kDone,
  };
  enum class Status { kOk, kUnexpectedEnd, kError };
  // Set when a name was folded into a summary/histogram family as its _count or _sum series.
  enum class Suffix { kNone, kCount, kSum };

  // parser_states.cpp
  State startOfLine();
  State startComment();
  State readingMetricName();
  State readingLabels();
  State startLabelName();
  State startLabelValue();
  State readingValue();
  State startTimestamp();
  State readingHelp();
  State readingType();
  State unexpectedEnd() {
    status_ = Status::kUnexpectedEnd;
    return State::kDone;
  }
  State fail(std::string message) {
    status_ = Status::kError;
    message_ = std::move(message);
    return State::kDone;
  }

  // parser_tokens.cpp. Makes `p` the current byte; at the end of the body sets eof_, Go's
  // io.EOF, which every caller but startOfLine turns into "unexpected end of input stream".
  void advanceTo(const char* p) {
    if (p == end_) {
      eof_ = true;
      cur_ = 0;
      pos_ = end_;
    } else {
      cur_ = static_cast<unsigned char>(*p);
      pos_ = p + 1;
    }
  }
  static bool isBlankOrTab(unsigned char c) { return c == ' ' || c == '\t'; }
  // Reads bytes until one that is neither ' ' nor '\t'.
  void skipBlankTab() {
    const char* p = pos_;
    while (p != end_ && (*p == ' ' || *p == '\t')) ++p;
    advanceTo(p);
  }
  void skipBlankTabIfCurrentBlankTab() {
    if (isBlankOrTab(cur_)) skipBlankTab();
  }
  std::string_view readTokenUntilWhitespace();
  std::string_view readName(uint8_t start_class, uint8_t continuation_class);
  bool readLabelValue(Label& label);
  bool readRestOfLine(bool recognize_escapes);

  // parser_families.cpp
  void setOrCreateCurrentFamily(std::string_view name);
  void resolveFamily(std::string_view name);
  MetricFamily* findFamily(std::string_view name) const;
  bool isDuplicateLabel(std::string_view name);
  Metric* newMetric();
  Metric* findOrCreateGroupedMetric();

  const char* pos_;  // next unread byte
  const char* end_;
  unsigned char cur_ = 0;  // the byte read last
  bool eof_ = false;
  uint64_t line_ = 0;
  Status status_ = Status::kOk;
  std::string message_;

  google::protobuf::Arena* const arena_;
  // Messages never move, so the names that family_index_ views stay put.
  std::vector<MetricFamily*> families_;
  std::unordered_map<std::string_view, MetricFamily*> family_index_;
  MetricFamily* family_ = nullptr;
  Suffix suffix_ = Suffix::kNone;
  // The last name resolved to a family, valid while generation_ is unchanged: it changes when
  // a family is created or gets a type, the only events that change how a name resolves.
  std::string cached_name_;
  MetricFamily* cached_family_ = nullptr;
  Suffix cached_suffix_ = Suffix::kNone;
  uint64_t cached_generation_ = 0;
  uint64_t generation_ = 1;

  Metric* metric_ = nullptr;
  std::vector<Label> labels_;
  size_t label_count_ = 0;
  Label special_label_;  // `quantile` of a summary or `le` of a histogram line
  Label* label_ = nullptr;
  std::unordered_set<std::string_view> label_names_;
  double quantile_ = std::numeric_limits<double>::quiet_NaN();
  double bucket_ = std::numeric_limits<double>::quiet_NaN();
  // Summary and histogram metrics by family and label set: Go's LabelsToSignature maps.
  std::unordered_map<std::string, Metric*> grouped_;
  std::string key_;
  std::vector<size_t> order_;
  std::string token_;
};

}  // namespace ferry::plugins::text::detail
