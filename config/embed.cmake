# Turns INPUT (a text file) into OUTPUT, a C++ file defining signoff::config::demo_json.
file(READ ${INPUT} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
file(WRITE ${OUTPUT}
  "#include <string_view>\nnamespace signoff::config {\n"
  "static constexpr char demo_bytes[] = {${bytes} 0};\n"
  "std::string_view demo_json() { return {demo_bytes, sizeof demo_bytes - 1}; }\n}\n")
