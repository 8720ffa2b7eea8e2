// Where the loader's bytes come from: gzip (one or several members), zstd,
// a zip holding one CSV, a pipe, and a file that changes while it is read.
// Every form of the same export gives the same dataset as the plain file.
#include "srm/ingest.hpp"
#include "srm/simulate.hpp"
#include "testutil.hpp"

#include <QtTest>
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sstream>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

using namespace srm;
using namespace srm::test;

namespace {

std::string gzip(const std::string& in, int level = 6)
{
    z_stream z{};
    deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, static_cast<uLong>(in.size())) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
}

std::string zstd(const std::string& in)
{
    std::string out(ZSTD_compressBound(in.size()), '\0');
    out.resize(ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3));
    return out;
}

std::string zip(const std::vector<std::pair<std::string, std::string>>& members)
{
    std::string out(1 << 22, '\0');
    std::size_t used = 0;
    archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    archive_write_open_memory(a, out.data(), out.size(), &used);
    for (const auto& [name, bytes] : members) {
        archive_entry* e = archive_entry_new();
        archive_entry_set_pathname(e, name.c_str());
        archive_entry_set_size(e, static_cast<la_int64_t>(bytes.size()));
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_write_header(a, e);
        archive_write_data(a, bytes.data(), bytes.size());
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    out.resize(used);
    return out;
}

std::string simulated(std::uint64_t users)
{
    SimulationSpec s;
    s.scenario = Scenario::DeploymentDrop;
    s.users = users;
    s.seed = 3;
    std::ostringstream csv;
    simulate(s, csv);
    return csv.str();
}

// The counts a dataset gives, to compare forms of one export.
struct Summary {
    std::map<std::string, std::uint64_t> variants;
    std::map<std::string, std::map<std::string, std::uint64_t>> browsers;
    std::uint64_t rows = 0, rejected = 0;
    std::int64_t min_time = 0, max_time = 0;
    bool operator==(const Summary&) const = default;
};
Summary summary(const Dataset& ds)
{
    return {per_variant(ds), per_dim(ds, "browser"), ds.rows_read, ds.rows_rejected, ds.min_time, ds.max_time};
}

}  // namespace

class TestSources : public QObject {
    Q_OBJECT

private slots:
    void compressed_forms_equal_the_plain_file()
    {
        Files f;
        const std::string csv = simulated(20000);
        LoadOptions o;
        o.window_bytes = 1 << 16;  // many windows: records cut at every window's end
        const Summary plain = summary(load_csv(f.write("plain.csv", csv), o));
        QCOMPARE(plain.rows, std::uint64_t(std::count(csv.begin(), csv.end(), '\n') - 1));
        const std::size_t half = csv.find('\n', csv.size() / 2) + 1;
        const std::string members = gzip(csv.substr(0, half)) + gzip(csv.substr(half), 1);
        for (const auto& [name, bytes] : std::vector<std::pair<std::string, std::string>>{
                 {"x.csv.gz", gzip(csv)}, {"multi.csv.gz", members}, {"x.csv.zst", zstd(csv)}, {"x.zip", zip({{"export/x.csv", csv}})}}) {
            const Dataset ds = load_csv(f.write(name, bytes), o);
            QVERIFY2(summary(ds) == plain, name.c_str());
        }
        QCOMPARE(load_csv(f.write("z.gz", gzip(csv))).compression, std::string("gzip"));
        QCOMPARE(load_csv(f.write("z.zip", zip({{"__MACOSX/._x.csv", "junk"}, {"x.csv", csv}}))).compression, std::string("zip (x.csv)"));
        // Preview reads the head of a compressed file too.
        const Preview p = preview_csv(f.write("p.csv.zst", zstd(csv)), {}, 5);
        QCOMPARE(p.rows.size(), std::size_t(5));
        QCOMPARE(p.columns[2].role, Role::Variant);
    }

