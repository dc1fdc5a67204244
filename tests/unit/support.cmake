# Ferry::support (sdk/support): the helpers the core, the plugins and the test kits share.
ferry_unit_test(ferry_support_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/support_go_float_format_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/support_go_quote_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/support_go_strconv_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/support_go_url_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/support_names_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/support_plugin_descriptor_test.cpp
  DEPS Ferry::support)
