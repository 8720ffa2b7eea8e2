// Step 4's localization: the smallest set of segments whose removal leaves
// the rest of the units consistent with the plan.
//
// Over the cube of (cell of the dimensions' cross product, variant) counts,
// each cell's expected counts come from the plan (each allocation phase's
// units x its shares). Candidates are single values, pairs of values of two
// dimensions (among each dimension's most deviating values) and triples
// under the most deviating pairs (as iDice prunes). Forward selection, one
// segment a round, over the units not yet explained:
//   - a candidate is accepted when its units deviate from the plan AND from
//     the rest's common tilt (a 2 x k likelihood-ratio contrast), both
//     Bonferroni-adjusted over its level's candidates at the severe level: a
//     deviation shared by every segment (an allocation-wide cause) is no
//     one segment's;
//   - the accepted candidate with the largest likelihood gain over the plan,
//     less a BIC-style price ((k-1)/2 ln N + ln of its level's candidates),
//     is chosen; a parent (one condition fewer) with nearly all of a child's
//     gain is preferred to the child (the ripple effect of HotSpot and
//     Squeeze);
//   - until no candidate is accepted.
// The status is then localized (the rest passes the SRM test and the set
// covers at most half the units), global (no candidate, more than half the
// units, or a rest that still fails) or none (no SRM to explain).
#include "steps_internal.hpp"

#include "srm/inference.hpp"
#include "srm/text.hpp"
#include "srm/timeutil.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <cmath>
#include <numeric>

