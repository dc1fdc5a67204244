#include "core/config/usage.h"

#include <array>
#include <sstream>
#include <vector>

#include "core/config/flag_table.h"
#include "core/config/version.h"

namespace ferry::core::config {
namespace {

constexpr char kAppName[] = "ferry";
constexpr char kAppHelp[] =
    "Ferry: a drop-in replacement for the Prometheus Pushgateway, with plugins for inputs and "
    "storage.";
constexpr char kImportUsage[] = "import-pushgateway FILE";
constexpr char kImportHelp[] =
    "Import a Pushgateway persistence file (what it writes to its --persistence.file) into the "
    "configured storage (--persistence.file or \"storage\" in --config.file; not memory), "
    "then exit. Stored groups with the same grouping key are replaced.";
constexpr size_t kWidth = 80;  // kingpin's width when stdout is not a terminal
constexpr size_t kIndent = 2;
constexpr size_t kPadding = 2;
constexpr size_t kMaxFirstColumn = 30;  // longer flag strings put their help on the next line

// Greedy word wrap; kingpin's go/doc wraps a little differently but to the same width.
std::vector<std::string> wrap(const std::string& text, size_t width) {
  std::vector<std::string> lines;
  std::istringstream words(text);
  std::string word, line;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(line);
      line.clear();
    }
    if (!line.empty()) line += ' ';
    line += word;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

std::string formatFlag(const detail::FlagSpec& spec) {
  std::string s;
  if (spec.short_name != 0) {
    s = std::string("-") + spec.short_name + ", --";
  } else {
    s = "    --";  // some flag has a short form, so every long-only flag is indented to match
  }
  if (spec.is_bool) s += "[no-]";
  s += spec.name;
  if (!spec.is_bool) {
    s += '=';
    s += spec.placeholder;
  }
  if (spec.repeatable) s += " ...";
  return s;
}

}  // namespace

std::string usageText() {
  std::vector<std::array<std::string, 2>> rows;
  for (const auto& spec : detail::flagTable()) {
    if (!spec.hidden) rows.push_back({formatFlag(spec), std::string(spec.help)});
  }
  size_t first = 0;
  for (const auto& row : rows) {
    if (row[0].size() > first && row[0].size() < kMaxFirstColumn) first = row[0].size();
  }

  std::string out = std::string("usage: ") + kAppName + " [<flags>]\n\n";
  for (const auto& line : wrap(kAppHelp, kWidth)) out += line + "\n";
  out += "\nFlags:\n";
  const std::string indent(kIndent, ' ');
  const std::string offset(first + kPadding, ' ');
  for (const auto& row : rows) {
    auto lines = wrap(row[1], kWidth - first - kPadding - kIndent);
    out += indent + row[0];
    if (row[0].size() < first) out += std::string(first - row[0].size(), ' ');
    out += std::string(kPadding, ' ');
    if (row[0].size() >= kMaxFirstColumn) out += "\n" + indent + offset;
    out += lines[0] + "\n";
    for (size_t i = 1; i < lines.size(); ++i) out += indent + offset + lines[i] + "\n";
  }
  out += "\nCommands:\n" + indent + kImportUsage + "\n";
  for (const auto& line : wrap(kImportHelp, kWidth - 2 * kIndent)) {
    out += indent + indent + line + "\n";
  }
  out += "\n";
  return out;
}

std::string manPageText() {
  std::string out =
      std::string(".TH ") + kAppName + " 1 \"" + kAppName + " " + buildInfo().version + "\" \"\"\n";
  out += ".SH \"NAME\"\n";
  out += std::string(kAppName) + "\n";
  out += ".SH \"SYNOPSIS\"\n.TP\n";
  out += std::string("\\fB") + kAppName + " [<flags>]\\fR\n\n";
  out += ".SH \"DESCRIPTION\"\n";
  out += std::string(kAppHelp) + "\n";
  out += ".SH \"OPTIONS\"\n";
  for (const auto& spec : detail::flagTable()) {
    if (spec.hidden) continue;
    out += ".TP\n\\fB";
    if (spec.short_name != 0) out += std::string("-") + spec.short_name + ", ";
    out += "--" + std::string(spec.name);
    if (!spec.is_bool) out += "=" + std::string(spec.placeholder);
    out += "\\fR\n" + std::string(spec.help) + "\n";
  }
  out += ".SH \"COMMANDS\"\n.TP\n\\fB" + std::string(kImportUsage) + "\\fR\n" + kImportHelp + "\n";
  return out;
}

}  // namespace ferry::core::config
