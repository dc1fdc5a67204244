// The states of the text format parser; see parser.h.
#include <cmath>
#include <cstring>
#include <ferry/support/go_quote.hpp>
#include <ferry/support/go_strconv.hpp>
#include <ferry/support/utf8.hpp>

#include "plugins/text/parser.h"

namespace ferry::plugins::text::detail {

std::optional<double> parseExpfmtFloat(std::string_view s) {
  if (s.find_first_of("pP_") != std::string_view::npos) return std::nullopt;
  const support::GoFloat parsed = support::parseGoFloat(s, 64);
  if (parsed.error != support::GoNumError::kNone) return std::nullopt;
  return parsed.value;
}

using io::prometheus::client::MetricType;

Parser::~Parser() {
  if (arena_ == nullptr) {
    for (MetricFamily* family : families_) delete family;
  }
}

std::optional<ParseError> Parser::run() {
  State state = State::kStartOfLine;
  while (state != State::kDone) {
    switch (state) {
      case State::kStartOfLine:
        state = startOfLine();
        break;
      case State::kStartComment:
        state = startComment();
        break;
      case State::kReadingMetricName:
        state = readingMetricName();
        break;
      case State::kReadingLabels:
        state = readingLabels();
        break;
      case State::kStartLabelName:
        state = startLabelName();
        break;
      case State::kStartLabelValue:
        state = startLabelValue();
        break;
      case State::kReadingValue:
        state = readingValue();
        break;
      case State::kStartTimestamp:
        state = startTimestamp();
        break;
      case State::kReadingHelp:
        state = readingHelp();
        break;
      case State::kReadingType:
        state = readingType();
        break;
      case State::kDone:
        break;
    }
  }
  if (status_ == Status::kUnexpectedEnd) message_ = "unexpected end of input stream";
  if (status_ != Status::kOk) {
    return ParseError{"text format parsing error in line " + std::to_string(line_) + ": " +
                      message_};
  }
  return std::nullopt;
}

Parser::State Parser::startOfLine() {
  ++line_;
  skipBlankTab();
  if (eof_) return State::kDone;  // the only place where the end of the body is not an error
  if (cur_ == '#') return State::kStartComment;
  if (cur_ == '\n') return State::kStartOfLine;
  return State::kReadingMetricName;
}

Parser::State Parser::startComment() {
  skipBlankTab();
  if (eof_) return unexpectedEnd();
  if (cur_ == '\n') return State::kStartOfLine;
  const std::string_view keyword = readTokenUntilWhitespace();
  if (eof_) return unexpectedEnd();
  if (cur_ == '\n') return State::kStartOfLine;
  if (keyword != "HELP" && keyword != "TYPE") {
    const void* newline = std::memchr(pos_, '\n', static_cast<size_t>(end_ - pos_));
    advanceTo(newline ? static_cast<const char*>(newline) : end_);
    if (eof_) return unexpectedEnd();
    return State::kStartOfLine;
  }
  skipBlankTab();
  if (eof_) return unexpectedEnd();
  const std::string_view name = readName(kMetricStart, kMetricCont);
  if (eof_) return unexpectedEnd();
  if (cur_ == '\n') return State::kStartOfLine;
  if (!isBlankOrTab(cur_)) return fail("invalid metric name in comment");
  setOrCreateCurrentFamily(name);
  skipBlankTab();
  if (eof_) return unexpectedEnd();
  if (cur_ == '\n') return State::kStartOfLine;
  return keyword == "HELP" ? State::kReadingHelp : State::kReadingType;
}

Parser::State Parser::readingMetricName() {
  const std::string_view name = readName(kMetricStart, kMetricCont);
  if (eof_) return unexpectedEnd();
  if (name.empty()) return fail("invalid metric name");
  setOrCreateCurrentFamily(name);
  if (!family_->has_type()) {
    family_->set_type(io::prometheus::client::UNTYPED);
    ++generation_;
  }
  label_count_ = 0;
  // clear() walks every bucket even when empty, and one huge line leaves many behind.
  if (!label_names_.empty()) label_names_.clear();
  skipBlankTabIfCurrentBlankTab();
  if (eof_) return unexpectedEnd();
  return State::kReadingLabels;
}

Parser::State Parser::readingLabels() {
  quantile_ = std::numeric_limits<double>::quiet_NaN();
  bucket_ = std::numeric_limits<double>::quiet_NaN();
  if (cur_ != '{') return State::kReadingValue;
  return State::kStartLabelName;
}

Parser::State Parser::startLabelName() {
  skipBlankTab();
  if (eof_) return unexpectedEnd();
  if (cur_ == '}') {
    skipBlankTab();
    if (eof_) return unexpectedEnd();
    return State::kReadingValue;
  }
  const std::string_view name = readName(kLabelStart, kLabelCont);
  if (eof_) return unexpectedEnd();
  if (name.empty())
    return fail("invalid label name for metric " + support::goQuote(family_->name()));
  if (name == "__name__") return fail("label name \"__name__\" is reserved");
  // The quantile of a summary and the upper bound of a histogram bucket are not labels of the
  // resulting metric: they select the quantile or bucket inside it.
  const MetricType type = family_->type();
  const bool special = (type == io::prometheus::client::SUMMARY && name == "quantile") ||
                       (type == io::prometheus::client::HISTOGRAM && name == "le");
  if (special) {
    label_ = &special_label_;
  } else {
    if (label_count_ == labels_.size()) labels_.emplace_back();
    label_ = &labels_[label_count_++];
  }
  label_->name = name;
  skipBlankTabIfCurrentBlankTab();
  if (eof_) return unexpectedEnd();
  if (cur_ != '=')
    return fail("expected '=' after label name, found " + support::goQuoteRune(cur_));
  if (!special && isDuplicateLabel(name)) {
    return fail("duplicate label names for metric " + support::goQuote(family_->name()));
  }
  return State::kStartLabelValue;
}

Parser::State Parser::startLabelValue() {
  skipBlankTab();
  if (eof_) return unexpectedEnd();
  if (cur_ != '"')
    return fail("expected '\"' at start of label value, found " + support::goQuoteRune(cur_));
  if (!readLabelValue(*label_)) return State::kDone;
  const std::string_view value = label_->value();
  if (!support::isValidUtf8(value)) return fail("invalid label value " + support::goQuote(value));
  if (label_ == &special_label_) {
    const std::optional<double> bound = parseExpfmtFloat(value);
    if (family_->type() == io::prometheus::client::SUMMARY) {
      if (!bound)
        return fail("expected float as value for 'quantile' label, got " + support::goQuote(value));
      quantile_ = *bound;
    } else {
      if (!bound)
        return fail("expected float as value for 'le' label, got " + support::goQuote(value));
      bucket_ = *bound;
    }
  }
  skipBlankTab();
  if (eof_) return unexpectedEnd();
  if (cur_ == ',') return State::kStartLabelName;
  if (cur_ == '}') {
    skipBlankTab();
    if (eof_) return unexpectedEnd();
    return State::kReadingValue;
  }
  return fail("unexpected end of label value " + support::goQuote(value));
}

Parser::State Parser::readingValue() {
  const MetricType type = family_->type();
  const bool grouped =
      type == io::prometheus::client::SUMMARY || type == io::prometheus::client::HISTOGRAM;
  metric_ = grouped ? findOrCreateGroupedMetric() : newMetric();
  const std::string_view token = readTokenUntilWhitespace();
  if (eof_) return unexpectedEnd();
  const std::optional<double> value = parseExpfmtFloat(token);
  if (!value) return fail("expected float as value, got " + support::goQuote(token));
  switch (type) {
    case io::prometheus::client::COUNTER:
      metric_->mutable_counter()->set_value(*value);
      break;
    case io::prometheus::client::GAUGE:
      metric_->mutable_gauge()->set_value(*value);
      break;
    case io::prometheus::client::UNTYPED:
      metric_->mutable_untyped()->set_value(*value);
      break;
    case io::prometheus::client::SUMMARY: {
      auto* summary = metric_->mutable_summary();
      if (suffix_ == Suffix::kCount) {
        summary->set_sample_count(support::goFloatToUint64(*value));
      } else if (suffix_ == Suffix::kSum) {
        summary->set_sample_sum(*value);
      } else if (!std::isnan(quantile_)) {
        auto* quantile = summary->add_quantile();
        quantile->set_quantile(quantile_);
        quantile->set_value(*value);
      }
      break;
    }
    case io::prometheus::client::HISTOGRAM: {
      auto* histogram = metric_->mutable_histogram();
      if (suffix_ == Suffix::kCount) {
        histogram->set_sample_count(support::goFloatToUint64(*value));
      } else if (suffix_ == Suffix::kSum) {
        histogram->set_sample_sum(*value);
      } else if (!std::isnan(bucket_)) {
        auto* bucket = histogram->add_bucket();
        bucket->set_upper_bound(bucket_);
        bucket->set_cumulative_count(support::goFloatToUint64(*value));
      }
      break;
    }
    default:
      // GAUGE_HISTOGRAM: Go sets an error here that the next read overwrites, so the sample
      // keeps its labels and loses its value, and the parse goes on.
      break;
  }
  if (cur_ == '\n') return State::kStartOfLine;
  return State::kStartTimestamp;
}

Parser::State Parser::startTimestamp() {
  skipBlankTab();
  if (eof_) return unexpectedEnd();
  const std::string_view token = readTokenUntilWhitespace();
  if (eof_) return unexpectedEnd();
  const std::optional<int64_t> timestamp = support::parseGoInt64(token);
  if (!timestamp) return fail("expected integer as timestamp, got " + support::goQuote(token));
  metric_->set_timestamp_ms(*timestamp);
  if (!readRestOfLine(false)) return State::kDone;
  if (!token_.empty()) return fail("spurious string after timestamp: " + support::goQuote(token_));
  return State::kStartOfLine;
}

Parser::State Parser::readingHelp() {
  if (family_->has_help()) {
    return fail("second HELP line for metric name " + support::goQuote(family_->name()));
  }
  if (!readRestOfLine(true)) return State::kDone;
  family_->set_help(token_);
  return State::kStartOfLine;
}

Parser::State Parser::readingType() {
  if (family_->has_type()) {
    return fail("second TYPE line for metric name " + support::goQuote(family_->name()) +
                ", or TYPE reported after samples");
  }
  if (!readRestOfLine(false)) return State::kDone;
  const std::optional<MetricType> type = metricTypeFromName(token_);
  if (!type) return fail("unknown metric type " + support::goQuote(token_));
  family_->set_type(*type);
  ++generation_;
  return State::kStartOfLine;
}

}  // namespace ferry::plugins::text::detail
