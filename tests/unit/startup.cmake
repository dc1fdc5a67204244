ferry_unit_test(ferry_startup_tests
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/startup_assembly_test.cpp
  DEPS ferry_startup)
target_compile_definitions(ferry_startup_tests PRIVATE
  FERRY_TEST_PLUGIN_DIR="${FERRY_PLUGIN_OUTPUT_DIR}")
add_dependencies(ferry_startup_tests memory text file sqlite)
