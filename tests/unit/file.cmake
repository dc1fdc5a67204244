# The `file` storage plugin (plugins/file): its snapshot format, the plugin itself loaded from
# storage-file.so through the host, and the core's Store on top of it.
ferry_unit_test(ferry_file_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/file_snapshot_format_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/file_storage_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/file_store_test.cpp
  DEPS ferry_file_snapshot ferry_store ferry_text_parser ferry_testkit_core)
add_dependencies(ferry_file_tests file)
target_compile_definitions(ferry_file_tests PRIVATE FERRY_TEST_PLUGIN_DIR="${FERRY_PLUGIN_OUTPUT_DIR}")
