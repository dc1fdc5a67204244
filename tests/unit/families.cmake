# Ferry::families (sdk/families): the host side of the family builder and the rules every push
# must pass, shared by the core and the input kit.
ferry_unit_test(ferry_families_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/families_collector_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/families_proto_text_test.cpp
  DEPS Ferry::families)
