ferry_unit_test(ferry_migrate_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/migrate_gob_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/migrate_fixture_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/migrate_import_test.cpp
  DEPS ferry_migrate)
target_compile_definitions(ferry_migrate_tests PRIVATE
  FERRY_TEST_PLUGIN_DIR="${FERRY_PLUGIN_OUTPUT_DIR}"
  FERRY_FIXTURE_DIR="${PROJECT_SOURCE_DIR}/tests/fixtures")
add_dependencies(ferry_migrate_tests memory)