namespace srm::detail {

namespace {

constexpr std::size_t kTopValues = 24;   // values per dimension that pairs are formed from
constexpr std::size_t kMaxSegments = 8;  // rounds of the selection
constexpr std::size_t kTripleParents = 3;
constexpr double kParentShare = 0.9;     // a parent with this share of a child's gain is preferred
constexpr std::size_t kMaxAlternatives = 3;
constexpr double kMinLift = 1.5;  // an alternative shares this many times the units independence would give
constexpr std::size_t kMaxMarginal = 2;  // segments that only restore a rest left off by chance

// A candidate in cube-dimension terms: (cube dimension, value code), by dimension.
using CubePattern = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

// Observed and expected counts of a set of units, per report variant.
struct Tallies {
    std::vector<double> o, e;
    explicit Tallies(std::size_t k = 0) : o(k, 0.0), e(k, 0.0) {}
    double n() const { return std::accumulate(o.begin(), o.end(), 0.0); }
    void add(const double* oo, const double* ee, std::size_t k, double sign)
    {
        for (std::size_t j = 0; j < k; ++j) {
            o[j] += sign * oo[j];
            e[j] += sign * ee[j];
        }
    }
};

// The likelihood gain of free shares over the expectation: sum o ln(o / e).
double gain(const std::vector<double>& o, const std::vector<double>& e)
{
    const double n = std::accumulate(o.begin(), o.end(), 0.0), ne = std::accumulate(e.begin(), e.end(), 0.0);
    if (n <= 0 || ne <= 0) return 0.0;
    double g = 0;
    for (std::size_t j = 0; j < o.size(); ++j)
        if (o[j] > 0) g += o[j] * std::log(o[j] / std::max(e[j] * n / ne, 1e-12));
    return std::max(0.0, g);
}

double gain_log10_p(double g, std::size_t k) { return chi_square_log10_sf(2.0 * g, static_cast<double>(k - 1)); }

// The gain of a region's own shares over the common tilt of the units it is
// compared with (the region and the rest each against the pooled tilt).
double contrast_gain(const Tallies& region, const Tallies& pool)
{
    const std::size_t k = region.o.size();
    Tallies rest(k);
    std::vector<double> tilt(k), er(k), eo(k);
    for (std::size_t j = 0; j < k; ++j) {
        rest.o[j] = pool.o[j] - region.o[j];
        rest.e[j] = pool.e[j] - region.e[j];
        tilt[j] = pool.e[j] > 0 ? pool.o[j] / pool.e[j] : 0.0;
        er[j] = region.e[j] * tilt[j];
        eo[j] = rest.e[j] * tilt[j];
    }
    return gain(region.o, er) + gain(rest.o, eo);
}

double excess_units(const Tallies& t)
{
    const double n = t.n(), ne = std::accumulate(t.e.begin(), t.e.end(), 0.0);
    double x = 0;
    for (std::size_t j = 0; j < t.o.size(); ++j) x += std::fabs(t.o[j] - (ne > 0 ? t.e[j] * n / ne : 0.0));
    return x / 2.0;
}

// The cube in report variants: per cell its observed and expected counts and
// its value code in each cube dimension.
struct Cells {
    std::size_t k = 0, nd = 0, count = 0;
    std::vector<double> o, e;             // [cell * k + j]
    std::vector<std::uint32_t> code;      // [cell * nd + cd]
    std::vector<std::uint32_t> values;    // per cube dimension: its values (without the missing code)
    double units = 0;
    const double* oc(std::size_t c) const { return o.data() + c * k; }
    const double* ec(std::size_t c) const { return e.data() + c * k; }
    bool matches(std::size_t c, const CubePattern& p) const
    {
        for (const auto& [cd, v] : p)
            if (code[c * nd + cd] != v) return false;
        return true;
    }
};

Cells make_cells(const Cube& cube, const Plan& plan, const TimeGrid& grid)
{
    Cells cells;
    cells.k = plan.k();
    cells.nd = cube.dims.size();
    cells.count = cube.cells();
    cells.o.assign(cells.count * cells.k, 0.0);
    cells.e.assign(cells.count * cells.k, 0.0);
    cells.code.resize(cells.count * cells.nd);
    for (std::size_t cd = 0; cd < cells.nd; ++cd) cells.values.push_back(cube.radix[cd] - 1);
    for (std::size_t c = 0; c < cells.count; ++c) {
        double n = 0;
        for (std::size_t code = 0; code < cube.codes; ++code) {
            const int j = plan.j_of_code[code];
            if (j < 0) continue;
            const auto x = static_cast<double>(cube.counts[c * cube.codes + code]);
            cells.o[c * cells.k + static_cast<std::size_t>(j)] += x;
            n += x;
        }
        for (std::size_t p = 0; p < grid.n_phases; ++p) {
            const double np = grid.n_phases > 1 ? static_cast<double>(cube.phase[c * cube.phases + p]) : n;
            for (std::size_t j = 0; j < cells.k; ++j) cells.e[c * cells.k + j] += np * plan.phase_share[p][j];
        }
        cells.units += n;
        for (std::size_t cd = 0; cd < cells.nd; ++cd) cells.code[c * cells.nd + cd] = cube.code(c, cd);
    }
    return cells;
}

Tallies tally_where(const Cells& cells, const std::vector<char>& covered, const CubePattern* inside, const CubePattern* outside)
{
    Tallies t(cells.k);
    for (std::size_t c = 0; c < cells.count; ++c) {
        if (!covered.empty() && covered[c]) continue;
        if (inside && !cells.matches(c, *inside)) continue;
        if (outside && cells.matches(c, *outside)) continue;
        t.add(cells.oc(c), cells.ec(c), cells.k, 1.0);
    }
    return t;
}

struct Candidate {
    CubePattern pattern;
    Tallies t;
    double g = 0, score = 0;
    bool accepted = false;
};

// The candidates' tallies over the units not yet explained, kept up to date
// as cells are covered: singles for every value, pairs of each dimension's
// top values.
class Search {
public:
    Search(const Cells& cells, std::uint64_t min_units) : cells_(cells), min_units_(static_cast<double>(min_units))
    {
        covered_.assign(cells.count, 0);
        pool_ = Tallies(cells.k);
        for (std::size_t cd = 0; cd < cells.nd; ++cd) {
            single_offset_.push_back(singles_.size());
            for (std::uint32_t v = 0; v < cells.values[cd]; ++v) singles_.push_back({{{static_cast<std::uint32_t>(cd), v}}, Tallies(cells.k)});
        }
        for (std::size_t c = 0; c < cells.count; ++c) {
            pool_.add(cells.oc(c), cells.ec(c), cells.k, 1.0);
            for (std::size_t cd = 0; cd < cells.nd; ++cd)
                if (const auto s = single(c, cd); s >= 0) singles_[static_cast<std::size_t>(s)].t.add(cells.oc(c), cells.ec(c), cells.k, 1.0);
        }
        for (auto& s : singles_) s.g = gain(s.t.o, s.t.e);
        make_pairs();
    }

    const Tallies& pool() const { return pool_; }
    const std::vector<char>& covered() const { return covered_; }
    std::vector<Candidate>& singles() { return singles_; }
    std::vector<Candidate>& pairs() { return pairs_; }
    std::size_t n_singles() const { return count_sized(singles_); }
    std::size_t n_pairs() const { return count_sized(pairs_); }
    std::size_t n_triples() const
    {
        std::size_t values = 0;
        for (auto v : cells_.values) values += v;
        return std::max<std::size_t>(1, n_pairs()) * std::max<std::size_t>(1, values);
    }
    bool big_enough(const Tallies& t) const { return t.n() >= min_units_; }

