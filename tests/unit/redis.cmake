# The redis storage plugin (plugins/redis) against real redis-server and redis-sentinel
# processes (tests/support/redis_server.h), loaded through the plugin host as Ferry loads it.
# The generic storage and feed contract runs against it in tests/plugins; these are Redis's
# own parts: config and refusals, restarts, hung servers, trimmed and forked feeds, Sentinel.
if(TARGET redis)
  ferry_unit_test(ferry_redis_plugin_tests
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/redis_config_test.cpp
            ${CMAKE_CURRENT_SOURCE_DIR}/redis_store_test.cpp
            ${CMAKE_CURRENT_SOURCE_DIR}/redis_sentinel_test.cpp
    DEPS ferry_plugin_host ferry_test_redis)
  target_compile_definitions(ferry_redis_plugin_tests PRIVATE
    FERRY_TEST_PLUGIN_DIR="${FERRY_PLUGIN_OUTPUT_DIR}")
  add_dependencies(ferry_redis_plugin_tests redis)
endif()
