#include "srm/simulate.hpp"

#include "srm/timeutil.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <tuple>

namespace srm {

namespace {

constexpr std::int64_t kUsPerDay = 86400LL * 1000000;

struct NamedWeight {
    const char* name;
    double weight;
};

constexpr std::array<NamedWeight, 5> kBrowsers{{{"Chrome", 58}, {"Safari", 21}, {"Firefox", 9}, {"Edge", 8}, {"Samsung Internet", 4}}};
constexpr std::array<NamedWeight, 9> kCountries{{{"US", 34}, {"DE", 12}, {"GB", 10}, {"FR", 8}, {"IN", 9}, {"BR", 8}, {"JP", 7}, {"CA", 6}, {"ES", 6}}};
constexpr std::array<NamedWeight, 3> kSdk{{{"3.1.0", 25}, {"3.2.0", 50}, {"3.3.0", 25}}};
const std::array<const char*, 5> kOsNames{"Windows", "macOS", "iOS", "Android", "Linux"};

const char* os_for(const std::string& browser, double u)
{
    if (browser == "Safari") return u < 0.55 ? "iOS" : "macOS";
    if (browser == "Samsung Internet") return "Android";
    if (browser == "Edge") return u < 0.9 ? "Windows" : "macOS";
    if (u < 0.45) return "Windows";
    if (u < 0.75) return "Android";
    if (u < 0.92) return "macOS";
    return "Linux";
}

template <std::size_t N>
std::size_t pick(const std::array<NamedWeight, N>& table, double u)
{
    double total = 0;
    for (const auto& e : table) total += e.weight;
    double acc = 0;
    for (std::size_t i = 0; i < N; ++i) {
        acc += table[i].weight / total;
        if (u < acc) return i;
    }
    return N - 1;
}

std::size_t pick_weighted(const std::vector<double>& w, double u)
{
    double total = 0;
    for (double x : w) total += x;
    double acc = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
        acc += w[i] / total;
        if (u < acc) return i;
    }
    return w.size() - 1;
}

double default_strength(Scenario s)
{
    switch (s) {
    case Scenario::Healthy: return 0;
    case Scenario::BucketingDefect: return 0.03;
    case Scenario::DeploymentDrop: return 0.6;
    case Scenario::GradualAttrition: return 0.08;
    case Scenario::SegmentSkew: return 0.05;
    case Scenario::VariantJumping: return 0.08;
    case Scenario::AllocationChange: return 0.2;
    case Scenario::AssignmentExposureDrop: return 0.05;
    case Scenario::SegmentDrop: return 0;
    }
    return 0;
}

struct Event {
    std::int64_t time;
    std::uint32_t user;
    std::uint8_t variant;
    std::uint8_t kind;  // 0 exposure, 1 assignment
};

constexpr int kMaxExtraDimensions = 8, kMaxExtraValues = 200;

struct UserInfo {
    std::uint8_t browser, os_idx, country, sdk;
    bool crashed, included;
    std::array<std::uint8_t, kMaxExtraDimensions> extra;
};

std::uint8_t os_index(const char* os)
{
    for (std::size_t i = 0; i < kOsNames.size(); ++i)
        if (std::string(kOsNames[i]) == os) return static_cast<std::uint8_t>(i);
    return 0;
}

std::string date_of(std::int64_t us) { return format_iso8601(us / 1000000).substr(0, 10); }

void write_time(std::string& out, std::int64_t us, TimeFormat f)
{
    char buf[64];
    const std::int64_t s = us / 1000000;
    const int ms = static_cast<int>((us / 1000) % 1000);
    switch (f) {
    case TimeFormat::IsoZ: {
        const std::string iso = format_iso8601(s);  // ...Z
        std::snprintf(buf, sizeof buf, "%.19s.%03dZ", iso.c_str(), ms);
        break;
    }
    case TimeFormat::IsoSpaceUtc: {
        std::string iso = format_iso8601(s);
        iso[10] = ' ';
        std::snprintf(buf, sizeof buf, "%.19s UTC", iso.c_str());
        break;
    }
    case TimeFormat::IsoOffset: {
        // The same instant written in UTC+02:00.
        std::string iso = format_iso8601(s + 7200);
        std::snprintf(buf, sizeof buf, "%.19s.%03d+02:00", iso.c_str(), ms);
        break;
    }
    case TimeFormat::EpochSeconds: std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(s)); break;
    case TimeFormat::EpochMillis: std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(us / 1000)); break;
    case TimeFormat::EpochMicros: std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(us)); break;
    case TimeFormat::Date: std::snprintf(buf, sizeof buf, "%s", date_of(us).c_str()); break;
    }
    out += buf;
}

