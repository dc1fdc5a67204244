ferry_unit_test(ferry_auth_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/auth_rights_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/auth_config_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/auth_admission_test.cpp
  DEPS ferry_auth ferry_config)
