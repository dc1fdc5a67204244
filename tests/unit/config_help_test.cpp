// `ferry --help` tells the truth about its flags: every flag it shows is one the command line
// takes, with the default it shows; every flag the command line takes is shown; and a flag whose
// help says Ferry does not support it is refused, while every other flag works.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "config_test_support.h"
#include "core/config/config.h"
#include "core/config/flag_table.h"

namespace ferry::core::config {
namespace {

using test_support::parse;

struct ShownFlag {
  bool is_bool = false;
  std::string shown_value;  // after '=' in the left column: the default or a placeholder
};

// The flags in the left column of the usage text ("  -h, --[no-]help", "      --x=VALUE");
// flag names inside the descriptions are further right and do not count.
std::map<std::string, ShownFlag> flagsShownIn(const std::string& usage) {
  static const std::regex kFlagLine(R"(^  (?:-\w, |    )--(\[no-\])?([a-z0-9][a-z0-9.-]*)(=\S*)?)");
  std::map<std::string, ShownFlag> flags;
  std::istringstream lines(usage);
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (!std::regex_search(line, m, kFlagLine)) continue;
    ShownFlag flag;
    flag.is_bool = m[1].matched;
    if (m[3].matched) flag.shown_value = m[3].str().substr(1);
    flags[m[2].str()] = flag;
  }
  return flags;
}

// What help says about a flag Ferry refuses.
bool saysUnsupported(std::string_view help) {
  static const std::regex kUnsupported(R"(not (yet )?(supported|available|implemented))",
                                       std::regex::icase);
  return std::regex_search(std::string(help), kUnsupported);
}

const detail::FlagSpec& specOf(const std::string& name) {
  const detail::FlagSpec* spec = detail::findLongFlag(name);
  if (spec == nullptr) throw std::runtime_error("no flag " + name);
  return *spec;
}

class HelpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir_template[] = "/tmp/ferry-help-test-XXXXXX";
    ASSERT_NE(mkdtemp(dir_template), nullptr);
    dir_ = dir_template;
    config_file_ = dir_ + "/ferry.json";
    std::ofstream(config_file_) << "{}\n";
  }
  void TearDown() override {
    std::remove(config_file_.c_str());
    rmdir(dir_.c_str());
  }

  // A value to give a value flag: its shown default, or for a placeholder a valid value.
  std::string sampleValue(const std::string& name, const std::string& shown) const {
    if (name == "check-config" || name == "config.file") return config_file_;
    if (name == "plugin-help") return "file";
    if (shown.size() >= 2 && shown.front() == '"' && shown.back() == '"') {
      return shown.substr(1, shown.size() - 2);
    }
    return shown;
  }

  std::string dir_;
  std::string config_file_;
};

TEST_F(HelpTest, HelpShowsFlags) {
  const auto shown = flagsShownIn(usageText());
  // A broken pattern would make the other tests pass over nothing.
  EXPECT_GE(shown.size(), 20u);
  EXPECT_TRUE(shown.at("help").is_bool);
  EXPECT_EQ(shown.at("web.listen-address").shown_value, ":9091");
  EXPECT_EQ(shown.count("web.external-url."), 0u);  // named in a description only
}

TEST_F(HelpTest, EveryFlagInHelpIsTakenWithTheDefaultItShows) {
  for (const auto& [name, flag] : flagsShownIn(usageText())) {
    SCOPED_TRACE("--" + name);
    const detail::FlagSpec* spec = detail::findLongFlag(name);
    ASSERT_NE(spec, nullptr) << "--help shows a flag the command line does not take";
    EXPECT_EQ(flag.is_bool, spec->is_bool);
    std::vector<std::string> args;
    if (flag.is_bool) {
      args = {"--" + name};
    } else {
      args = {"--" + name + "=" + sampleValue(name, flag.shown_value)};
    }
    Options options;
    if (saysUnsupported(spec->help)) {
      try {
        parse(args, options);
        ADD_FAILURE() << "help says Ferry does not support it, but it is taken";
      } catch (const ConfigError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("--" + name + ": ", 0), 0u) << e.what();
      }
      continue;
    }
    try {
      const ParseOutcome outcome = parse(args, options);
      const bool action = spec->action != detail::FlagAction::kNone;
      EXPECT_EQ(outcome.action, action ? ParseOutcome::Action::kExit : ParseOutcome::Action::kRun);
    } catch (const ConfigError& e) {
      ADD_FAILURE() << "refused: " << e.what();
    }
  }
}

TEST_F(HelpTest, EveryFlagTakenIsInHelp) {
  const std::string usage = usageText();
  const auto shown = flagsShownIn(usage);
  for (const detail::FlagSpec& spec : detail::flagTable()) {
    const std::string name(spec.name);
    if (spec.hidden) {
      // --help-long and --help-man: named in the text of --help.
      EXPECT_NE(usage.find("--" + name), std::string::npos) << name;
    } else {
      EXPECT_EQ(shown.count(name), 1u) << "--" << name << " is taken but not in --help";
    }
  }
  EXPECT_NE(usage.find("import-pushgateway FILE"), std::string::npos);
  Options options;
  EXPECT_EQ(parse({"import-pushgateway", config_file_}, options).action,
            ParseOutcome::Action::kRun);
  EXPECT_EQ(options.import_file, config_file_);
}

// The two directions of the test above rest on saysUnsupported() knowing the words.
TEST(HelpWords, UnsupportedIsRecognized) {
  EXPECT_TRUE(saysUnsupported("Use systemd socket activation. Not supported by Ferry."));
  EXPECT_TRUE(saysUnsupported("Allow UTF-8 names. Not supported yet by Ferry."));
  EXPECT_TRUE(saysUnsupported("Path to a file. Not available yet."));
  EXPECT_FALSE(saysUnsupported("List the plugins, and why any was refused, and exit."));
  EXPECT_TRUE(saysUnsupported(specOf("web.systemd-socket").help));
}

}  // namespace
}  // namespace ferry::core::config