class Writer {
public:
    Writer(std::ostream& os, const SimulationSpec& spec) : os_(os), spec_(spec)
    {
        if (spec.bom) buf_ += "\xEF\xBB\xBF";
    }
    ~Writer() { flush(); }
    void field(const std::string& v, bool first = false)
    {
        if (!first) buf_ += spec_.delimiter;
        const bool needs = spec_.quote_all || v.find_first_of(std::string("\"\r\n") + spec_.delimiter) != std::string::npos;
        if (!needs) {
            buf_ += v;
            return;
        }
        buf_ += '"';
        for (char c : v) {
            if (c == '"') buf_ += '"';
            buf_ += c;
        }
        buf_ += '"';
    }
    std::string& raw() { return buf_; }
    void end_row()
    {
        buf_ += spec_.crlf ? "\r\n" : "\n";
        if (buf_.size() > (1 << 20)) flush();
    }
    void flush()
    {
        os_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
        buf_.clear();
    }

private:
    std::ostream& os_;
    const SimulationSpec& spec_;
    std::string buf_;
};

std::string extra_name(int d) { return "extra" + std::to_string(d + 1); }
std::string extra_value(int d, int v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "e%d_v%03d", d + 1, v + 1);
    return buf;
}

void write_dimension_names(Writer& w, const SimulationSpec& spec)
{
    for (const char* name : {"browser", "os", "country", "sdk_version"}) w.field(name);
    for (int d = 0; d < spec.extra_dimensions; ++d) w.field(extra_name(d));
}

// A user's value of each dimension by name: the four standard ones, then the extras.
std::string trait_value(const UserInfo& u, std::size_t trait)
{
    switch (trait) {
    case 0: return kBrowsers[u.browser].name;
    case 1: return kOsNames[u.os_idx];
    case 2: return kCountries[u.country].name;
    case 3: return kSdk[u.sdk].name;
    default: return extra_value(static_cast<int>(trait - 4), u.extra[trait - 4]);
    }
}

struct Simulation {
    std::vector<Event> events;
    std::vector<UserInfo> users;
    SimulationTruth truth;
};

// What stays fixed for a whole simulation.
struct Setup {
    double s = 0;  // the cause's strength
    std::int64_t span = 0, change = 0;
    bool event_type = false;
    std::vector<double> before, after;  // planned weights before and after the change
    std::size_t affected = 1, balancing = 2;
    struct Cause {
        std::vector<std::pair<std::size_t, std::string>> conditions;  // trait, value
        double strength = 0;
        std::int64_t from = 0;
    };
    std::vector<Cause> causes;
    std::vector<double> extra_weights;  // Zipf popularity of the extra values
};

// The trait index of a dimension name; throws for an unknown one.
std::size_t trait_of(const SimulationSpec& spec, const std::string& name)
{
    static const std::array<const char*, 4> standard{"browser", "os", "country", "sdk_version"};
    for (std::size_t i = 0; i < standard.size(); ++i)
        if (name == standard[i]) return i;
    for (int d = 0; d < spec.extra_dimensions; ++d)
        if (name == extra_name(d)) return 4 + static_cast<std::size_t>(d);
    throw std::invalid_argument("a cause names dimension '" + name + "', which the simulation does not write");
}

bool trait_has_value(const SimulationSpec& spec, std::size_t trait, const std::string& value)
{
    auto in = [&](const auto& table) { return std::any_of(table.begin(), table.end(), [&](const auto& e) { return value == e.name; }); };
    switch (trait) {
    case 0: return in(kBrowsers);
    case 1: return std::find(kOsNames.begin(), kOsNames.end(), value) != kOsNames.end();
    case 2: return in(kCountries);
    case 3: return in(kSdk);
    default:
        for (int v = 0; v < spec.extra_values; ++v)
            if (value == extra_value(static_cast<int>(trait - 4), v)) return true;
        return false;
    }
}

