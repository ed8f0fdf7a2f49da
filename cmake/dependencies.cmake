# Finds osgan's dependencies: LibTorch (Debian's 1.13 CPU, or a 2.x CUDA build through CMAKE_PREFIX_PATH),
# the image libraries (libpng, libjpeg-turbo, stb for BMP, libtiff, GDCM, nifti2), CLI11, nlohmann_json and yaml-cpp.
find_package(Torch REQUIRED)
# TORCH_CXX_FLAGS carries the -D_GLIBCXX_USE_CXX11_ABI choice LibTorch was built with.
separate_arguments(OSGAN_TORCH_CXX_FLAGS UNIX_COMMAND "${TORCH_CXX_FLAGS}")
find_package(Threads REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(TIFF REQUIRED)
find_package(PNG REQUIRED)
find_package(JPEG REQUIRED)  # libjpeg-turbo (Debian's libjpeg62-turbo-dev): read_jpeg.cpp
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)

# Debian's NIfTI CMake config is broken (it names targets that are not installed): find nifti2 and znz by hand.
find_path(NIFTI2_INCLUDE_DIR nifti2_io.h PATH_SUFFIXES nifti REQUIRED)
find_library(NIFTI2_LIBRARY nifti2 REQUIRED)
find_library(ZNZ_LIBRARY znz REQUIRED)
find_path(STB_INCLUDE_DIR stb_image.h PATH_SUFFIXES stb REQUIRED)

# GDCM's installed CMake config points into its own build tree on Debian; find headers and libraries directly,
# which also works for a relocated copy (a CUDA build machine without Debian's packages).
find_path(GDCM_INCLUDE_DIR gdcmImageReader.h PATH_SUFFIXES gdcm-3.0 REQUIRED)
set(OSGAN_GDCM_LIBRARIES)
foreach(lib gdcmMSFF gdcmDSED gdcmCommon gdcmDICT gdcmIOD)
  find_library(${lib}_LIBRARY ${lib} REQUIRED)
  list(APPEND OSGAN_GDCM_LIBRARIES ${${lib}_LIBRARY})
endforeach()

# One interface target for everything the torch-free image code links.
add_library(osgan_image_deps INTERFACE)
target_include_directories(osgan_image_deps SYSTEM INTERFACE ${NIFTI2_INCLUDE_DIR} ${STB_INCLUDE_DIR} ${GDCM_INCLUDE_DIR})
target_link_libraries(osgan_image_deps INTERFACE
  ${NIFTI2_LIBRARY} ${ZNZ_LIBRARY} ZLIB::ZLIB TIFF::TIFF PNG::PNG JPEG::JPEG
  ${OSGAN_GDCM_LIBRARIES} OpenSSL::Crypto Threads::Threads m)
