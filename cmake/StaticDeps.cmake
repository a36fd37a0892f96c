# PACELINE_STATIC_DEPS: every third-party library is linked into the
# executables; only glibc (libc, libm) stays shared. A CLI command has to
# start and exit in a few milliseconds (issue 7: `crm configure primitive`
# against a live cluster in 20 ms), and loading a dozen shared C++
# libraries cost about half of that: the dynamic loader's symbol lookups
# and relocations, and the page faults they cause. Not fully `-static`:
# glibc's NSS (getaddrinfo, getpwnam) needs the shared libc.
#
# Included from the top-level CMakeLists.txt before the find_package()
# calls; sets PACELINE_FMT and PACELINE_YAML_CPP (what the modules link)
# and CURSES_LIBRARIES after them, via paceline_static_deps_after_find().
# The .a files come with the -dev packages scripts/setup-deps installs:
# libboost-*1.81-dev, libyaml-cpp-dev, libssl-dev (libcrypto.a) and
# libncurses-dev (libncurses.a, libtinfo.a); libstdc++.a and libgcc.a
# with g++.

set(Boost_USE_STATIC_LIBS ON)
set(OPENSSL_USE_STATIC_LIBS ON)

macro(paceline_static_deps_after_find)
  # fmt: Debian ships no libfmt.a; the header-only target compiles the
  # library into the objects that use it.
  set(PACELINE_FMT fmt::fmt-header-only)

  # yaml-cpp: its CMake package knows only the shared library.
  find_library(PACELINE_YAML_CPP_A NAMES libyaml-cpp.a REQUIRED)
  add_library(paceline_yaml_cpp_static STATIC IMPORTED)
  get_target_property(_yaml_includes yaml-cpp INTERFACE_INCLUDE_DIRECTORIES)
  set_target_properties(paceline_yaml_cpp_static PROPERTIES
    IMPORTED_LOCATION ${PACELINE_YAML_CPP_A}
    INTERFACE_INCLUDE_DIRECTORIES "${_yaml_includes}")
  set(PACELINE_YAML_CPP paceline_yaml_cpp_static)

  # ncurses (crm_mon's screen): the static libraries, with terminfo.
  find_library(PACELINE_NCURSES_A NAMES libncurses.a REQUIRED)
  find_library(PACELINE_TINFO_A NAMES libtinfo.a REQUIRED)
  set(CURSES_LIBRARIES ${PACELINE_NCURSES_A} ${PACELINE_TINFO_A})

  # The C++ runtime too: libstdc++ and libgcc(_s) were two more shared
  # libraries with thousands of symbol relocations.
  add_link_options(-static-libstdc++ -static-libgcc)

  # And a position-dependent executable: as a PIE, the libraries now in it
  # bring 22,000 relative relocations that the loader applies at every
  # start, copying about 100 pages on write (`paceline version`: 207
  # page faults and 8.3 ms as a PIE, 99 and 5.2 ms without; /bin/true
  # takes 47 and 2.7 ms). The price is that the executable's own code and
  # data are not randomized (ASLR still places libc, the heap, the stacks
  # and mmaps); -DPACELINE_PIE=ON builds a PIE for those who prefer that
  # hardening to 3 ms per command. Measured too: -z now (eager binding)
  # cost 4-7 more faults and -O1/--as-needed changed nothing (only libc and
  # libm are left), so the linker's defaults (lazy binding) stay.
  if(NOT PACELINE_PIE)
    set(CMAKE_POSITION_INDEPENDENT_CODE OFF)
    include(CheckPIESupported)
    check_pie_supported()
  endif()
endmacro()
