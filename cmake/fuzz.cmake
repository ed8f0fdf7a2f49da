# OSGAN_BUILD_FUZZ: libFuzzer targets (fuzz/) for every parser of outside input. Needs clang. The whole build
# folder is compiled with ASan + UBSan and libFuzzer's coverage hooks, so the same folder also runs the unit
# tests under the sanitizers (scripts/test-hardening). Keep it apart from the normal ./build.
option(OSGAN_BUILD_FUZZ "Build the libFuzzer targets in fuzz/ (clang; implies ASan and UBSan)" OFF)
if(OSGAN_BUILD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "OSGAN_BUILD_FUZZ needs clang (libFuzzer), found ${CMAKE_CXX_COMPILER_ID}. "
                        "Hint: CC=clang CXX=clang++ cmake -S . -B build-fuzz -DOSGAN_BUILD_FUZZ=ON")
  endif()
  # fuzzer-no-link: coverage for libFuzzer in every object; only the fuzz targets link libFuzzer's main.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined -g)
  add_link_options(-fsanitize=address,undefined)
endif()