    // Covers the cells of a pattern not covered yet; returns their tallies.
    Tallies cover(const CubePattern& p)
    {
        Tallies region(cells_.k);
        for (std::size_t c = 0; c < cells_.count; ++c) {
            if (covered_[c] || !cells_.matches(c, p)) continue;
            covered_[c] = 1;
            region.add(cells_.oc(c), cells_.ec(c), cells_.k, 1.0);
            pool_.add(cells_.oc(c), cells_.ec(c), cells_.k, -1.0);
            for (std::size_t cd = 0; cd < cells_.nd; ++cd)
                if (const auto s = single(c, cd); s >= 0) singles_[static_cast<std::size_t>(s)].t.add(cells_.oc(c), cells_.ec(c), cells_.k, -1.0);
            for_pairs(c, [&](std::size_t idx) { pairs_[idx].t.add(cells_.oc(c), cells_.ec(c), cells_.k, -1.0); });
        }
        return region;
    }

    // Triples under a pair: the pair's uncovered units by a third dimension's values.
    std::vector<Candidate> triples_under(const CubePattern& pair) const
    {
        std::vector<Candidate> out;
        std::vector<std::size_t> offset;
        for (std::size_t cd = 0; cd < cells_.nd; ++cd) {
            offset.push_back(out.size());
            if (cd == pair[0].first || cd == pair[1].first) continue;
            for (std::uint32_t v = 0; v < cells_.values[cd]; ++v) {
                CubePattern p = pair;
                p.emplace_back(static_cast<std::uint32_t>(cd), v);
                std::sort(p.begin(), p.end());
                out.push_back({std::move(p), Tallies(cells_.k)});
            }
        }
        for (std::size_t c = 0; c < cells_.count; ++c) {
            if (covered_[c] || !cells_.matches(c, pair)) continue;
            for (std::size_t cd = 0; cd < cells_.nd; ++cd) {
                if (cd == pair[0].first || cd == pair[1].first) continue;
                const std::uint32_t v = cells_.code[c * cells_.nd + cd];
                if (v < cells_.values[cd]) out[offset[cd] + v].t.add(cells_.oc(c), cells_.ec(c), cells_.k, 1.0);
            }
        }
        return out;
    }

private:
    std::ptrdiff_t single(std::size_t c, std::size_t cd) const
    {
        const std::uint32_t v = cells_.code[c * cells_.nd + cd];
        return v < cells_.values[cd] ? static_cast<std::ptrdiff_t>(single_offset_[cd] + v) : -1;
    }
    std::size_t count_sized(const std::vector<Candidate>& list) const
    {
        return static_cast<std::size_t>(std::count_if(list.begin(), list.end(), [&](const Candidate& c) { return big_enough(c.t); }));
    }
    // Each dimension's top values by gain (at least min_units units), then the pair tables.
    void make_pairs()
    {
        const std::size_t nd = cells_.nd;
        rank_.assign(nd, {});
        top_.assign(nd, {});
        for (std::size_t cd = 0; cd < nd; ++cd) {
            std::vector<std::uint32_t> order;
            for (std::uint32_t v = 0; v < cells_.values[cd]; ++v)
                if (big_enough(singles_[single_offset_[cd] + v].t)) order.push_back(v);
            std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
                return singles_[single_offset_[cd] + a].g > singles_[single_offset_[cd] + b].g;
            });
            if (order.size() > kTopValues) order.resize(kTopValues);
            rank_[cd].assign(cells_.values[cd] + 1, -1);
            for (std::size_t r = 0; r < order.size(); ++r) rank_[cd][order[r]] = static_cast<int>(r);
            top_[cd] = order;
        }
        for (std::size_t a = 0; a < nd; ++a)
            for (std::size_t b = a + 1; b < nd; ++b) {
                pair_offset_.push_back(pairs_.size());
                for (const auto va : top_[a])
                    for (const auto vb : top_[b])
                        pairs_.push_back({{{static_cast<std::uint32_t>(a), va}, {static_cast<std::uint32_t>(b), vb}}, Tallies(cells_.k)});
            }
        for (std::size_t c = 0; c < cells_.count; ++c)
            for_pairs(c, [&](std::size_t idx) { pairs_[idx].t.add(cells_.oc(c), cells_.ec(c), cells_.k, 1.0); });
    }
    template <class F>
    void for_pairs(std::size_t c, F&& f) const
    {
        const std::size_t nd = cells_.nd;
        std::size_t ab = 0;
        for (std::size_t a = 0; a < nd; ++a) {
            const int ra = rank_[a][cells_.code[c * nd + a]];
            for (std::size_t b = a + 1; b < nd; ++b, ++ab) {
                if (ra < 0) continue;
                const int rb = rank_[b][cells_.code[c * nd + b]];
                if (rb >= 0) f(pair_offset_[ab] + static_cast<std::size_t>(ra) * top_[b].size() + static_cast<std::size_t>(rb));
            }
        }
    }

