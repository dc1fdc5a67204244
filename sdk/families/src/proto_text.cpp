#include "ferry/families/proto_text.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <charconv>
#include <cmath>
#include <ferry/support/go_float_format.hpp>

namespace ferry::families {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Mirrors golang/protobuf v1.3's textWriter: indentation is written lazily at the start of a
// line, and in compact mode every newline becomes a space.
class TextWriter {
 public:
  TextWriter(std::string& out, bool compact) : out_(out), compact_(compact) {}

  void writeByte(char c) {
    if (compact_ && c == '\n') c = ' ';
    if (!compact_ && complete_) writeIndent();
    out_.push_back(c);
    complete_ = c == '\n';
  }

  // `s` never contains a newline.
  void write(std::string_view s) {
    if (!compact_ && complete_) writeIndent();
    out_.append(s);
    complete_ = false;
  }

  void writeMessage(const Message& message) {
    const auto* descriptor = message.GetDescriptor();
    const Reflection* reflection = message.GetReflection();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const FieldDescriptor* field = descriptor->field(i);
      if (field->is_repeated()) {
        const int size = reflection->FieldSize(message, field);
        for (int j = 0; j < size; ++j) writeField(message, field, j);
      } else if (reflection->HasField(message, field)) {
        writeField(message, field, -1);
      }
    }
  }

 private:
  void writeIndent() {
    out_.append(static_cast<size_t>(indent_) * 2, ' ');
    complete_ = false;
  }

  // index < 0 selects the singular field.
  void writeField(const Message& message, const FieldDescriptor* field, int index) {
    write(field->name());
    writeByte(':');
    if (!compact_) writeByte(' ');
    writeValue(message, field, index);
    writeByte('\n');
  }

  template <typename T>
  void writeInteger(T value) {
    char buf[24];
    const auto res = std::to_chars(buf, buf + sizeof(buf), value);
    write(std::string_view(buf, static_cast<size_t>(res.ptr - buf)));
  }

  template <typename T>
  void writeFloating(T value) {
    if (std::isnan(value)) return write("nan");
    if (std::isinf(value)) return write(value > 0 ? "inf" : "-inf");
    std::string text;
    if constexpr (sizeof(T) == sizeof(float)) {
      support::appendFloat32(text, value);
    } else {
      support::appendFloat(text, value);
    }
    write(text);
  }

  void writeValue(const Message& message, const FieldDescriptor* field, int index) {
    const Reflection* r = message.GetReflection();
    const bool rep = index >= 0;
    switch (field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        return writeInteger(rep ? r->GetRepeatedInt32(message, field, index)
                                : r->GetInt32(message, field));
      case FieldDescriptor::CPPTYPE_INT64:
        return writeInteger(rep ? r->GetRepeatedInt64(message, field, index)
                                : r->GetInt64(message, field));
      case FieldDescriptor::CPPTYPE_UINT32:
        return writeInteger(rep ? r->GetRepeatedUInt32(message, field, index)
                                : r->GetUInt32(message, field));
      case FieldDescriptor::CPPTYPE_UINT64:
        return writeInteger(rep ? r->GetRepeatedUInt64(message, field, index)
                                : r->GetUInt64(message, field));
      case FieldDescriptor::CPPTYPE_DOUBLE:
        return writeFloating(rep ? r->GetRepeatedDouble(message, field, index)
                                 : r->GetDouble(message, field));
      case FieldDescriptor::CPPTYPE_FLOAT:
        return writeFloating(rep ? r->GetRepeatedFloat(message, field, index)
                                 : r->GetFloat(message, field));
      case FieldDescriptor::CPPTYPE_BOOL:
        return write((rep ? r->GetRepeatedBool(message, field, index) : r->GetBool(message, field))
                         ? "true"
                         : "false");
      case FieldDescriptor::CPPTYPE_ENUM: {
        const int number =
            rep ? r->GetRepeatedEnumValue(message, field, index) : r->GetEnumValue(message, field);
        // Go's generated String() falls back to the number for values it does not know.
        const auto* value = field->enum_type()->FindValueByNumber(number);
        if (value != nullptr) return write(value->name());
        return writeInteger(number);
      }
      case FieldDescriptor::CPPTYPE_STRING: {
        std::string scratch;
        const std::string& bytes =
            rep ? r->GetRepeatedStringReference(message, field, index, &scratch)
                : r->GetStringReference(message, field, &scratch);
        // The opening quote goes through writeByte so it gets the indentation.
        std::string literal;
        appendProtoTextString(literal, bytes);
        writeByte('"');
        out_.append(literal, 1, std::string::npos);
        return;
      }
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        const Message& sub =
            rep ? r->GetRepeatedMessage(message, field, index) : r->GetMessage(message, field);
        writeByte('<');
        if (!compact_) writeByte('\n');
        ++indent_;
        writeMessage(sub);
        --indent_;
        writeByte('>');
        return;
      }
    }
  }

  std::string& out_;
  const bool compact_;
  bool complete_ = true;
  int indent_ = 0;
};

void appendFamily(std::string& out, const io::prometheus::client::MetricFamily& mf, bool compact) {
  TextWriter writer(out, compact);
  writer.writeMessage(mf);
  out.push_back('\n');  // fmt.Fprintln
}

}  // namespace

void appendProtoTextString(std::string& out, std::string_view bytes) {
  out.push_back('"');
  for (const char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out.push_back(static_cast<char>(c));
        } else {
          out.push_back('\\');
          out.push_back(static_cast<char>('0' + (c >> 6)));
          out.push_back(static_cast<char>('0' + ((c >> 3) & 7)));
          out.push_back(static_cast<char>('0' + (c & 7)));
        }
    }
  }
  out.push_back('"');
}

void appendProtoText(std::string& out, const io::prometheus::client::MetricFamily& mf) {
  appendFamily(out, mf, false);
}

void appendProtoCompactText(std::string& out, const io::prometheus::client::MetricFamily& mf) {
  appendFamily(out, mf, true);
}

void appendProtoCompactTextMetric(std::string& out, const io::prometheus::client::Metric& metric) {
  TextWriter writer(out, true);
  writer.writeMessage(metric);
}

}  // namespace ferry::families
