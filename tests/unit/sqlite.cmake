# The sqlite storage plugin (plugins/sqlite), loaded through the plugin host as Ferry loads it.
# The generic storage contract runs against it in tests/plugins; these are the SQLite-specific
# parts: file checks, schema version, WAL, locking, and a Store on top of it.
if(TARGET sqlite)
  find_package(SQLite3 REQUIRED)
  ferry_unit_test(ferry_sqlite_plugin_tests
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sqlite_plugin_test.cpp
    DEPS ferry_store ferry_text_parser SQLite::SQLite3 ferry_testkit_core)
  target_compile_definitions(ferry_sqlite_plugin_tests PRIVATE
    FERRY_TEST_PLUGIN_DIR="${FERRY_PLUGIN_OUTPUT_DIR}")
  add_dependencies(ferry_sqlite_plugin_tests sqlite)
endif()
