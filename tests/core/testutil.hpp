// Helpers shared by the core tests: temporary files and counts of a dataset.
#pragma once

#include "srm/dataset.hpp"

#include <QTemporaryDir>
#include <ctime>
#include <fstream>
#include <map>
#include <string>

namespace srm::test {

class Files {
public:
    std::string write(const std::string& name, const std::string& bytes)
    {
        const std::string path = dir_.filePath(QString::fromStdString(name)).toStdString();
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }

private:
    QTemporaryDir dir_;
};

inline std::map<std::string, std::uint64_t> per_variant(const Dataset& ds)
{
    std::map<std::string, std::uint64_t> out;
    for (std::size_t i = 0; i < ds.size(); ++i)
        if (ds.flags[i] & kExposed) out[ds.variants[ds.variant[i]]] += ds.weight_of(i);
    return out;
}

inline std::map<std::string, std::map<std::string, std::uint64_t>> per_dim(const Dataset& ds, const std::string& dim)
{
    std::size_t d = 0;
    while (ds.dimensions[d].name != dim) ++d;
    std::map<std::string, std::map<std::string, std::uint64_t>> out;
    for (std::size_t i = 0; i < ds.size(); ++i)
        if (ds.flags[i] & kExposed)
            out[ds.variants[ds.variant[i]]][ds.dimensions[d].values[ds.dim(i, d)]] += ds.weight_of(i);
    return out;
}

inline std::map<std::string, std::map<std::string, std::uint64_t>> per_day(const Dataset& ds)
{
    std::map<std::string, std::map<std::string, std::uint64_t>> out;
    for (std::size_t i = 0; i < ds.size(); ++i) {
        if (!(ds.flags[i] & kExposed)) continue;
        const std::int64_t s = ds.first_time[i] / 1000000;
        const std::int64_t day = s >= 0 ? s / 86400 : (s - 86399) / 86400;
        char buf[16];
        const std::string iso = [&] {
            std::tm tm{};
            const time_t t = static_cast<time_t>(day * 86400);
            gmtime_r(&t, &tm);
            std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
            return std::string(buf);
        }();
        out[ds.variants[ds.variant[i]]][iso] += ds.weight_of(i);
    }
    return out;
}

inline const std::string kBasic =
    "timestamp,user_id,variant,browser\n"
    "2026-03-01T10:00:00Z,u1,control,Chrome\n"
    "2026-03-01T10:01:00Z,u2,treatment,Safari\n"
    "2026-03-01T10:02:00Z,u3,control,Chrome\n"
    "2026-03-01T10:03:00Z,u1,control,Chrome\n"
    "2026-03-01T10:04:00Z,u4,treatment,Firefox\n";

inline std::string with_delimiter(std::string text, char d)
{
    for (auto& c : text)
        if (c == ',') c = d;
    return text;
}

inline std::string with_line_end(const std::string& text, const std::string& end)
{
    std::string out;
    for (char c : text) {
        if (c == '\n') out += end;
        else out += c;
    }
    return out;
}

}  // namespace srm::test
