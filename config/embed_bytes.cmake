# embed_bytes(FILE NAME OUT): appends to OUT the C++ definition of a static constexpr unsigned
# char array NAME holding FILE's bytes and a terminating 0 (unsigned, so UTF-8 beyond ASCII is
# no narrowing error). Shared by the embed scripts of config/, bot/console/ and bot/messages/po/.
function(embed_bytes file name out)
  file(READ ${file} content HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
  set(${out} "${${out}}static constexpr unsigned char ${name}[] = {${bytes} 0};\n" PARENT_SCOPE)
endfunction()
