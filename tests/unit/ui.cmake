ferry_unit_test(ferry_ui_tests
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/ui_assets_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/ui_api_test.cpp
  DEPS ferry_http ferry_ui ferry_codec ferry_auth)
