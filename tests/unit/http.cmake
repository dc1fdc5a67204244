ferry_unit_test(ferry_http_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/http_response_test.cpp
  DEPS ferry_http)
