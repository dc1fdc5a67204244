# Plugins whose C++ library does not match the host's, and a library that is no plugin: built
# into their own directory (the plugin_host tests count the misfits of theirs).
set(FERRY_TEST_SDK_MISFIT_DIR ${CMAKE_BINARY_DIR}/test-plugins/sdk-misfits)
function(ferry_cxx_misfit name)
  set(target sdk_misfit_${name})
  add_library(${target} MODULE ${CMAKE_CURRENT_SOURCE_DIR}/misfits/cxx_plugin.cpp)
  target_link_libraries(${target} PRIVATE Ferry::sdk)
  target_compile_definitions(${target} PRIVATE MISFIT_NAME="${name}")
  # The same link flags as ferry_add_plugin: only the entry symbol exported, no undefined ones.
  target_link_options(${target} PRIVATE "LINKER:-z,defs"
    "LINKER:--version-script=${PROJECT_SOURCE_DIR}/sdk/cmake/ferry_plugin.map")
  set_target_properties(${target} PROPERTIES PREFIX "" OUTPUT_NAME input-${name}
    LIBRARY_OUTPUT_DIRECTORY ${FERRY_TEST_SDK_MISFIT_DIR})
  set(FERRY_SDK_MISFITS ${FERRY_SDK_MISFITS} ${target} PARENT_SCOPE)
endfunction()
set(FERRY_SDK_MISFITS)
ferry_cxx_misfit(oldabi)
target_compile_definitions(sdk_misfit_oldabi PRIVATE _GLIBCXX_USE_CXX11_ABI=0)
ferry_cxx_misfit(staticcxx)
target_link_options(sdk_misfit_staticcxx PRIVATE -static-libstdc++ -static-libgcc)

add_library(sdk_misfit_notaplugin MODULE ${CMAKE_CURRENT_SOURCE_DIR}/misfits/not_a_plugin.c)
set_target_properties(sdk_misfit_notaplugin PROPERTIES PREFIX "" OUTPUT_NAME input-notaplugin
  LIBRARY_OUTPUT_DIRECTORY ${FERRY_TEST_SDK_MISFIT_DIR})
list(APPEND FERRY_SDK_MISFITS sdk_misfit_notaplugin)

ferry_unit_test(ferry_sdk_misfit_tests
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sdk_misfits_test.cpp
  DEPS ferry_plugin_host)
target_compile_definitions(ferry_sdk_misfit_tests PRIVATE
  FERRY_TEST_SDK_MISFIT_DIR="${FERRY_TEST_SDK_MISFIT_DIR}")
add_dependencies(ferry_sdk_misfit_tests ${FERRY_SDK_MISFITS})
