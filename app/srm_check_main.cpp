// srm-check: the command-line SRM report. All logic lives in srm::core.
#include "srm/cli.hpp"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    std::ios::sync_with_stdio(false);
    const std::vector<std::string> args(argv + 1, argv + argc);
    return srm::run_srm_check(args, std::cout, std::cerr);
}