std::vector<Setup::Cause> compile_causes(const SimulationSpec& spec, std::int64_t span)
{
    std::vector<Setup::Cause> out;
    for (const auto& c : spec.causes) {
        if (c.conditions.empty()) throw std::invalid_argument("a cause needs at least one dimension=value condition");
        if (c.strength < 0 || c.strength > 1) throw std::invalid_argument("a cause's strength is a probability between 0 and 1");
        if (c.from < 0 || c.from >= 1) throw std::invalid_argument("a cause's start is a fraction of the test in [0, 1)");
        Setup::Cause cc;
        for (const auto& [dim, value] : c.conditions) {
            const std::size_t t = trait_of(spec, dim);
            if (!trait_has_value(spec, t, value)) throw std::invalid_argument("dimension '" + dim + "' has no value '" + value + "'");
            cc.conditions.emplace_back(t, value);
        }
        cc.strength = c.strength;
        cc.from = spec.start_us + static_cast<std::int64_t>(c.from * static_cast<double>(span));
        out.push_back(std::move(cc));
    }
    return out;
}

Setup make_setup(const SimulationSpec& spec, SimulationTruth& truth)
{
    if (spec.variants.size() < 2) throw std::invalid_argument("a simulation needs at least two variants");
    if (spec.users == 0 || spec.users > 0xFFFFFFF0ULL) throw std::invalid_argument("users must be between 1 and 4e9");
    if (spec.days < 1) throw std::invalid_argument("days must be at least 1");
    Setup st;
    st.s = spec.strength >= 0 ? spec.strength : default_strength(spec.scenario);
    st.span = spec.days * kUsPerDay;
    st.change = spec.start_us + static_cast<std::int64_t>(spec.change_fraction * static_cast<double>(st.span));
    st.event_type = spec.event_type || spec.scenario == Scenario::AssignmentExposureDrop;
    if (spec.scenario != Scenario::Healthy) truth.change_time_us = spec.scenario == Scenario::BucketingDefect ? spec.start_us : st.change;
    for (const auto& v : spec.variants) st.before.push_back(v.second);
    st.after = st.before;
    // AllocationChange: the first variant's weight falls by `strength` of the
    // total, spread evenly over the others.
    double total = 0;
    for (double w : st.before) total += w;
    if (spec.scenario == Scenario::AllocationChange) {
        const double moved = std::min(st.before[0], st.s * total);
        st.after[0] = st.before[0] - moved;
        for (std::size_t i = 1; i < st.after.size(); ++i) st.after[i] += moved / static_cast<double>(st.after.size() - 1);
        for (std::size_t i = 0; i < st.after.size(); ++i) truth.weights_after.emplace_back(spec.variants[i].first, st.after[i]);
    }
    if (!trait_has_value(spec, 0, spec.affected_browser)) throw std::invalid_argument("unknown browser '" + spec.affected_browser + "'");
    for (std::size_t i = 0; i < kBrowsers.size(); ++i)
        if (spec.affected_browser == kBrowsers[i].name) {
            st.affected = i;
            break;
        }
    if (spec.extra_dimensions < 0 || spec.extra_dimensions > kMaxExtraDimensions)
        throw std::invalid_argument("at most " + std::to_string(kMaxExtraDimensions) + " extra dimensions");
    if (spec.extra_values < 2 || spec.extra_values > kMaxExtraValues)
        throw std::invalid_argument("extra dimensions take 2 to " + std::to_string(kMaxExtraValues) + " values");
    for (int v = 0; v < spec.extra_values; ++v) st.extra_weights.push_back(1.0 / (v + 1.0));
    st.causes = compile_causes(spec, st.span);
    if (spec.scenario == Scenario::SegmentDrop && st.causes.empty()) throw std::invalid_argument("segment_drop needs at least one --cause");
    st.balancing = st.affected == 2 ? 1 : 2;  // Firefox, or Safari when Firefox is affected
    return st;
}

