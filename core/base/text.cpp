#include "srm/text.hpp"

#include <charconv>
#include <sstream>
#include <stdexcept>
#include <cmath>
#include <cstdio>

namespace srm {

std::string lower(std::string_view s)
{
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::string normalise_name(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c == ' ' || c == '-' || c == '.' || c == '/') c = '_';
        if (c == '$' || c == '"' || c == '\'' || c == '[' || c == ']' || c == '`') continue;
        out.push_back(c);
    }
    return out;
}

std::string csv_quote(std::string_view s)
{
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string q = "\"";
    for (const char c : s) {
        if (c == '"') q += '"';
        q += c;
    }
    return q + "\"";
}

std::string_view trim_blanks(std::string_view s) noexcept
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string_view trim_line_breaks(std::string_view s) noexcept
{
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

bool parse_number(std::string_view s, double* value) noexcept
{
    if (s.empty()) return false;
    std::size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        digits = true;
        ++i;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            digits = true;
            ++i;
        }
    }
    if (!digits) return false;
    if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
        bool exp_digits = false;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            exp_digits = true;
            ++i;
        }
        if (!exp_digits) return false;
    }
    if (i != s.size()) return false;
    if (value) {
        const char* b = s.data() + (s[0] == '+' ? 1 : 0);
        double v = 0;
        if (std::from_chars(b, s.data() + s.size(), v).ec == std::errc::result_out_of_range)
            v = s.find_first_of("eE") != std::string_view::npos && s[s.find_first_of("eE") + 1] == '-' ? 0.0  // 1e-400: underflow
                : s[0] == '-' ? -HUGE_VAL : HUGE_VAL;  // 1e400: past the largest double, never silently 0
        *value = v;
    }
    return true;
}

std::string shorten(std::string_view s, std::size_t max)
{
    if (s.size() <= max) return std::string(s);
    std::size_t cut = max > 3 ? max - 3 : 0;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
    return std::string(s.substr(0, cut)) + "...";
}

namespace {

// The length of the valid UTF-8 sequence at s[i], 0 when the byte starts none.
std::size_t utf8_sequence(std::string_view s, std::size_t i)
{
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the second byte's range (RFC 3629's table)
    if (c >= 0xC2 && c <= 0xDF) n = 2;
    else if (c == 0xE0) n = 3, lo = 0xA0;
    else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) n = 3;
    else if (c == 0xED) n = 3, hi = 0x9F;  // no surrogates
    else if (c == 0xF0) n = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3) n = 4;
    else if (c == 0xF4) n = 4, hi = 0x8F;
    else return 0;
    if (i + n > s.size() || b(i + 1) < lo || b(i + 1) > hi) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
    return n;
}

}  // namespace

std::string escape_invalid_utf8(std::string_view s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_sequence(s, i);
        if (n == 0) {
            static const char* hex = "0123456789ABCDEF";
            const auto c = static_cast<unsigned char>(s[i]);
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 15];
            ++i;
        } else {
            out.append(s.substr(i, n));
            i += n;
        }
    }
    return out;
}

bool make_valid_utf8(std::string& s)
{
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t n = utf8_sequence(s, i);
        if (n == 0) {
            s = escape_invalid_utf8(s);
            return true;
        }
        i += n;
    }
    return false;
}

std::string format_p(double p, double log10_p)
{
    if (p <= 0.0 || log10_p < -300.0) {
        // Underflowed: show the exact order of magnitude from log10 p.
        double e = std::floor(log10_p);
        double mantissa = std::pow(10.0, log10_p - e);
        if (mantissa >= 9.995) {  // shown as 10.00: one order up (log10 p just below a whole number)
            mantissa /= 10.0;
            e += 1.0;
        }
        return format_fixed(mantissa, 2) + "e" + std::to_string(static_cast<long long>(e));
    }
    return p >= 0.001 ? format_fixed(p, 4) : format_general(p, 3);
}

std::string format_fixed(double v, int decimals)
{
    char buf[400];  // the widest double in fixed notation, with its decimals
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, decimals);
    return r.ec == std::errc() ? std::string(buf, r.ptr) : std::string("nan");
}

std::string format_general(double v, int precision)
{
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, precision);
    return r.ec == std::errc() ? std::string(buf, r.ptr) : std::string("nan");
}

std::string group_thousands(std::uint64_t n)
{
    const std::string digits = std::to_string(n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

std::vector<std::pair<std::string, double>> parse_name_values(const std::string& text, const std::string& what)
{
    std::vector<std::pair<std::string, double>> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        const auto eq = item.rfind('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == item.size())
            throw std::invalid_argument(what + ": '" + item + "' is not of the form NAME=NUMBER");
        std::string name = item.substr(0, eq);
        const std::string value = item.substr(eq + 1);
        double v = 0.0;  // read locale-independently: the workbench runs in the user's C locale
        if (!parse_number(trim_blanks(value), &v)) throw std::invalid_argument(what + ": '" + value + "' (for '" + name + "') is not a number");
        for (const auto& p : out)
            if (p.first == name) throw std::invalid_argument(what + ": variant '" + name + "' is given twice");
        out.emplace_back(std::move(name), v);
    }
    if (out.empty()) throw std::invalid_argument(what + ": no NAME=NUMBER pairs given");
    return out;
}

const char* version_string() noexcept { return SRM_VERSION; }

}  // namespace srm
