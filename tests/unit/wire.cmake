ferry_unit_test(ferry_wire_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/wire_request_head_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/wire_body_framer_test.cpp
  DEPS ferry_wire)