// A user's arrival time and traits.
UserInfo draw_user(const SimulationSpec& spec, const Setup& st, std::mt19937_64& rng, std::uniform_real_distribution<double>& uni,
                   std::int64_t& arrival)
{
    // Arrival: uniform day, more traffic in the daytime.
    const double day = std::floor(uni(rng) * spec.days);
    double hour = uni(rng) * 24.0;
    if (uni(rng) < 0.4) hour = 8.0 + uni(rng) * 12.0;
    arrival = spec.start_us + static_cast<std::int64_t>((day * 24.0 + hour) * 3600e6);
    UserInfo info{};
    info.browser = static_cast<std::uint8_t>(pick(kBrowsers, uni(rng)));
    info.os_idx = os_index(os_for(kBrowsers[info.browser].name, uni(rng)));
    info.country = static_cast<std::uint8_t>(pick(kCountries, uni(rng)));
    info.sdk = static_cast<std::uint8_t>(pick(kSdk, uni(rng)));
    if (info.sdk == 2 && arrival < spec.start_us + 5 * kUsPerDay) info.sdk = 1;  // 3.3.0 ships on day 5
    info.included = spec.inclusion && uni(rng) < 0.02;
    for (int d = 0; d < spec.extra_dimensions; ++d) info.extra[static_cast<std::size_t>(d)] = static_cast<std::uint8_t>(pick_weighted(st.extra_weights, uni(rng)));
    return info;
}

// The user's variant: the plan in force at arrival, bent by the scenario.
std::size_t assign(const SimulationSpec& spec, const Setup& st, const UserInfo& info, std::int64_t arrival, std::mt19937_64& rng,
                   std::uniform_real_distribution<double>& uni)
{
    const auto& weights = (spec.scenario == Scenario::AllocationChange && arrival >= st.change) ? st.after : st.before;
    std::size_t v = pick_weighted(weights, uni(rng));
    if (spec.scenario == Scenario::SegmentSkew && spec.variants.size() == 2) {
        const double share_a = kBrowsers[st.affected].weight, share_b = kBrowsers[st.balancing].weight;
        const double p_treat = info.browser == st.affected    ? 0.5 + st.s
                               : info.browser == st.balancing ? 0.5 - st.s * share_a / share_b
                                                              : 0.5;
        v = uni(rng) < p_treat ? 1 : 0;
    }
    if (info.included) v = spec.variants.size() - 1;
    if (spec.scenario == Scenario::BucketingDefect && v == 1 && uni(rng) < st.s) v = 0;
    return v;
}

// Whether the user's exposure is logged at all.
bool is_exposed(const SimulationSpec& spec, const Setup& st, const UserInfo& info, bool treatment, std::int64_t arrival, std::mt19937_64& rng,
                std::uniform_real_distribution<double>& uni)
{
    bool exposed = true;
    if (st.event_type) {
        double p = 0.95;
        if (spec.scenario == Scenario::AssignmentExposureDrop && treatment) p -= st.s;
        exposed = uni(rng) < p;
    }
    if (spec.scenario == Scenario::DeploymentDrop && treatment && info.browser == st.affected && arrival >= st.change && uni(rng) < st.s)
        exposed = false;
    for (const auto& c : st.causes) {
        if (!treatment || arrival < c.from) continue;
        const bool match = std::all_of(c.conditions.begin(), c.conditions.end(), [&](const auto& cond) { return trait_value(info, cond.first) == cond.second; });
        if (match && uni(rng) < c.strength) exposed = false;
    }
    if (spec.scenario == Scenario::GradualAttrition && treatment &&
        uni(rng) < st.s * static_cast<double>(arrival - spec.start_us) / static_cast<double>(st.span))
        exposed = false;
    return exposed;
}

// The truth, by first exposure in file order.
void count_truth(const SimulationSpec& spec, Simulation& sim)
{
    std::vector<std::uint8_t> first_variant(spec.users, 0xFF);
    std::vector<std::uint8_t> jumped(spec.users, 0);
    for (const auto& e : sim.events) {
        if (e.kind != 0) continue;
        if (first_variant[e.user] == 0xFF) {
            first_variant[e.user] = e.variant;
            const auto& name = spec.variants[e.variant].first;
            ++sim.truth.exposed_units;
            ++sim.truth.units_per_variant[name];
            ++sim.truth.units_per_browser[name][kBrowsers[sim.users[e.user].browser].name];
            ++sim.truth.units_per_day[name][date_of(e.time)];
            if (sim.users[e.user].included) ++sim.truth.included_units;
        } else if (first_variant[e.user] != e.variant && !jumped[e.user]) {
            jumped[e.user] = 1;
            ++sim.truth.jumpers;
        }
    }
    for (const auto& v : spec.variants) sim.truth.units_per_variant.try_emplace(v.first, 0);
    sim.truth.rows = sim.events.size();
}

