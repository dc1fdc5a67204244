ferry_unit_test(ferry_config_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/config_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/config_file_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/config_duration_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/config_url_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/config_status_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/config_help_test.cpp
  DEPS ferry_config)
# The tests read the shipped config/ferry.json and the examples in docs/configuration.md.
target_compile_definitions(ferry_config_tests PRIVATE FERRY_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
