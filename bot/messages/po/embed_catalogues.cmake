# Writes OUTPUT, a C++ file defining signoff::languages::all() (bot/core/language.hpp): one
# entry per line of LINGUAS with its tag, aliases and compiled catalogue (MO_DIR/TAG.mo, bytes).
file(STRINGS ${LINGUAS} lines REGEX "^[^#]")
include(${CMAKE_CURRENT_LIST_DIR}/../../../config/embed_bytes.cmake)
set(entries "")
set(arrays "")
set(index 0)
foreach(line IN LISTS lines)
  string(STRIP "${line}" line)
  if(line STREQUAL "")
    continue()
  endif()
  string(REGEX REPLACE "[ \t]+" ";" words "${line}")
  list(POP_FRONT words tag)
  list(JOIN words " " aliases)
  embed_bytes(${MO_DIR}/${tag}.mo catalogue_${index} arrays)
  string(APPEND entries "    {\"${tag}\", \"${aliases}\", {reinterpret_cast<char const*>(catalogue_${index}), sizeof catalogue_${index} - 1}},\n")
  math(EXPR index "${index} + 1")
endforeach()
file(WRITE ${OUTPUT}.tmp
  "#include \"bot/core/language.hpp\"\n#include <array>\nnamespace signoff::languages {\nnamespace {\n${arrays}"
  "const std::array<language, ${index}> table{{\n${entries}}};\n}\n"
  "std::span<language const> all() { return table; }\n}\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
