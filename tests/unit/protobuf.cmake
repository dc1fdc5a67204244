ferry_unit_test(ferry_protobuf_tests
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/protobuf_content_type_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/protobuf_parser_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/protobuf_plugin_test.cpp
  DEPS ferry_protobuf_parser Ferry::sdk ferry_input_kit ${CMAKE_DL_LIBS})
# protobuf_plugin_test.cpp loads the built input-protobuf.so through the C ABI, as the host does.
add_dependencies(ferry_protobuf_tests protobuf)
target_compile_definitions(ferry_protobuf_tests PRIVATE
  FERRY_PROTOBUF_PLUGIN_PATH="$<TARGET_FILE:protobuf>")
