# Text exposition format parser (plugins/text) and the `text` input plugin built on it.
ferry_unit_test(ferry_text_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/text_parser_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/text_parser_errors_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/text_parser_robustness_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/text_go_format_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/text_plugin_test.cpp
  DEPS ferry_text_parser Ferry::sdk ferry_input_kit ${CMAKE_DL_LIBS})
# text_plugin_test.cpp loads the built input-text.so through the plugin ABI.
add_dependencies(ferry_text_tests text)
target_compile_definitions(ferry_text_tests PRIVATE
  FERRY_TEXT_PLUGIN_PATH="$<TARGET_FILE:text>")
