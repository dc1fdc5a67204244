#pragma once

// Comparing protobuf messages in invariants: NaN equals NaN (a value that round-trips as NaN
// has round-tripped), and optionally an unset field equals its default (for formats that
// cannot tell "absent" from "zero", such as the text format).

#include <google/protobuf/message.h>
#include <google/protobuf/util/field_comparator.h>
#include <google/protobuf/util/message_differencer.h>

#include <string>

namespace ferry::fuzz {

enum class Presence { kExact, kUnsetIsDefault };

// "" when equal, else the differencer's report.
inline std::string protoDifference(const google::protobuf::Message& a,
                                   const google::protobuf::Message& b,
                                   Presence presence = Presence::kExact) {
  using google::protobuf::util::DefaultFieldComparator;
  using google::protobuf::util::MessageDifferencer;
  DefaultFieldComparator comparator;
  comparator.set_treat_nan_as_equal(true);
  MessageDifferencer differencer;
  differencer.set_field_comparator(&comparator);
  if (presence == Presence::kUnsetIsDefault) {
    differencer.set_message_field_comparison(MessageDifferencer::EQUIVALENT);
  }
  std::string report;
  differencer.ReportDifferencesToString(&report);
  return differencer.Compare(a, b) ? std::string() : (report.empty() ? "differ" : report);
}

}  // namespace ferry::fuzz
