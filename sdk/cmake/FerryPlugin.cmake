# ferry_add_plugin(<target> KIND input|storage|auth SOURCES <files...>)
#
# Builds a Ferry plugin as a MODULE library named <kind>-<target>.so with hidden visibility
# (only the entry symbol is exported) and -z defs (a missing symbol fails the link, not the
# load). Used for the first-party plugins in-tree and by third parties through
# find_package(FerrySDK). Optional variables: FERRY_PLUGIN_OUTPUT_DIR (where the .so is built)
# and FERRY_PLUGIN_INSTALL_DIR (install(TARGETS) destination; for Ferry's own plugin directory
# use FerrySDK_PLUGIN_DIR from the package).
set(_FERRY_PLUGIN_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")

function(ferry_add_plugin target)
  cmake_parse_arguments(FAP "" "KIND" "SOURCES" ${ARGN})
  if(NOT FAP_KIND MATCHES "^(input|storage|auth)$")
    message(FATAL_ERROR "ferry_add_plugin(${target}): KIND must be input, storage or auth")
  endif()
  if(NOT FAP_SOURCES)
    message(FATAL_ERROR "ferry_add_plugin(${target}): SOURCES is empty")
  endif()
  add_library(${target} MODULE ${FAP_SOURCES})
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
  if(DEFINED FERRY_PLUGIN_INSTALL_DIR)
    install(TARGETS ${target} LIBRARY DESTINATION "${FERRY_PLUGIN_INSTALL_DIR}")
  endif()
endfunction()
