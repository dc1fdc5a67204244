add_library(ferry_abi_c11 OBJECT ${CMAKE_CURRENT_SOURCE_DIR}/abi_layout_c11.c)
set_target_properties(ferry_abi_c11 PROPERTIES C_STANDARD 11 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(ferry_abi_c11 PRIVATE -Wall -Wextra -pedantic -Werror)
target_link_libraries(ferry_abi_c11 PRIVATE Ferry::sdk)
add_library(ferry_abi_c99 OBJECT ${CMAKE_CURRENT_SOURCE_DIR}/abi_layout_c99.c)
set_target_properties(ferry_abi_c99 PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(ferry_abi_c99 PRIVATE -Wall -Wextra -pedantic -Werror)
target_link_libraries(ferry_abi_c99 PRIVATE Ferry::sdk)
ferry_unit_test(ferry_abi_tests
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/abi_layout_test.cpp
          $<TARGET_OBJECTS:ferry_abi_c11> $<TARGET_OBJECTS:ferry_abi_c99>
  DEPS Ferry::sdk)
