# Ferry::support (sdk/support): the Go-compatibility helpers the core and the plugins share.
ferry_unit_test(ferry_support_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/support_go_float_format_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/support_go_quote_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/support_go_strconv_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/support_names_test.cpp
  DEPS Ferry::support)