// What the localization should find in the simulation.
void expected_explanation(const SimulationSpec& spec, const Setup& st, SimulationTruth& truth)
{
    auto segment = [](const std::string& dim, const std::string& value) { return std::vector<std::pair<std::string, std::string>>{{dim, value}}; };
    const bool causes = !spec.causes.empty();
    switch (spec.scenario) {
    case Scenario::Healthy:
    case Scenario::SegmentDrop: truth.explanation = causes ? "localized" : "none"; break;
    case Scenario::VariantJumping: truth.explanation = causes ? "" : "none"; break;
    case Scenario::BucketingDefect:
    case Scenario::GradualAttrition:
    case Scenario::AllocationChange:  // without its allocation history
    case Scenario::AssignmentExposureDrop: truth.explanation = "global"; break;
    case Scenario::DeploymentDrop:
        truth.explanation = causes ? "" : "localized";
        truth.explaining_segments.push_back(segment("browser", kBrowsers[st.affected].name));
        break;
    case Scenario::SegmentSkew:
        truth.explanation = causes || spec.variants.size() != 2 ? "" : "localized";
        truth.explaining_segments.push_back(segment("browser", kBrowsers[st.affected].name));
        truth.explaining_segments.push_back(segment("browser", kBrowsers[st.balancing].name));
        break;
    }
    for (const auto& c : spec.causes) {
        auto conditions = c.conditions;
        std::sort(conditions.begin(), conditions.end());
        truth.explaining_segments.push_back(conditions);
    }
    if (truth.explanation != "localized") truth.explaining_segments.clear();
}

Simulation run_simulation(const SimulationSpec& spec)
{
    Simulation sim;
    const Setup st = make_setup(spec, sim.truth);
    std::mt19937_64 rng(spec.seed);
    std::uniform_real_distribution<double> uni(0.0, 1.0);
    const double extra_mean = std::max(0.0, spec.exposures_per_user - 1.0);
    std::geometric_distribution<int> extra(1.0 / (1.0 + extra_mean));
    std::exponential_distribution<double> gap(1.0 / (1.5 * static_cast<double>(kUsPerDay)));
    sim.users.resize(spec.users);
    sim.events.reserve(static_cast<std::size_t>(static_cast<double>(spec.users) * (spec.exposures_per_user + (st.event_type ? 1.1 : 0.1))));
    for (std::uint32_t u = 0; u < spec.users; ++u) {
        std::int64_t arrival = 0;
        UserInfo info = draw_user(spec, st, rng, uni, arrival);
        const std::size_t v = assign(spec, st, info, arrival, rng, uni);
        const bool treatment = v >= 1;
        const double crash_rate = spec.scenario == Scenario::GradualAttrition && treatment ? 0.06 : 0.02;
        info.crashed = uni(rng) < crash_rate;
        sim.users[u] = info;
        if (st.event_type) {
            sim.events.push_back({arrival - 2'000'000, u, static_cast<std::uint8_t>(v), 1});
            ++sim.truth.assigned_units;
        }
        if (!is_exposed(spec, st, info, treatment, arrival, rng, uni)) continue;
        const int n = 1 + extra(rng);
        std::int64_t t = arrival;
        for (int k = 0; k < n && t < spec.start_us + st.span; ++k) {
            sim.events.push_back({t, u, static_cast<std::uint8_t>(v), 0});
            t += static_cast<std::int64_t>(gap(rng)) + 1'000'000;
        }
        if (spec.scenario == Scenario::VariantJumping && uni(rng) < st.s) {
            const std::int64_t jt = arrival + static_cast<std::int64_t>(uni(rng) * static_cast<double>(spec.start_us + st.span - arrival));
            const std::size_t other = (v + 1 + static_cast<std::size_t>(uni(rng) * static_cast<double>(spec.variants.size() - 1))) % spec.variants.size();
            if (jt > arrival) sim.events.push_back({jt, u, static_cast<std::uint8_t>(other), 0});
        }
    }
    std::sort(sim.events.begin(), sim.events.end(),
              [](const Event& a, const Event& b) { return std::tie(a.time, a.user, a.kind) < std::tie(b.time, b.user, b.kind); });
    count_truth(spec, sim);
    expected_explanation(spec, st, sim.truth);
    return sim;
}

