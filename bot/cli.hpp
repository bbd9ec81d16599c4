#pragma once
// The command line of SPEC §3: parsing argv and the commands other than `serve`.

#include <string>
#include <vector>

namespace signoff::cli {

int run(std::vector<std::string> const& args);  // args without argv[0]; returns the exit code

}  // namespace signoff::cli
