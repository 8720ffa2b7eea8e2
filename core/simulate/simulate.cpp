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
    }
    return 0;
}

struct Event {
    std::int64_t time;
    std::uint32_t user;
    std::uint8_t variant;
    std::uint8_t kind;  // 0 exposure, 1 assignment
};

struct UserInfo {
    std::uint8_t browser, os_idx, country, sdk;
    bool crashed, included;
};

const std::array<const char*, 5> kOsNames{"Windows", "macOS", "iOS", "Android", "Linux"};

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

void write_dimension_names(Writer& w)
{
    for (const char* name : {"browser", "os", "country", "sdk_version"}) w.field(name);
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
};

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
    for (std::size_t i = 0; i < kBrowsers.size(); ++i)
        if (spec.affected_browser == kBrowsers[i].name) {
            st.affected = i;
            break;
        }
    st.balancing = st.affected == 2 ? 1 : 2;  // Firefox, or Safari when Firefox is affected
    return st;
}

// A user's arrival time and traits.
UserInfo draw_user(const SimulationSpec& spec, std::mt19937_64& rng, std::uniform_real_distribution<double>& uni, std::int64_t& arrival)
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
        } else if (first_variant[e.user] != e.variant && !jumped[e.user]) {
            jumped[e.user] = 1;
            ++sim.truth.jumpers;
        }
    }
    for (const auto& v : spec.variants) sim.truth.units_per_variant.try_emplace(v.first, 0);
    sim.truth.rows = sim.events.size();
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
        UserInfo info = draw_user(spec, rng, uni, arrival);
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
    }
    return "healthy";
}

std::vector<std::string> scenario_names()
{
    std::vector<std::string> out;
    for (int i = 0; i <= static_cast<int>(Scenario::AssignmentExposureDrop); ++i) out.emplace_back(to_string(static_cast<Scenario>(i)));
    return out;
}

Scenario scenario_from_string(const std::string& name)
{
    for (int i = 0; i <= static_cast<int>(Scenario::AssignmentExposureDrop); ++i)
        if (name == to_string(static_cast<Scenario>(i))) return static_cast<Scenario>(i);
    throw std::invalid_argument("unknown scenario '" + name + "'");
}

SimulationTruth simulate(const SimulationSpec& spec, std::ostream& out)
{
    const Simulation sim = run_simulation(spec);
    const bool event_type = spec.event_type || spec.scenario == Scenario::AssignmentExposureDrop;
    Writer w(out, spec);
    w.field("timestamp", true);
    w.field("user_id");
    w.field("variant");
    if (spec.dimensions) write_dimension_names(w);
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
        if (spec.dimensions) {
            w.field(kBrowsers[u.browser].name);
            w.field(kOsNames[u.os_idx]);
            w.field(kCountries[u.country].name);
            w.field(kSdk[u.sdk].name);
        }
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
    std::map<std::tuple<std::string, std::uint8_t, std::uint8_t, std::uint8_t, std::uint8_t, std::uint8_t>, std::uint64_t> cells;
    std::vector<std::uint8_t> seen(spec.users, 0);
    for (const auto& e : sim.events) {
        if (e.kind != 0 || seen[e.user]) continue;
        seen[e.user] = 1;
        const UserInfo& u = sim.users[e.user];
        ++cells[{date_of(e.time), e.variant, u.browser, u.os_idx, u.country, u.sdk}];
    }
    Writer w(out, spec);
    w.field("date", true);
    w.field("variant");
    if (spec.dimensions) write_dimension_names(w);
    w.field("users");
    w.end_row();
    for (const auto& [key, n] : cells) {
        w.field(std::get<0>(key), true);
        w.field(spec.variants[std::get<1>(key)].first);
        if (spec.dimensions) {
            w.field(kBrowsers[std::get<2>(key)].name);
            w.field(kOsNames[std::get<3>(key)]);
            w.field(kCountries[std::get<4>(key)].name);
            w.field(kSdk[std::get<5>(key)].name);
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
