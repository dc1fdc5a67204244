ferry_unit_test(ferry_router_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/router_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/router_tree_test.cpp
  DEPS ferry_http)
