// The input contract: the GoogleTest suite every Ferry input plugin must pass.
//
//   #include <ferry/testkit/input_contract.h>
//   using ferry::testkit::InputContract;
//   using ferry::testkit::InputSample;
//   ferry::testkit::InputBackend myFormat() {
//     ferry::testkit::InputBackend b;
//     b.name = "my-format";                          // the name in the descriptor
//     b.library_path = "/path/input-my-format.so";   // absolute
//     b.config = "{}";
//     b.accepted_types = {"application/x-my-format"};
//     b.rejected_types = {"text/plain"};
//     b.good = {InputSample::good("one family", "application/x-my-format", "...", {"jobs_total"})};
//     b.bad = {InputSample::bad("no name", "application/x-my-format", "...", "name")};
//     return b;
//   }
//   INSTANTIATE_TEST_SUITE_P(MyFormat, InputContract,  // unqualified: gtest pastes the name
//                            ::testing::Values(myFormat()), ferry::testkit::inputBackendName);
//
// and link the executable with ferry_input_kit and GTest::gtest_main (ferry_add_plugin_test does
// both). The kit talks to the plugin only through the C ABI (dlopen of the .so), as Ferry does,
// and checks its families with the rules Ferry applies to every push (Ferry::families).
#pragma once

#include <ferry/testkit/input_driver.h>
#include <ferry/testkit/plugin_loader.h>
#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace ferry::testkit {

// One body to parse.
struct InputSample {
  std::string label;         // shown in failure messages
  std::string content_type;  // passed to accepts/parse as is
  std::string body;
  // Good bodies: the family names the output must hold, in order (empty: not checked).
  std::vector<std::string> families;
  // Bad bodies: a piece of text the error message must contain (empty: any non-empty message).
  std::string message;

  static InputSample good(std::string label, std::string content_type, std::string body,
                          std::vector<std::string> families = {}) {
    return {std::move(label), std::move(content_type), std::move(body), std::move(families), {}};
  }
  static InputSample bad(std::string label, std::string content_type, std::string body,
                         std::string message = {}) {
    return {std::move(label), std::move(content_type), std::move(body), {}, std::move(message)};
  }
};

struct InputBackend {
  std::string name;          // the plugin's name as its descriptor gives it (checked)
  std::string library_path;  // absolute path of the plugin's .so
  std::string config = "{}";
  std::vector<std::string> accepted_types;  // accepts() must say yes
  std::vector<std::string> rejected_types;  // accepts() must say no
  // Parse gives FERRY_OK and families a push takes (Ferry's push rules pass).
  std::vector<InputSample> good;
  // Refused with a message: by the plugin (FERRY_ERR_INVALID_INPUT), or by the push rules
  // Ferry applies to every push (e.g. "invalid name", "collected before").
  std::vector<InputSample> bad;
};

void PrintTo(const InputBackend& backend, std::ostream* os);
std::string inputBackendName(const ::testing::TestParamInfo<InputBackend>& info);

class InputContract : public ::testing::TestWithParam<InputBackend> {
 protected:
  void SetUp() override;
  const InputBackend& backend() const { return GetParam(); }
  const PluginLibrary& library() const { return *library_; }
  // A fresh instance with backend().config; records a fatal failure and returns nullptr if
  // create fails.
  std::unique_ptr<InputDriver> open() const;

 private:
  const PluginLibrary* library_ = nullptr;
};

// A parse outcome an input plugin may give for any body: FERRY_OK with well-formed delimited
// families, or FERRY_ERR_INVALID_INPUT with a message. Anything else fails.
::testing::AssertionResult isCleanOutcome(const ParseResult& result);

namespace detail {
int inputContractLinkAnchor();
[[maybe_unused]] static const int kInputContractLinkAnchor = inputContractLinkAnchor();
}  // namespace detail

}  // namespace ferry::testkit
