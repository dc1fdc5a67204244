// The example at the top of sdk.hpp, built as a plugin exactly as the comment shows it, run
// through the input contract kit: the header an author reads first compiles and works.
#include <ferry/testkit/input_contract.h>

using ferry::testkit::InputBackend;
using ferry::testkit::InputContract;
using ferry::testkit::InputSample;

InputBackend lines() {
  InputBackend b;
  b.name = "lines";
  b.library_path = FERRY_PLUGIN_PATH;
  b.accepted_types = {"text/x-lines", "TEXT/X-LINES; charset=utf-8"};
  b.rejected_types = {"text/plain", ""};
  b.good = {InputSample::good("two lines", "text/x-lines", "a 1\nb 2.5\n", {"a", "b"})};
  b.bad = {InputSample::bad("no value", "text/x-lines", "a\n", "expected lines of: name value")};
  return b;
}

INSTANTIATE_TEST_SUITE_P(SdkHeaderExample, InputContract, ::testing::Values(lines()),
                         ferry::testkit::inputBackendName);
