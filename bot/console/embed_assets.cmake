# Writes OUTPUT, a C++ file defining signoff::console::assets() (bot/console/assets.hpp): one
# entry per file under DIR with its path below DIR and its bytes.
file(GLOB_RECURSE FILES LIST_DIRECTORIES false ${DIR}/*)
list(SORT FILES)
set(arrays "")
set(entries "")
set(index 0)
foreach(file IN LISTS FILES)
  file(RELATIVE_PATH name ${DIR} ${file})
  file(READ ${file} content HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
  string(APPEND arrays "static constexpr unsigned char asset_${index}[] = {${bytes} 0};\n")
  string(APPEND entries "    {\"${name}\", {reinterpret_cast<char const*>(asset_${index}), sizeof asset_${index} - 1}},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE ${OUTPUT}.tmp
  "#include \"bot/console/assets.hpp\"\n#include <array>\nnamespace signoff::console {\nnamespace {\n${arrays}"
  "const std::array<asset, ${index}> table{{\n${entries}}};\n}\n"
  "std::span<asset const> assets() { return table; }\n}\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
