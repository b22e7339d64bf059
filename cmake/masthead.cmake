# Helpers shared by every module's CMakeLists.txt.

# masthead_test(NAME SOURCES... LIBS...) builds one GoogleTest binary and
# registers each of its test cases with CTest.
function(masthead_test name)
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST
    PROPERTIES LABELS unit ENVIRONMENT "MASTHEAD_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()