    void damaged_compressed_input_is_refused()
    {
        Files f;
        const std::string csv = simulated(2000);
        const std::string gz = gzip(csv);
        // Each refusal with its whole message (a damaged deflate stream's ends with zlib's words).
        const auto expect_error = [&](const std::string& name, const std::string& bytes, const std::string& message, bool prefix = false) {
            try {
                load_csv(f.write(name, bytes));
                QFAIL(name.c_str());
            } catch (const InputError& e) {
                const std::string what = e.what();
                QVERIFY2(prefix ? what.rfind(message, 0) == 0 : what == message, (name + ": " + what).c_str());
            }
        };
        expect_error("cut.gz", gz.substr(0, gz.size() / 2), "the gzip data ends early: the file is truncated");
        std::string flipped = gz;
        flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x55);
        expect_error("flip.gz", flipped, "the gzip data is damaged: ", true);
        const std::string z = zstd(csv);
        expect_error("cut.zst", z.substr(0, z.size() / 2), "the zstd data ends early: the file is truncated");
        expect_error("two.zip", zip({{"a.csv", csv}, {"b.csv", csv}}),
                     "the zip file holds more than one file ('a.csv', 'b.csv', ...): extract the export to analyse and open it on its own");
        // A zip of no file starts with the end of its directory, not a member: still a zip.
        expect_error("none.zip", std::string("PK\x05\x06", 4) + std::string(18, '\0'), "the zip file holds no file to read");
        expect_error("x.bz2", "BZh91AY&SY", "the file is bzip2-compressed; decompress it (bunzip2) or recompress it with gzip or zstd");
        expect_error("x.xz", std::string("\xFD" "7zXZ\0\0", 8), "the file is xz-compressed; decompress it (unxz) or recompress it with gzip or zstd");
    }

    void pipes_are_read_as_streams()
    {
        Files f;
        const std::string csv = simulated(5000);
        const Summary plain = summary(load_csv(f.write("plain.csv", csv)));
        const std::string fifo = f.write("ignored", "") + ".fifo";
        QCOMPARE(::mkfifo(fifo.c_str(), 0600), 0);
        std::thread writer([&] {
            const int fd = ::open(fifo.c_str(), O_WRONLY);
            const std::string gz = gzip(csv);
            for (std::size_t at = 0; at < gz.size();) {
                const ssize_t n = ::write(fd, gz.data() + at, std::min<std::size_t>(4096, gz.size() - at));  // a slow, small-block pipe
                if (n <= 0) break;
                at += static_cast<std::size_t>(n);
            }
            ::close(fd);
        });
        const Dataset ds = load_csv(fifo);
        writer.join();
        QVERIFY(summary(ds) == plain);
        QCOMPARE(ds.compression, std::string("gzip"));
    }

    // A file truncated or grown while it is read: a clear message, never a crash.
    void a_file_that_changes_while_read()
    {
        Files f;
        const std::string csv = simulated(20000);
        for (const bool grow : {false, true}) {
            const std::string path = f.write(grow ? "grow.csv" : "shrink.csv", csv);
            LoadOptions o;
            o.window_bytes = 1 << 16;
            bool changed = false;
            o.progress = [&](double) {
                if (changed) return;
                changed = true;
                if (grow) std::ofstream(path, std::ios::app) << "2026-03-20T00:00:00Z,extra,control,Chrome,Windows,US,3.2.0,0\n";
                else QCOMPARE(::truncate(path.c_str(), static_cast<off_t>(csv.size() / 3)), 0);
            };
            try {
                load_csv(path, o);
                QFAIL("no error for a file that changed");
            } catch (const InputError& e) {
                QVERIFY2(QString(e.what()).contains("the file changed while it was read"), e.what());
            }
        }
    }

    // A record longer than a window makes the window grow; one that never
    // ends within 256 MiB is refused (not read into memory without bound).
    void long_records()
    {
        Files f;
        std::string csv = "user_id,variant,note\n";
        for (int i = 0; i < 50; ++i) csv += "u" + std::to_string(i) + "," + (i % 2 ? "a" : "b") + "," + std::string(i == 25 ? 300000 : 5, 'x') + "\n";
        LoadOptions o;
        o.window_bytes = 1 << 12;
        const Dataset ds = load_csv(f.write("long.csv", csv), o);
        QCOMPARE(ds.size(), std::size_t(50));
        QCOMPARE(ds.rows_rejected, std::uint64_t(0));
        // A record that ends neither within the limit (256 MiB by default, 64 KiB
        // here) nor within a window as large is refused at its line (row 25 is
        // on line 27), from a 4 KiB window grown or a 64 KiB one.
        std::string huge = "user_id,variant,note\n";
        for (int i = 0; i < 50; ++i) huge += "u" + std::to_string(i) + "," + (i % 2 ? "a" : "b") + "," + std::string(i == 25 ? 3000000 : 5, 'x') + "\n";
        const std::string path = f.write("huge.csv", huge);
        for (const std::size_t window : {std::size_t(1) << 12, std::size_t(1) << 16}) {
            o.window_bytes = window;
            o.max_record_bytes = 64 << 10;
            try {
                load_csv(path, o);
                QFAIL("a 3 MB record passed a 64 KiB limit");
            } catch (const InputError& e) {
                QCOMPARE(e.line(), std::uint64_t(27));
                QCOMPARE(std::string(e.what()), std::string("a record longer than 64 KiB (no line end where one was expected): "
                                                            "this is not a CSV export, or a quote does not close"));
            }
        }
    }
};

QTEST_APPLESS_MAIN(TestSources)
#include "tst_sources.moc"
