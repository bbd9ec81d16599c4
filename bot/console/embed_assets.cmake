# Writes OUTPUT, a C++ file defining signoff::console::assets() (bot/console/assets.hpp): one
# entry per file under DIR with its path below DIR and its bytes.
file(GLOB_RECURSE FILES LIST_DIRECTORIES false ${DIR}/*)
list(SORT FILES)
include(${CMAKE_CURRENT_LIST_DIR}/../../config/embed_bytes.cmake)
set(arrays "")
set(entries "")
set(index 0)
foreach(file IN LISTS FILES)
  file(RELATIVE_PATH name ${DIR} ${file})
  embed_bytes(${file} asset_${index} arrays)
  string(APPEND entries "    {\"${name}\", {reinterpret_cast<char const*>(asset_${index}), sizeof asset_${index} - 1}},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE ${OUTPUT}.tmp
  "#include \"bot/console/assets.hpp\"\n#include <array>\nnamespace signoff::console {\nnamespace {\n${arrays}"
  "const std::array<asset, ${index}> table{{\n${entries}}};\n}\n"
  "std::span<asset const> assets() { return table; }\n}\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