    const Cells& cells_;
    double min_units_;
    std::vector<char> covered_;
    Tallies pool_;
    std::vector<Candidate> singles_, pairs_;
    std::vector<std::size_t> single_offset_, pair_offset_;
    std::vector<std::vector<int>> rank_;
    std::vector<std::vector<std::uint32_t>> top_;
};

// Scores a level's candidates in the current round: gain over the plan,
// the price of choosing it, and whether it is accepted.
void score(std::vector<Candidate>& list, const Search& search, std::size_t m_level, std::size_t k, double log_n, double log10_alpha)
{
    const double log10_m = std::log10(static_cast<double>(std::max<std::size_t>(1, m_level)));
    const double price = 0.5 * static_cast<double>(k - 1) * log_n + std::log(static_cast<double>(std::max<std::size_t>(1, m_level)));
    for (auto& c : list) {
        c.accepted = false;
        if (!search.big_enough(c.t) || c.t.n() >= search.pool().n()) continue;
        c.g = gain(c.t.o, c.t.e);
        c.score = c.g - price;
        if (gain_log10_p(c.g, k) + log10_m >= log10_alpha) continue;
        c.accepted = gain_log10_p(contrast_gain(c.t, search.pool()), k) + log10_m < log10_alpha;
    }
}

const Candidate* best_of(const std::vector<Candidate>& list, const Candidate* best)
{
    for (const auto& c : list)
        if (c.accepted && c.score > 0 && (!best || c.score > best->score)) best = &c;
    return best;
}

bool is_parent(const CubePattern& parent, const CubePattern& child)
{
    return parent.size() + 1 == child.size() && std::includes(child.begin(), child.end(), parent.begin(), parent.end());
}

// A parent with nearly all of the child's gain, or the same units, explains it more simply.
const Candidate* prefer_parent(const Candidate* best, const std::vector<Candidate>& parents)
{
    if (!best || best->pattern.size() < 2) return best;
    const Candidate* chosen = best;
    for (const auto& p : parents)
        if (p.accepted && is_parent(p.pattern, best->pattern) && (p.g >= kParentShare * best->g || p.t.n() == best->t.n()) &&
            (chosen == best || p.g > chosen->g))
            chosen = &p;
    return chosen;
}

// One round: the candidate to explain next, or none.
using TraceFn = std::function<std::string(const CubePattern&)>;
std::optional<CubePattern> next_segment(Search& search, std::size_t k, double log_n, double log10_alpha, const TraceFn& trace)
{
    score(search.singles(), search, search.n_singles(), k, log_n, log10_alpha);
    score(search.pairs(), search, search.n_pairs(), k, log_n, log10_alpha);
    // Triples under the pairs that gain most.
    std::vector<const Candidate*> top_pairs;
    for (const auto& c : search.pairs())
        if (c.accepted) top_pairs.push_back(&c);
    std::sort(top_pairs.begin(), top_pairs.end(), [](const Candidate* a, const Candidate* b) { return a->g > b->g; });
    if (top_pairs.size() > kTripleParents) top_pairs.resize(kTripleParents);
    std::vector<Candidate> triples;
    for (const Candidate* p : top_pairs) {
        auto under = search.triples_under(p->pattern);
        triples.insert(triples.end(), std::make_move_iterator(under.begin()), std::make_move_iterator(under.end()));
    }
    score(triples, search, search.n_triples(), k, log_n, log10_alpha);
    const Candidate* best = best_of(triples, best_of(search.pairs(), best_of(search.singles(), nullptr)));
    best = prefer_parent(best, search.pairs());
    best = prefer_parent(best, search.singles());
    if (trace) {
        auto top = [&](const std::vector<Candidate>& list, const char* level) {
            std::vector<const Candidate*> order;
            for (const auto& c : list) order.push_back(&c);
            std::sort(order.begin(), order.end(), [](auto* a, auto* b) { return a->score > b->score; });
            for (std::size_t i = 0; i < order.size() && i < 4; ++i)
                std::fprintf(stderr, "  %s %s n=%.0f g=%.1f score=%.1f accepted=%d contrast log10p=%.1f\n", level, trace(order[i]->pattern).c_str(),
                             order[i]->t.n(), order[i]->g, order[i]->score, order[i]->accepted,
                             gain_log10_p(contrast_gain(order[i]->t, search.pool()), k));
        };
        top(search.singles(), "single");
        top(search.pairs(), "pair");
        top(triples, "triple");
    }
    if (!best) return std::nullopt;
    return best->pattern;
}

// The SRM test of a set of units against its expected counts.
SrmResult test_tallies(const Tallies& t, const Plan& plan, const SrmOptions& options)
{
    std::vector<VariantInput> in;
    for (std::size_t j = 0; j < plan.k(); ++j) in.push_back({plan.names[j], static_cast<std::uint64_t>(std::llround(t.o[j])), t.e[j]});
    try {
        return test_srm(in, options);
    } catch (const InputError&) {
        SrmResult none;  // no units: nothing is out of balance
        return none;
    }
}

