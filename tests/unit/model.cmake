ferry_unit_test(ferry_model_tests
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/model_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/model_selector_test.cpp
  DEPS ferry_model)
