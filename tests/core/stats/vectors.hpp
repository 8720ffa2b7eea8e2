// Reads the reference SRM vectors (semicolon-separated, see
// tests/data/make_own_vectors.py and ../shared/reference/README.md).
#pragma once

#include <fstream>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

struct SrmVector {
    std::vector<unsigned long long> observed;
    std::vector<double> weights;
    double chi_square = 0, p_value = 0, log10_p_value = 0;
    int df = 0;
    std::optional<double> exact_p_value;
    int line = 0;
};

inline std::vector<SrmVector> read_vectors(const std::string& path)
{
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<SrmVector> out;
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (n == 1 || line.empty()) continue;
        std::vector<std::string> f;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ';')) f.push_back(cell);
        if (f.size() == 6) f.emplace_back();
        if (f.size() != 7) throw std::runtime_error(path + ": bad line " + std::to_string(n));
        SrmVector v;
        v.line = n;
        std::stringstream o(f[0]), w(f[1]);
        unsigned long long x;
        while (o >> x) v.observed.push_back(x);
        double d;
        while (w >> d) v.weights.push_back(d);
        v.chi_square = std::stod(f[2]);
        v.df = std::stoi(f[3]);
        v.p_value = std::stod(f[4]);
        v.log10_p_value = std::stod(f[5]);
        if (!f[6].empty()) v.exact_p_value = std::stod(f[6]);
        out.push_back(std::move(v));
    }
    return out;
}