std::string p_text(double log10_p) { return format_p(std::pow(10.0, log10_p), log10_p); }

// What the localization works on: the cube's patterns named and back.
struct Naming {
    const Dataset& ds;
    const Cube& cube;
    std::uint16_t dataset_code(std::uint32_t cd, std::uint32_t v) const
    {
        return cube.value_of.empty() || cube.value_of[cd].empty() ? static_cast<std::uint16_t>(v) : cube.value_of[cd][v];
    }
    Conditions conditions(const CubePattern& p) const
    {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> by_dim;
        for (const auto& [cd, v] : p) by_dim.emplace_back(cube.dims[cd], dataset_code(cd, v));
        std::sort(by_dim.begin(), by_dim.end());
        Conditions out;
        for (const auto& [d, v] : by_dim) out.emplace_back(ds.dimensions[d].name, ds.dimensions[d].values[v]);
        return out;
    }
    std::string text(const CubePattern& p) const { return describe_conditions(conditions(p)); }
    Pattern dataset_pattern(const CubePattern& p) const
    {
        Pattern out;
        for (const auto& [cd, v] : p) out.emplace_back(cube.dims[cd], dataset_code(cd, v));
        return out;
    }
    std::optional<CubePattern> find(const std::string& dimension, const std::string& value) const
    {
        for (std::size_t cd = 0; cd < cube.dims.size(); ++cd) {
            const auto& dim = ds.dimensions[cube.dims[cd]];
            if (dim.name != dimension) continue;
            const auto it = std::find(dim.values.begin(), dim.values.end(), value);
            if (it == dim.values.end()) return std::nullopt;
            const auto code = static_cast<std::uint16_t>(it - dim.values.begin());
            if (cube.value_of.empty() || cube.value_of[cd].empty()) return CubePattern{{static_cast<std::uint32_t>(cd), code}};
            const auto& kept = cube.value_of[cd];
            const auto at = std::find(kept.begin(), kept.end(), code);
            if (at == kept.end()) return std::nullopt;  // pooled: not searched
            return CubePattern{{static_cast<std::uint32_t>(cd), static_cast<std::uint32_t>(at - kept.begin())}};
        }
        return std::nullopt;
    }
};

struct Chosen {
    CubePattern pattern;
    Tallies region;
    bool marginal = false;
};

// Why a correlated value was not chosen instead of the segment: each tested
// outside the other.
std::string alternative_reason(const Cells& cells, const Naming& names, const CubePattern& chosen, const CubePattern& alt, double log10_alpha)
{
    const Tallies alt_outside = tally_where(cells, {}, &alt, &chosen), chosen_outside = tally_where(cells, {}, &chosen, &alt);
    const std::string a = names.text(alt), c = names.text(chosen);
    auto state = [&](const Tallies& t) {
        const double l = gain_log10_p(gain(t.o, t.e), cells.k);
        return (l < log10_alpha ? "is still off, p = " : "is balanced, p = ") + p_text(l);
    };
    std::string out = alt_outside.n() == 0 ? a + " lies wholly inside " + c : "outside " + c + ", " + a + " " + state(alt_outside);
    out += chosen_outside.n() == 0 ? "; " + c + " lies wholly inside " + a : "; outside " + a + ", " + c + " " + state(chosen_outside);
    return out;
}

// Correlated single values that explain much of what the segment does.
std::vector<SegmentAlternative> alternatives_of(const Cells& cells, const Naming& names, const std::vector<Candidate>& initial_singles,
                                                const std::vector<Chosen>& chosen, std::size_t i, double log10_alpha)
{
    const CubePattern& p = chosen[i].pattern;
    const Tallies whole = tally_where(cells, {}, &p, nullptr);
    const double g = gain(whole.o, whole.e);
    std::vector<const Candidate*> list;
    for (const auto& q : initial_singles) {
        if (q.g < 0.2 * g || q.pattern == p) continue;
        if (std::any_of(chosen.begin(), chosen.end(), [&](const Chosen& c) { return c.pattern == q.pattern; })) continue;
        // Correlated: the two share clearly more units than independent values would.
        const Tallies both = tally_where(cells, {}, &p, nullptr), q_all = tally_where(cells, {}, &q.pattern, nullptr);
        double shared = 0;
        for (std::size_t c = 0; c < cells.count; ++c)
            if (cells.matches(c, p) && cells.matches(c, q.pattern)) shared += std::accumulate(cells.oc(c), cells.oc(c) + cells.k, 0.0);
        const double lift = both.n() > 0 && q_all.n() > 0 ? shared * cells.units / (both.n() * q_all.n()) : 0.0;
        if (lift >= kMinLift) list.push_back(&q);
    }
    std::sort(list.begin(), list.end(), [](const Candidate* a, const Candidate* b) { return a->g > b->g; });
    if (list.size() > kMaxAlternatives) list.resize(kMaxAlternatives);
    std::vector<SegmentAlternative> out;
    for (const Candidate* q : list) out.push_back({names.conditions(q->pattern), alternative_reason(cells, names, p, q->pattern, log10_alpha)});
    return out;
}