std::string user_id(std::uint32_t u)
{
    char buf[24];
    // A bijective scramble so that ids do not follow arrival order.
    const std::uint32_t x = u * 2654435761u ^ 0x5bd1e995u;
    std::snprintf(buf, sizeof buf, "u%08x", x);
    return buf;
}

}  // namespace

const char* to_string(Scenario s) noexcept
{
    switch (s) {
    case Scenario::Healthy: return "healthy";
    case Scenario::BucketingDefect: return "bucketing_defect";
    case Scenario::DeploymentDrop: return "deployment_drop";
    case Scenario::GradualAttrition: return "gradual_attrition";
    case Scenario::SegmentSkew: return "segment_skew";
    case Scenario::VariantJumping: return "variant_jumping";
    case Scenario::AllocationChange: return "allocation_change";
    case Scenario::AssignmentExposureDrop: return "assignment_exposure_drop";
    case Scenario::SegmentDrop: return "segment_drop";
    }
    return "healthy";
}

std::vector<std::string> scenario_names()
{
    std::vector<std::string> out;
    for (int i = 0; i <= static_cast<int>(Scenario::SegmentDrop); ++i) out.emplace_back(to_string(static_cast<Scenario>(i)));
    return out;
}

Scenario scenario_from_string(const std::string& name)
{
    for (int i = 0; i <= static_cast<int>(Scenario::SegmentDrop); ++i)
        if (name == to_string(static_cast<Scenario>(i))) return static_cast<Scenario>(i);
    throw std::invalid_argument("unknown scenario '" + name + "'");
}

namespace {
double cause_number(const std::string& v, const std::string& text)
{
    std::size_t used = 0;
    double d = 0;
    try {
        d = std::stod(v, &used);
    } catch (const std::exception&) {
        used = std::string::npos;
    }
    if (used != v.size()) throw std::invalid_argument("a cause's strength and start are numbers, not '" + v + "' in '" + text + "'");
    return d;
}
}  // namespace

SimulatedCause parse_cause(const std::string& text)
{
    SimulatedCause c;
    std::string conditions = text;
    if (const auto at = conditions.rfind('@'); at != std::string::npos) {
        c.from = cause_number(conditions.substr(at + 1), text);
        conditions.resize(at);
    }
    if (const auto colon = conditions.rfind(':'); colon != std::string::npos) {
        c.strength = cause_number(conditions.substr(colon + 1), text);
        conditions.resize(colon);
    }
    std::size_t start = 0;
    while (start <= conditions.size()) {
        const auto amp = std::min(conditions.find('&', start), conditions.size());
        const std::string part = conditions.substr(start, amp - start);
        const auto eq = part.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == part.size())
            throw std::invalid_argument("a cause is DIMENSION=VALUE[&DIMENSION=VALUE...][:STRENGTH][@START], not '" + text + "'");
        c.conditions.emplace_back(part.substr(0, eq), part.substr(eq + 1));
        start = amp + 1;
    }
    return c;
}

SimulationTruth simulate(const SimulationSpec& spec, std::ostream& out)
{
    const Simulation sim = run_simulation(spec);
    const bool event_type = spec.event_type || spec.scenario == Scenario::AssignmentExposureDrop;
    Writer w(out, spec);
    w.field("timestamp", true);
    w.field("user_id");
    w.field("variant");
    if (spec.dimensions) write_dimension_names(w, spec);
    if (event_type) w.field("event_type");
    if (spec.metrics) w.field("crashed");
    if (spec.inclusion) w.field("force_included");
    w.end_row();
    std::string t;
    for (const auto& e : sim.events) {
        const UserInfo& u = sim.users[e.user];
        t.clear();
        write_time(t, e.time, spec.time_format);
        w.field(t, true);
        w.field(user_id(e.user));
        w.field(spec.variants[e.variant].first);
        if (spec.dimensions)
            for (std::size_t trait = 0; trait < 4 + static_cast<std::size_t>(spec.extra_dimensions); ++trait) w.field(trait_value(u, trait));
        if (event_type) w.field(e.kind == 1 ? "assignment" : "exposure");
        if (spec.metrics) w.field(u.crashed ? "1" : "0");
        if (spec.inclusion) w.field(u.included ? "1" : "0");
        w.end_row();
    }
    return sim.truth;
}

