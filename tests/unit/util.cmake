ferry_unit_test(ferry_util_tests
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/util_log_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/util_memory_trimmer_test.cpp
  DEPS ferry_util Ferry::support nlohmann_json::nlohmann_json)
