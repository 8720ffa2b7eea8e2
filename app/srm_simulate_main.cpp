// srm-simulate: writes realistic exposure exports with injected SRM causes.
// All logic lives in srm::simulate.
#include "srm/simulate.hpp"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    return srm::run_srm_simulate(std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr);
}
