# The libFuzzer targets (RASAI_FUZZ=ON): one executable per src/<layer>/<name>_fuzz.cc, linked with
# its layer's library, all built by the target `fuzz`. scripts/fuzz.sh builds and runs them.
add_custom_target(fuzz)
file(GLOB fuzz_srcs CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/*/*_fuzz.cc)
foreach(src ${fuzz_srcs})
  get_filename_component(name ${src} NAME_WE)
  get_filename_component(dir ${src} DIRECTORY)
  get_filename_component(layer ${dir} NAME)
  add_executable(${name} ${src})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE rasai_${layer})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  add_dependencies(fuzz ${name})
endforeach()