// Where the split broke inside each segment, when it broke at a point.
void add_change_points(const Dataset& ds, const Plan& plan, const TimeGrid& grid, const DiagnosisOptions& opt, const Naming& names,
                       const std::vector<Chosen>& chosen, std::vector<ExplainingSegment>& out)
{
    if (!grid.have_span || grid.n_bins == 0) return;
    std::vector<Pattern> patterns;
    for (const auto& c : chosen) patterns.push_back(names.dataset_pattern(c.pattern));
    const auto bins = pattern_bins(ds, grid, plan, opt, patterns);
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        Counts counts;
        counts.bins = bins[i];
        counts.units.assign(plan.k(), 0);
        for (std::size_t b = 0; b < grid.n_bins; ++b)
            for (std::size_t j = 0; j < plan.k(); ++j) counts.units[j] += bins[i][b * plan.k() + j];
        const TimePattern tp = step1_time_pattern(counts, plan, grid);
        if (tp.kind == PatternKind::AtPoint) out[i].change_point = tp.change_point;
    }
}

std::vector<double> observed_shares(const Tallies& t)
{
    const double n = t.n();
    std::vector<double> out;
    for (double o : t.o) out.push_back(n > 0 ? o / n : 0.0);
    return out;
}

std::vector<double> expected_shares(const Tallies& t)
{
    const double ne = std::accumulate(t.e.begin(), t.e.end(), 0.0);
    std::vector<double> out;
    for (double e : t.e) out.push_back(ne > 0 ? e / ne : 0.0);
    return out;
}

ExplainingSegment describe_segment(const Chosen& c, const Naming& names, const Plan& plan, double total_excess)
{
    ExplainingSegment seg;
    seg.conditions = names.conditions(c.pattern);
    const double n = c.region.n();
    seg.units = static_cast<std::uint64_t>(std::llround(n));
    seg.observed_shares = observed_shares(c.region);
    seg.expected_shares = expected_shares(c.region);
    for (std::size_t j = 0; j < plan.k(); ++j) seg.counts.push_back(static_cast<std::uint64_t>(std::llround(c.region.o[j])));
    seg.log10_p_value = gain_log10_p(gain(c.region.o, c.region.e), plan.k());
    seg.p_value = std::pow(10.0, seg.log10_p_value);
    seg.share_of_imbalance = total_excess > 0 ? excess_units(c.region) / total_excess : 0.0;
    seg.marginal = c.marginal;
    return seg;
}

// Step 4's flagged single segments that are balanced outside the set.
std::vector<Conditions> explained_by_set(const Cells& cells, const Naming& names, const std::vector<char>& covered, const Step4& step4,
                                         const std::vector<Chosen>& chosen, double log10_alpha)
{
    std::vector<Conditions> out;
    for (const auto& r : step4.ranked) {
        const auto q = names.find(r.dimension, r.value);
        if (!q || std::any_of(chosen.begin(), chosen.end(), [&](const Chosen& c) { return c.pattern == *q; })) continue;
        const Tallies outside = tally_where(cells, covered, &*q, nullptr);
        if (outside.n() == 0 || gain_log10_p(gain(outside.o, outside.e), cells.k) >= log10_alpha) out.push_back(names.conditions(*q));
    }
    return out;
}

std::string join_conditions(const std::vector<Conditions>& list)
{
    std::string out;
    for (std::size_t i = 0; i < list.size(); ++i)
        out += (i == 0 ? "" : i + 1 == list.size() ? " and " : ", ") + describe_conditions(list[i]);
    return out;
}

