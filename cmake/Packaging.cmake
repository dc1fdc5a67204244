# Ferry as Debian packages, made by CPack from the install rules (DESIGN.md §8): whatever a
# package holds, `cmake --install` lays out too, and nothing is listed a second time here.
#
#   ferry      component "runtime": bin/ferry, the first-party plugins, libferry_proto.so.1,
#              /etc/ferry/ferry.json, /etc/default/ferry, the systemd unit, the man page, docs
#   ferry-dev  component "development": the SDK (headers, the CMake package FerrySDK, the
#              contract kits, the static support libraries, the libferry_proto.so link)
#
# Every install rule gets its component from CMAKE_INSTALL_DEFAULT_COMPONENT_NAME, set around
# add_subdirectory(sdk) in the top-level CMakeLists.txt; a rule that belongs to the other one
# names it (sdk/proto: the shared library is runtime, its namelink development).
# `make package` (or `cmake --build build --target package`) writes both .deb files to
# build/packages. docs/packaging.md describes the packages.

set(FERRY_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING
  "Where the systemd unit ferry.service is installed: relative to the prefix, or absolute")
set(FERRY_PACKAGE_MAINTAINER "Ferry developers <ferry@example.org>" CACHE STRING
  "The Maintainer field of the Debian packages")

# The man page is the usage text itself (ferry --help-man), so it never disagrees with --help.
if(NOT CMAKE_CROSSCOMPILING)
  add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/ferry.1.gz
    COMMAND sh -c "\"$1\" --help-man | gzip -9n > ferry.1.gz" sh $<TARGET_FILE:ferry>
    DEPENDS ferry
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}
    COMMENT "Writing the man page ferry.1 from ferry --help-man"
    VERBATIM)
  add_custom_target(ferry_man ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/ferry.1.gz)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ferry.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1
    COMPONENT runtime)
endif()

install(FILES README.md docs/configuration.md docs/packaging.md docs/web-ui.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(FILES config/ferry-file.json config/ferry-sqlite.json config/ferry-auth.json
  config/ferry-lifecycle.json
  DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples COMPONENT runtime)

# The config file, the unit and /etc/default/ferry: their place and content depend on the
# prefix installed to, known only at install time (see cmake/install_service_files.cmake).
install(CODE "
  set(FERRY_SOURCE_DIR \"${PROJECT_SOURCE_DIR}\")
  set(FERRY_WORK_DIR \"${CMAKE_CURRENT_BINARY_DIR}/packaging\")
  set(FERRY_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
  set(FERRY_SYSCONFDIR \"${CMAKE_INSTALL_SYSCONFDIR}\")
  set(FERRY_DOCDIR \"${CMAKE_INSTALL_DOCDIR}\")
  set(FERRY_SYSTEMD_UNIT_DIR \"${FERRY_SYSTEMD_UNIT_DIR}\")
  include(\"${PROJECT_SOURCE_DIR}/cmake/install_service_files.cmake\")"
  COMPONENT runtime)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ferry)
set(CPACK_PACKAGE_VENDOR "Ferry")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${FERRY_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DIRECTORY ${CMAKE_BINARY_DIR}/packages)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL runtime development)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# ferry-dev depends on exactly this version of ferry (it links the same libferry_proto).
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)
set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS runtime)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME ferry)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION net)
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION "drop-in replacement for the Prometheus Pushgateway
Ferry accepts metrics pushed by batch jobs and hosts that Prometheus cannot scrape, and serves
them to Prometheus. It speaks the Pushgateway's protocol exactly (URLs, methods, status codes,
flags, web config file), so pushers and scrape jobs keep working unchanged. Input formats,
storage backends (memory, snapshot file, SQLite) and authentication are plugins.
This package runs Ferry as the systemd service ferry.service, as the system user ferry.")
# The libraries come from dpkg-shlibdeps; adduser is for the postinst.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "adduser")
# A shlibs file for libferry_proto.so.1 (the only shared library): a third-party plugin package
# that links it gets "Depends: ferry (>= <version>)" from its own dpkg-shlibdeps.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/packaging/deb/conffiles
  ${PROJECT_SOURCE_DIR}/packaging/deb/postinst
  ${PROJECT_SOURCE_DIR}/packaging/deb/prerm
  ${PROJECT_SOURCE_DIR}/packaging/deb/postrm
  ${PROJECT_SOURCE_DIR}/packaging/deb/triggers)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME ferry-dev)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_DEVELOPMENT_DESCRIPTION "SDK to build plugins for Ferry
The C plugin ABI, the header-only C++ layer, the CMake package FerrySDK
(find_package(FerrySDK), ferry_add_plugin, ferry_add_plugin_test), the contract test kits for
input, storage and auth plugins, and the support libraries Ferry's own plugins use.")
# What FerrySDKConfig.cmake finds (find_dependency) and the exported targets link.
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
  "libprotobuf-dev, nlohmann-json3-dev, libssl-dev, libcrypt-dev, libgtest-dev, libgmock-dev")

include(CPack)
