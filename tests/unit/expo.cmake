ferry_unit_test(ferry_expo_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/expo_gzip_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/expo_json_api_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/expo_negotiation_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/expo_text_format_test.cpp
  DEPS ferry_expo)