std::string summary_of(const Explanation& ex)
{
    switch (ex.status) {
    case ExplanationStatus::NotApplicable:
        return ex.dimensions_left_out.empty() ? "No dimensions to localize the imbalance in." : "Too many combinations of dimension values to search.";
    case ExplanationStatus::None: return "Nothing to localize: the split matches the plan overall and inside the segments.";
    case ExplanationStatus::Global:
        return "The imbalance is spread over the segments: no small set of them explains it, which points to an allocation-wide cause "
               "(assignment, bucketing, a change that reached every segment).";
    case ExplanationStatus::Localized: break;
    }
    std::string s = "Removing ";
    for (std::size_t i = 0; i < ex.segments.size(); ++i)
        s += (i == 0 ? "" : i + 1 == ex.segments.size() ? " and " : ", ") + describe_conditions(ex.segments[i].conditions) + " (" +
             group_thousands(ex.segments[i].units) + " units" + (ex.segments[i].marginal ? ", marginal" : "") + ")";
    s += " leaves " + group_thousands(ex.remaining_units) + " units consistent with the plan, p = " +
         format_p(ex.remaining.p_value, ex.remaining.log10_p_value) + ".";
    for (const auto& seg : ex.segments)
        if (seg.change_point) s += " " + describe_conditions(seg.conditions) + " broke at " + format_iso8601(*seg.change_point) + ".";
    if (!ex.explained_segments.empty()) {
        constexpr std::size_t kNamed = 4;
        std::vector<Conditions> named(ex.explained_segments.begin(),
                                      ex.explained_segments.begin() + static_cast<std::ptrdiff_t>(std::min(kNamed, ex.explained_segments.size())));
        std::string list = join_conditions(named);
        if (ex.explained_segments.size() > kNamed) {
            const auto pos = list.rfind(" and ");
            if (pos != std::string::npos) list.replace(pos, 5, ", ");
            list += " and " + std::to_string(ex.explained_segments.size() - kNamed) + " more flagged segments";
        }
        s += " " + list + (ex.explained_segments.size() == 1 ? " is" : " are") + " explained by " + (ex.segments.size() == 1 ? "it." : "them.");
    }
    return s;
}

ExplanationStatus decide_status(const std::vector<Chosen>& chosen, const SrmResult& remaining, double units, Severity overall)
{
    double covered = 0;
    for (const auto& c : chosen) covered += c.region.n();
    if (chosen.empty()) return overall == Severity::Ok ? ExplanationStatus::None : ExplanationStatus::Global;
    if (covered > 0.5 * units || remaining.severity != Severity::Ok) return ExplanationStatus::Global;
    return ExplanationStatus::Localized;
}

// Pearson's statistic of a set of units against its expectation.
double pearson(const Tallies& t)
{
    const double n = t.n(), ne = std::accumulate(t.e.begin(), t.e.end(), 0.0);
    double x = 0;
    for (std::size_t j = 0; j < t.o.size(); ++j) {
        const double e = ne > 0 ? t.e[j] * n / ne : 0.0;
        if (e > 0) x += (t.o[j] - e) * (t.o[j] - e) / e;
    }
    return x;
}

// When the rest still fails after the segments: the segment, off the plan on
// its own (unadjusted), whose removal best restores the rest. It only takes
// up what the rest's chance deviation needs, and is marked as marginal.
std::optional<CubePattern> marginal_segment(Search& search, std::size_t k, double log10_alpha)
{
    const Candidate* best = nullptr;
    double best_rest = pearson(search.pool());
    for (auto* list : {&search.singles(), &search.pairs()})
        for (const auto& c : *list) {
            if (!search.big_enough(c.t) || c.t.n() * 2 >= search.pool().n()) continue;
            if (gain_log10_p(gain(c.t.o, c.t.e), k) >= log10_alpha) continue;
            Tallies rest = search.pool();
            rest.add(c.t.o.data(), c.t.e.data(), k, -1.0);
            const double x = pearson(rest);
            if (x < best_rest) {
                best_rest = x;
                best = &c;
            }
        }
    if (!best) return std::nullopt;
    return best->pattern;
}

}  // namespace

// Per dataset dimension and value, its gain over the plan alone (from the
// tally's per-value counts): which values a coarse cube keeps.
std::vector<std::vector<double>> value_gains(const Dataset& ds, const Tally& tally, const Plan& plan, const TimeGrid& grid)
{
    const std::size_t k = plan.k(), codes = ds.variants.size();
    std::vector<std::vector<double>> out(ds.dimensions.size());
    for (std::size_t d = 0; d < ds.dimensions.size(); ++d) {
        if (tally.seg_counts[d].empty()) continue;
        for (std::size_t v = 0; v < ds.dimensions[d].values.size(); ++v) {
            Tallies t(k);
            for (std::size_t c = 0; c < codes; ++c)
                if (plan.j_of_code[c] >= 0) t.o[static_cast<std::size_t>(plan.j_of_code[c])] += static_cast<double>(tally.seg_counts[d][v * codes + c]);
            for (std::size_t p = 0; p < grid.n_phases; ++p) {
                const double np = grid.n_phases > 1 ? static_cast<double>(tally.seg_phase[d][v * grid.n_phases + p]) : t.n();
                for (std::size_t j = 0; j < k; ++j) t.e[j] += np * plan.phase_share[p][j];
            }
            out[d].push_back(gain(t.o, t.e));
        }
    }
    return out;
}

