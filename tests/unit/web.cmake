ferry_unit_test(ferry_web_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/web_config_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/web_auth_test.cpp
  DEPS ferry_web)
