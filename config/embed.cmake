# Turns INPUT (a text file) into OUTPUT, a C++ file defining `std::string_view NAMESPACE::NAME()`
# that returns the file's bytes (NAMESPACE defaults to signoff::config, NAME to demo_json).
if(NOT DEFINED NAMESPACE)
  set(NAMESPACE signoff::config)
endif()
if(NOT DEFINED NAME)
  set(NAME demo_json)
endif()
include(${CMAKE_CURRENT_LIST_DIR}/embed_bytes.cmake)
set(array "")
embed_bytes(${INPUT} ${NAME}_bytes array)
file(WRITE ${OUTPUT}
  "#include <string_view>\nnamespace ${NAMESPACE} {\n${array}"
  "std::string_view ${NAME}() { return {reinterpret_cast<char const*>(${NAME}_bytes), sizeof ${NAME}_bytes - 1}; }\n}\n")