SimulationTruth simulate_aggregated(const SimulationSpec& spec, std::ostream& out)
{
    const Simulation sim = run_simulation(spec);
    // (day, variant) and the user's traits: browser, os, country, sdk, extras.
    std::map<std::pair<std::string, std::vector<std::uint8_t>>, std::uint64_t> cells;
    std::vector<std::uint8_t> seen(spec.users, 0);
    for (const auto& e : sim.events) {
        if (e.kind != 0 || seen[e.user]) continue;
        seen[e.user] = 1;
        const UserInfo& u = sim.users[e.user];
        std::vector<std::uint8_t> key{e.variant, u.browser, u.os_idx, u.country, u.sdk};
        key.insert(key.end(), u.extra.begin(), u.extra.begin() + spec.extra_dimensions);
        ++cells[{date_of(e.time), std::move(key)}];
    }
    Writer w(out, spec);
    w.field("date", true);
    w.field("variant");
    if (spec.dimensions) write_dimension_names(w, spec);
    w.field("users");
    w.end_row();
    for (const auto& [key, n] : cells) {
        w.field(key.first, true);
        w.field(spec.variants[key.second[0]].first);
        if (spec.dimensions) {
            UserInfo u{};
            u.browser = key.second[1];
            u.os_idx = key.second[2];
            u.country = key.second[3];
            u.sdk = key.second[4];
            for (int d = 0; d < spec.extra_dimensions; ++d) u.extra[static_cast<std::size_t>(d)] = key.second[5 + static_cast<std::size_t>(d)];
            for (std::size_t trait = 0; trait < 4 + static_cast<std::size_t>(spec.extra_dimensions); ++trait) w.field(trait_value(u, trait));
        }
        w.field(std::to_string(n));
        w.end_row();
    }
    SimulationTruth truth = sim.truth;
    truth.rows = cells.size();
    return truth;
}

void write_change_log(const SimulationSpec& spec, std::ostream& out)
{
    const std::int64_t span = spec.days * kUsPerDay;
    const std::int64_t change = spec.start_us + static_cast<std::int64_t>(spec.change_fraction * static_cast<double>(span));
    auto iso = [](std::int64_t us) { return format_iso8601(us / 1000000); };
    out << "timestamp,kind,description\n";
    out << iso(spec.start_us - 3600LL * 1000000) << ",config,\"Experiment launched: " << spec.variants.size()
        << " variants, planned split as configured\"\n";
    out << iso(change - 3 * kUsPerDay - 5 * 3600LL * 1000000) << ",remote_config,Raised image cache TTL to 1 h\n";
    switch (spec.scenario) {
    case Scenario::DeploymentDrop:
        out << iso(change) << ",deployment,\"Release 4.2.0: new checkout bundle, lazy-loaded experiment SDK on "
            << spec.affected_browser << "\"\n";
        break;
    case Scenario::AllocationChange:
        out << iso(change) << ",allocation,Traffic split changed\n";
        break;
    case Scenario::AssignmentExposureDrop:
        out << iso(change) << ",deployment,Release 4.2.0: exposure event moved behind the new banner\n";
        break;
    default:
        out << iso(change) << ",deployment,Release 4.2.0: routine dependency updates\n";
        break;
    }
    out << iso(change + 2 * kUsPerDay + 7 * 3600LL * 1000000) << ",deployment,Release 4.2.1: copy fixes\n";
}

void write_allocation_history(const SimulationSpec& spec, std::ostream& out)
{
    const std::int64_t span = spec.days * kUsPerDay;
    const std::int64_t change = spec.start_us + static_cast<std::int64_t>(spec.change_fraction * static_cast<double>(span));
    out << "timestamp";
    for (const auto& v : spec.variants) out << "," << v.first;
    out << "\n" << format_iso8601(spec.start_us / 1000000);
    for (const auto& v : spec.variants) out << "," << v.second;
    out << "\n";
    if (spec.scenario == Scenario::AllocationChange) {
        SimulationSpec copy = spec;
        copy.users = 1;
        const auto truth = run_simulation(copy);
        out << format_iso8601(change / 1000000);
        for (const auto& [name, w] : truth.truth.weights_after) out << "," << w;
        out << "\n";
    }
}

}  // namespace srm
