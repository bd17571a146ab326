# Finds every third-party library musictag uses and decides whether the CUDA + NCCL path is built.

find_package(Torch REQUIRED)          # libtorch; CMAKE_PREFIX_PATH from torch.utils.cmake_prefix_path
find_package(MPI REQUIRED COMPONENTS C)
# Debian's mpi.h would otherwise pull in OpenMPI's deprecated C++ bindings, which then fail to link.
target_compile_definitions(MPI::MPI_C INTERFACE OMPI_SKIP_MPICXX=1)
find_package(HDF5 REQUIRED COMPONENTS C)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(FFMPEG REQUIRED IMPORTED_TARGET libavformat libavcodec libavfilter libswresample libavutil)
# The log-mel frontend needs only libavutil (av_tx FFT, av_strerror): training and eval link that, not the codecs.
pkg_check_modules(AVUTIL REQUIRED IMPORTED_TARGET libavutil)

# libcsv (Debian's libcsv-dev) ships no CMake or pkg-config file.
find_path(CSV_INCLUDE_DIR csv.h REQUIRED)
find_library(CSV_LIBRARY csv REQUIRED)
add_library(musictag_libcsv INTERFACE)
target_include_directories(musictag_libcsv INTERFACE ${CSV_INCLUDE_DIR})
target_link_libraries(musictag_libcsv INTERFACE ${CSV_LIBRARY})

add_library(musictag_hdf5 INTERFACE)
target_include_directories(musictag_hdf5 INTERFACE ${HDF5_C_INCLUDE_DIRS} ${HDF5_INCLUDE_DIRS})
target_link_libraries(musictag_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
target_compile_definitions(musictag_hdf5 INTERFACE ${HDF5_DEFINITIONS})

# libtorch as one target; its CMake config only exports variables.
add_library(musictag_torch INTERFACE)
target_include_directories(musictag_torch INTERFACE ${TORCH_INCLUDE_DIRS})
target_link_libraries(musictag_torch INTERFACE ${TORCH_LIBRARIES})
target_compile_options(musictag_torch INTERFACE ${TORCH_CXX_FLAGS})
# torch/include ships its own fmt (12) headers, which would hide Debian's fmt 9 that spdlog is built against:
# put Debian's first for every target that sees libtorch's include directories.
file(MAKE_DIRECTORY ${CMAKE_BINARY_DIR}/fmt-shim)
file(CREATE_LINK /usr/include/fmt ${CMAKE_BINARY_DIR}/fmt-shim/fmt SYMBOLIC)
target_include_directories(musictag_torch SYSTEM BEFORE INTERFACE ${CMAKE_BINARY_DIR}/fmt-shim)

# CUDA + NCCL: only when libtorch has CUDA. NCCL is the torch wheel's copy (the one torch loads), found
# through MUSICTAG_NCCL_ROOT (scripts/setup.sh prints it), else the CUDA toolkit's.
set(MUSICTAG_CUDA OFF)
if(MUSICTAG_WITH_CUDA AND CAFFE2_USE_CUDA)
  find_package(CUDAToolkit)
  set(_nccl_hints $ENV{MUSICTAG_NCCL_ROOT} ${MUSICTAG_NCCL_ROOT} ${CUDAToolkit_LIBRARY_ROOT})
  find_path(NCCL_INCLUDE_DIR nccl.h HINTS ${_nccl_hints} PATH_SUFFIXES include)
  find_library(NCCL_LIBRARY NAMES nccl libnccl.so.2 HINTS ${_nccl_hints} PATH_SUFFIXES lib lib64)
  if(CUDAToolkit_FOUND AND NCCL_INCLUDE_DIR AND NCCL_LIBRARY)
    set(MUSICTAG_CUDA ON)
    add_library(musictag_nccl INTERFACE)
    target_include_directories(musictag_nccl INTERFACE ${NCCL_INCLUDE_DIR})
    target_link_libraries(musictag_nccl INTERFACE ${NCCL_LIBRARY} CUDA::cudart)
  else()
    message(WARNING "libtorch has CUDA but CUDA toolkit or NCCL was not found: building the CPU path only")
  endif()
endif()
message(STATUS "musictag: CUDA + NCCL path ${MUSICTAG_CUDA}")
