# ferry_add_plugin(<target> KIND input|storage|auth SOURCES <files...> [NO_INSTALL])
#
# Builds a Ferry plugin as a MODULE library named <kind>-<target>.so with hidden visibility
# (only the entry symbol is exported) and -z defs (a missing symbol fails the link, not the
# load). Used for the first-party plugins in-tree and by third parties through
# find_package(FerrySDK). `cmake --install` puts the plugin in <prefix>/lib/ferry/plugins (the
# layout of Ferry's own prefix: install with Ferry's prefix to add it to Ferry's own plugins).
# Optional variables: FERRY_PLUGIN_OUTPUT_DIR (where the .so is built) and
# FERRY_PLUGIN_INSTALL_DIR (the install destination instead: relative to the install prefix, or
# absolute, e.g. FerrySDK_PLUGIN_DIR, the installed ferry's own folder). NO_INSTALL: no install
# rule, for plugins that only tests load.
#
# ferry_add_plugin_test(<target> PLUGIN <plugin target> SOURCES <files...>)
#
# Builds the GoogleTest executable <target> from SOURCES, linked with the contract kit of the
# plugin's kind (Ferry::input_kit, Ferry::storage_kit or Ferry::auth_kit) and GTest::gtest_main,
# with FERRY_PLUGIN_PATH defined as the absolute path of the built plugin, and registers it
# with CTest as <target>. The kit's suite is instantiated in SOURCES (see docs/plugins.md).
set(_FERRY_PLUGIN_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")
include(GNUInstallDirs)

function(ferry_add_plugin target)
  cmake_parse_arguments(FAP "NO_INSTALL" "KIND" "SOURCES" ${ARGN})
  if(NOT FAP_KIND MATCHES "^(input|storage|auth)$")
    message(FATAL_ERROR "ferry_add_plugin(${target}): KIND must be input, storage or auth")
  endif()
  if(NOT FAP_SOURCES)
    message(FATAL_ERROR "ferry_add_plugin(${target}): SOURCES is empty")
  endif()
  add_library(${target} MODULE ${FAP_SOURCES})
  set_property(TARGET ${target} PROPERTY FERRY_PLUGIN_KIND ${FAP_KIND})
  if(TARGET Ferry::sdk)
    target_link_libraries(${target} PRIVATE Ferry::sdk)
  endif()
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "${FAP_KIND}-${target}"
    CXX_STANDARD 17
    CXX_STANDARD_REQUIRED ON
    CXX_EXTENSIONS OFF
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    INSTALL_RPATH "$ORIGIN/../..")
  # The warnings Ferry's own tree builds with, also out of tree.
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra)
  endif()
  target_link_options(${target} PRIVATE "LINKER:-z,defs"
    "LINKER:--version-script=${_FERRY_PLUGIN_CMAKE_DIR}/ferry_plugin.map")
  if(DEFINED FERRY_PLUGIN_OUTPUT_DIR)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${FERRY_PLUGIN_OUTPUT_DIR}")
  endif()
  if(FAP_NO_INSTALL)
    return()
  endif()
  if(DEFINED FERRY_PLUGIN_INSTALL_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION "${FERRY_PLUGIN_INSTALL_DIR}")
  else()
    install(TARGETS ${target} LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}/ferry/plugins")
  endif()
endfunction()

function(_ferry_add_plugin_test target)
  cmake_parse_arguments(FAPT "" "PLUGIN" "SOURCES" ${ARGN})
  if(NOT FAPT_PLUGIN OR NOT TARGET ${FAPT_PLUGIN})
    message(FATAL_ERROR "ferry_add_plugin_test(${target}): PLUGIN must name a ferry_add_plugin() target")
  endif()
  get_property(kind TARGET ${FAPT_PLUGIN} PROPERTY FERRY_PLUGIN_KIND)
  if(NOT kind)
    message(FATAL_ERROR "ferry_add_plugin_test(${target}): ${FAPT_PLUGIN} was not made by ferry_add_plugin()")
  endif()
  if(NOT FAPT_SOURCES)
    message(FATAL_ERROR "ferry_add_plugin_test(${target}): SOURCES is empty")
  endif()
  add_executable(${target} ${FAPT_SOURCES})
  target_link_libraries(${target} PRIVATE Ferry::${kind}_kit GTest::gtest_main)
  set_target_properties(${target} PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON)
  target_compile_definitions(${target} PRIVATE FERRY_PLUGIN_PATH="$<TARGET_FILE:${FAPT_PLUGIN}>")
  add_dependencies(${target} ${FAPT_PLUGIN})
  add_test(NAME ${target} COMMAND ${target})
endfunction()

# A macro, so that enable_testing() runs in the caller's directory scope: inside a function it
# only sets a variable of the function's scope, and ctest then finds no tests. Harmless when
# testing is already on.
macro(ferry_add_plugin_test)
  _ferry_add_plugin_test(${ARGN})
  enable_testing()
endmacro()
