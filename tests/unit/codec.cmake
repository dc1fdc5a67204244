ferry_unit_test(ferry_codec_tests
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/codec_test.cpp ${CMAKE_CURRENT_SOURCE_DIR}/codec_gzip_test.cpp
  DEPS ferry_codec ZLIB::ZLIB ${SNAPPY_LIBRARY})
# The snappy tests build frames with libsnappy's RawCompress.
target_include_directories(ferry_codec_tests PRIVATE ${SNAPPY_INCLUDE_DIR})
