# Turns INPUT (a text file) into OUTPUT, a C++ file defining `std::string_view NAMESPACE::NAME()`
# that returns the file's bytes (NAMESPACE defaults to signoff::config, NAME to demo_json).
# The bytes are unsigned char so that UTF-8 beyond ASCII is no narrowing error.
if(NOT DEFINED NAMESPACE)
  set(NAMESPACE signoff::config)
endif()
if(NOT DEFINED NAME)
  set(NAME demo_json)
endif()
file(READ ${INPUT} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUTPUT}
  "#include <string_view>\nnamespace ${NAMESPACE} {\n"
  "static constexpr unsigned char ${NAME}_bytes[] = {${bytes} 0};\n"
  "std::string_view ${NAME}() { return {reinterpret_cast<char const*>(${NAME}_bytes), sizeof ${NAME}_bytes - 1}; }\n}\n")
