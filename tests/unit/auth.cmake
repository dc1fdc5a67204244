ferry_unit_test(ferry_auth_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/auth_rights_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/auth_config_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/auth_admission_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/auth_client_cert_test.cpp
  DEPS ferry_auth ferry_config)
target_compile_definitions(ferry_auth_tests PRIVATE
  FERRY_TEST_PLUGIN_DIR="${FERRY_PLUGIN_OUTPUT_DIR}")
add_dependencies(ferry_auth_tests basic token cert)
