ferry_unit_test(ferry_store_tests
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/store_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/store_series_key_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/store_group_query_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/store_lifecycle_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/store_expiry_batch_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/store_selector_delete_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/store_limits_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/store_shared_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/store_memory_release_test.cpp
  DEPS ferry_store ferry_text_parser)
target_compile_definitions(ferry_store_tests PRIVATE FERRY_TEST_PLUGIN_DIR="${FERRY_PLUGIN_OUTPUT_DIR}")
add_dependencies(ferry_store_tests memory)

ferry_unit_test(ferry_store_storage_failure_tests
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/store_storage_failure_test.cpp
  DEPS ferry_store ferry_text_parser)
target_compile_definitions(ferry_store_storage_failure_tests PRIVATE
  FERRY_TEST_FAULTY_PLUGIN_DIR="$<TARGET_FILE_DIR:faulty>")
add_dependencies(ferry_store_storage_failure_tests faulty)
