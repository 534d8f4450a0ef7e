# Warnings and sanitizers apply to rampart's own targets only (through this INTERFACE target).
add_library(rampart_options INTERFACE)
target_compile_options(rampart_options INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
  -Wimplicit-fallthrough)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 reports Asio's coroutine frame allocator (operator new/delete pairs of
  # awaitable_frame_base) as mismatched at -O2: a known false positive.
  target_compile_options(rampart_options INTERFACE -Wno-mismatched-new-delete)
endif()
if(RAMPART_WERROR)
  target_compile_options(rampart_options INTERFACE -Werror)
endif()
if(RAMPART_SANITIZE)
  string(REPLACE ";" "," _san "${RAMPART_SANITIZE}")
  add_compile_options(-fsanitize=${_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_san})
endif()
if(RAMPART_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)  # coverage for every library the targets reach
endif()
# RAMPART_TEST_HOOKS is defined for src/app/config.cpp alone (src/app/CMakeLists.txt): every other
# object is the same with and without test hooks, so a production build made beside a test build
# (the server package's test) comes mostly from ccache.

# rampart_component(NAME SOURCES ... DEPS ...): a static library plus, when tests are on,
# one gtest binary from every *_test.cpp in the component's folder.
function(rampart_component name)
  cmake_parse_arguments(C "" "" "SOURCES;DEPS" ${ARGN})
  add_library(rampart_${name} STATIC ${C_SOURCES})
  target_include_directories(rampart_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(rampart_${name} PUBLIC ${C_DEPS} PRIVATE rampart_options)
  if(RAMPART_BUILD_TESTS)
    file(GLOB _tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
    if(_tests)
      add_executable(${name}_test ${_tests})
      target_link_libraries(${name}_test PRIVATE rampart_${name} rampart_options GTest::gtest_main)
      add_test(NAME ${name}_test COMMAND ${name}_test)
    endif()
  endif()
endfunction()
