# Deliberately broken plugins: <kind>-<name>.so built from one C source.
set(FERRY_TEST_MISFIT_DIR ${CMAKE_BINARY_DIR}/test-plugins/misfits)
function(ferry_misfit_plugin file_name plugin_name)
  set(target misfit_${file_name})
  add_library(${target} MODULE ${CMAKE_CURRENT_SOURCE_DIR}/misfits/misfit_plugin.c)
  target_link_libraries(${target} PRIVATE Ferry::sdk)
  target_compile_definitions(${target} PRIVATE MISFIT_NAME="${plugin_name}" ${ARGN})
  set_target_properties(${target} PROPERTIES PREFIX "" OUTPUT_NAME ${file_name}
    LIBRARY_OUTPUT_DIRECTORY ${FERRY_TEST_MISFIT_DIR} C_VISIBILITY_PRESET hidden)
  list(APPEND FERRY_MISFITS ${target})
  set(FERRY_MISFITS ${FERRY_MISFITS} PARENT_SCOPE)
endfunction()
set(FERRY_MISFITS)
ferry_misfit_plugin(input-noentry noentry MISFIT_NO_ENTRY)
ferry_misfit_plugin(input-major major MISFIT_MAJOR=2 MISFIT_MINOR=0)
ferry_misfit_plugin(input-minor minor MISFIT_MINOR=99)
ferry_misfit_plugin(storage-wrongkind wrongkind)
ferry_misfit_plugin(input-createfails createfails MISFIT_CREATE_FAILS)
ferry_misfit_plugin(storage-abi10 abi10 MISFIT_STORAGE_1_0 MISFIT_MINOR=0)
ferry_misfit_plugin(input-bytes11 bytes11 MISFIT_MINOR=1)
ferry_misfit_plugin(input-cbuilder cbuilder MISFIT_BUILDER)
ferry_misfit_plugin(input-badkeys badkeys MISFIT_BUILDER MISFIT_BAD_KEYS)
ferry_misfit_plugin(storage-abi11store abi11store MISFIT_STORAGE_1_1 MISFIT_MINOR=1)
ferry_misfit_plugin(storage-shared shared MISFIT_STORAGE_SHARED)
ferry_misfit_plugin(storage-sharednowriteif sharednowriteif MISFIT_STORAGE_SHARED
  MISFIT_NO_WRITE_IF)
ferry_misfit_plugin(auth-abi11 abi11 MISFIT_AUTH MISFIT_AUTH_1_1 MISFIT_MINOR=1)
ferry_misfit_plugin(auth-badchallenge badchallenge MISFIT_AUTH)
ferry_misfit_plugin(input-noversion noversion MISFIT_NULL_VERSION)
ferry_misfit_plugin(input-emptyname "")

# plugin_host_test.cpp also loads each misfit through the SDK's test kit loader: the two must
# refuse the same plugins for the same reasons.
ferry_unit_test(ferry_plugin_host_tests
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/plugin_host_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/plugin_abi12_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/plugin_registry_test.cpp
  DEPS ferry_plugin_host ferry_testkit_core)
target_compile_definitions(ferry_plugin_host_tests PRIVATE
  FERRY_TEST_MISFIT_DIR="${FERRY_TEST_MISFIT_DIR}"
  FERRY_TEST_PLUGIN_DIR="${FERRY_PLUGIN_OUTPUT_DIR}")
add_dependencies(ferry_plugin_host_tests ${FERRY_MISFITS} memory text file cert token basic)
