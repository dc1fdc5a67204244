// The auth contract of the Ferry SDK, run against this plugin's .so.
#include <ferry/testkit/auth_contract.h>

using ferry::testkit::AuthBackend;
using ferry::testkit::AuthCase;
using ferry::testkit::AuthContract;

INSTANTIATE_TEST_SUITE_P(
    TokenAuth, AuthContract,
    ::testing::Values(AuthBackend{
        "token",
        FERRY_PLUGIN_PATH,
        R"({"tokens": {"s3cret": "ci", "other": "backup-job"}})",
        {AuthCase::ok("known token", {{"Authorization", "Bearer s3cret"}}, "ci"),
         AuthCase::ok("header name in lower case", {{"authorization", "Bearer other"}},
                      "backup-job"),
         AuthCase::noCredentials("no Authorization header", {{"Accept", "*/*"}}),
         AuthCase::noCredentials("basic auth is not ours", {{"Authorization", "Basic eDp5"}}),
         AuthCase::denied("unknown token", {{"Authorization", "Bearer guess"}}),
         AuthCase::denied("empty token", {{"Authorization", "Bearer "}})},
        "Bearer"}),
    ferry::testkit::authBackendName);