Explanation step4_explain(const Dataset& ds, const Tally& tally, const Plan& plan, const TimeGrid& grid, const DiagnosisOptions& opt,
                          const Step4& step4, Severity overall)
{
    Explanation ex;
    Cube coarse;
    if (tally.cube.coarse && opt.localize && plan.k() >= 2) coarse = build_coarse_cube(ds, grid, opt, value_gains(ds, tally, plan, grid));
    const Cube& cube = tally.cube.coarse ? coarse : tally.cube;
    for (const auto d : cube.left_out) ex.dimensions_left_out.push_back(ds.dimensions[d].name);
    if (!opt.localize || cube.dims.empty() || cube.cells() == 0 || plan.k() < 2) {
        ex.summary = opt.localize ? summary_of(ex) : "The search for the segments that explain the SRM was switched off.";
        return ex;
    }
    const Cells cells = make_cells(cube, plan, grid);
    const Naming names{ds, cube};
    Search search(cells, opt.min_segment_units);
    const std::vector<Candidate> initial_singles = search.singles();
    const double log_n = std::log(std::max(2.0, cells.units)), log10_alpha = std::log10(opt.srm.thresholds.warn);
    // A segment is accepted at the severe level after its level's
    // multiplicity: a chance contrast among many candidates must not turn an
    // allocation-wide SRM into a localized one.
    const double log10_accept = std::log10(opt.srm.thresholds.severe);
    const Tallies whole = search.pool();
    std::vector<Chosen> chosen;
    TraceFn trace;  // SRM_EXPLAIN_TRACE=1: each round's best candidates on stderr
    if (std::getenv("SRM_EXPLAIN_TRACE")) trace = [&](const CubePattern& p) { return names.text(p); };
    while (chosen.size() < kMaxSegments) {
        const auto next = next_segment(search, plan.k(), log_n, log10_accept, trace);
        if (trace) std::fprintf(stderr, "round %zu: %s\n", chosen.size() + 1, next ? trace(*next).c_str() : "none");
        if (!next) break;
        Tallies region = search.cover(*next);
        chosen.push_back({*next, std::move(region)});
    }
    for (std::size_t marginal = 0; !chosen.empty() && chosen.size() < kMaxSegments && marginal < kMaxMarginal; ++marginal) {
        if (test_tallies(search.pool(), plan, opt.srm).severity == Severity::Ok) break;
        const auto next = marginal_segment(search, plan.k(), log10_alpha);
        if (trace) std::fprintf(stderr, "marginal: %s\n", next ? trace(*next).c_str() : "none");
        if (!next) break;
        Tallies region = search.cover(*next);
        chosen.push_back({*next, std::move(region), true});
    }
    ex.remaining = test_tallies(search.pool(), plan, opt.srm);
    ex.remaining_units = static_cast<std::uint64_t>(std::llround(search.pool().n()));
    ex.remaining_observed_shares = observed_shares(search.pool());
    ex.remaining_expected_shares = expected_shares(search.pool());
    ex.status = decide_status(chosen, ex.remaining, cells.units, overall);
    if (ex.status != ExplanationStatus::Localized && !chosen.empty()) {
        // No explaining segments are reported: the rest is every unit, not
        // the pool left by the segments the search tried and gave up.
        ex.remaining = test_tallies(whole, plan, opt.srm);
        ex.remaining_units = static_cast<std::uint64_t>(std::llround(whole.n()));
        ex.remaining_observed_shares = observed_shares(whole);
        ex.remaining_expected_shares = expected_shares(whole);
    }
    if (ex.status == ExplanationStatus::Localized) {
        double total_excess = excess_units(search.pool());
        for (const auto& c : chosen) total_excess += excess_units(c.region);
        double explained = 0;
        for (std::size_t i = 0; i < chosen.size(); ++i) {
            ex.segments.push_back(describe_segment(chosen[i], names, plan, total_excess));
            ex.segments.back().alternatives = alternatives_of(cells, names, initial_singles, chosen, i, log10_alpha);
            explained += ex.segments.back().share_of_imbalance;
        }
        ex.explained_share = explained;
        add_change_points(ds, plan, grid, opt, names, chosen, ex.segments);
        ex.explained_segments = explained_by_set(cells, names, search.covered(), step4, chosen, log10_alpha);
        // Most explanatory first; marginal ones last.
        std::stable_sort(ex.segments.begin(), ex.segments.end(), [](const ExplainingSegment& a, const ExplainingSegment& b) {
            if (a.marginal != b.marginal) return !a.marginal;
            return a.share_of_imbalance > b.share_of_imbalance;
        });
    }
    ex.summary = summary_of(ex);
    return ex;
}

}  // namespace srm::detail
