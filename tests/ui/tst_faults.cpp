// Saving never loses what the reviewer made: a session saved onto a full
// disk or into a read-only folder leaves the old session as it was (and no
// scratch file) with a clear message, the window keeps its unsaved notes; a
// save killed at any moment leaves the old session or the new one, whole.
// The full disk and the read-only folder are real: small tmpfs mounts made
// by the test (it needs root, as the README's test command runs; elsewhere
// they are skipped with the reason, and the kill test still runs).
#include "uitestutil.hpp"

#include "session.h"

#include <QDir>
#include <QFile>
#include <QPlainTextEdit>
#include <QProcess>
#include <QRandomGenerator>
#include <QtTest>
#include <csignal>
#include <sys/mount.h>
#include <unistd.h>

using namespace srmui;

namespace {

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

Session sessionWithNotes(const QString& notes)
{
    Session s;
    s.dataFile = QStringLiteral(SRM_SAMPLE_DIR "/exposures.csv");
    s.notes = notes;
    return s;
}

// A tmpfs of `kib` KiB at `dir`; false when mounting is not allowed here.
bool mountTmpfs(const QString& dir, int kib, bool)
{
    const QByteArray opts = "size=" + QByteArray::number(kib) + "k";
    return ::mount("tmpfs", dir.toLocal8Bit().constData(), "tmpfs", 0, opts.constData()) == 0;
}

// A tmpfs mounted for the test's life; `before` runs on it while it is still writable.
struct Mount {
    QString dir;
    bool mounted = false, ok = false;
    Mount(const QString& d, int kib, bool readOnly, const std::function<void()>& before = {}) : dir(d)
    {
        QDir().mkpath(dir);
        mounted = ok = mountTmpfs(dir, kib, false);
        if (ok && before) before();
        if (ok && readOnly)
            ok = ::mount("tmpfs", dir.toLocal8Bit().constData(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr) == 0;
    }
    ~Mount()
    {
        if (mounted) ::umount(dir.toLocal8Bit().constData());
    }
};

// The saver of the kill test: saves two sessions turn about, forever.
int saverMain(const QString& path)
{
    const Session a = sessionWithNotes(QString(300000, QLatin1Char('a')));
    const Session b = sessionWithNotes(QString(300000, QLatin1Char('b')));
    for (int i = 0;; ++i)
        if (!saveSession(i % 2 ? b : a, path).isEmpty()) return 3;
}

}  // namespace

class TestFaults : public QObject {
    Q_OBJECT

private slots:
    void a_full_disk_keeps_the_old_session()
    {
        QTemporaryDir tmp;
        Mount disk(tmp.filePath("small"), 64, false);
        if (!disk.ok) QSKIP("cannot mount a tmpfs here (not root?): the full-disk test needs one");
        const QString path = disk.dir + "/review.srm.json";
        QCOMPARE(saveSession(sessionWithNotes("the first notes"), path), QString());
        const QByteArray before = readAll(path);
        QVERIFY(before.contains("the first notes"));
        const QString error = saveSession(sessionWithNotes(QString(100000, QLatin1Char('x'))), path);  // 100 KB on a 64 KiB disk
        QVERIFY2(error.contains(QStringLiteral("cannot save")) || error.contains(QStringLiteral("cannot write")),
                 qPrintable(error + " / size now " + QString::number(readAll(path).size()) + " / before " + QString::number(before.size())));
        QCOMPARE(readAll(path), before);
        QCOMPARE(QDir(disk.dir).entryList(QDir::Files | QDir::Hidden), QStringList{"review.srm.json"});  // no scratch file left
    }

    void a_read_only_folder_keeps_the_old_session()
    {
        QTemporaryDir tmp;
        const QString dir = tmp.filePath("ro");
        Mount ro(dir, 64, true, [&] { QCOMPARE(saveSession(sessionWithNotes("kept"), dir + "/review.srm.json"), QString()); });
        if (!ro.ok) QSKIP("cannot mount a read-only tmpfs here (not root?)");
        const QByteArray before = readAll(dir + "/review.srm.json");
        const QString error = saveSession(sessionWithNotes("new"), dir + "/review.srm.json");
        QVERIFY2(error.contains(QStringLiteral("Read-only file system")) || error.contains(QStringLiteral("ermission")), qPrintable(error));
        QCOMPARE(readAll(dir + "/review.srm.json"), before);
    }

    // Through the window: Save on a full disk says why, and the notes stay, unsaved.
    void the_window_keeps_unsaved_notes_when_saving_fails()
    {
        QTemporaryDir tmp;
        Mount disk(tmp.filePath("small"), 16, false);
        if (!disk.ok) QSKIP("cannot mount a tmpfs here (not root?)");
        Fixture f;
        QVERIFY(f.open(kSample));
        auto* notes = f.window.findChild<QPlainTextEdit*>(QStringLiteral("reviewerNotes"));
        notes->setPlainText(QString(40000, QLatin1Char('n')));
        QVERIFY(f.window.isModified());
        f.dialogs.files = {disk.dir + "/review.srm.json"};
        auto* saveAs = f.window.findChild<QAction*>(QStringLiteral("actionSaveAs"));
        QVERIFY(saveAs);
        saveAs->trigger();
        QCOMPARE(f.dialogs.errors.size(), 1);
        QVERIFY2(f.dialogs.errors.front().contains(QStringLiteral("review.srm.json")), qPrintable(f.dialogs.errors.front()));
        QVERIFY(f.window.isModified());
        QCOMPARE(notes->toPlainText().size(), 40000);
    }

    // Killed at random moments while saving, 25 times: the file is always one whole session.
    void a_killed_save_never_leaves_half_a_session()
    {
        QTemporaryDir tmp;
        const QString path = tmp.filePath("review.srm.json");
        QCOMPARE(saveSession(sessionWithNotes(QString(300000, QLatin1Char('a'))), path), QString());
        for (int round = 0; round < 25; ++round) {
            QProcess saver;
            saver.start(QCoreApplication::applicationFilePath(), {"--saver", path});
            QVERIFY(saver.waitForStarted());
            QTest::qWait(20 + QRandomGenerator::global()->bounded(120));
            ::kill(static_cast<pid_t>(saver.processId()), SIGKILL);
            QVERIFY(saver.waitForFinished(10000));
            QCOMPARE(saver.exitStatus(), QProcess::CrashExit);
            const Session s = loadSession(path);  // throws on a broken file
            QVERIFY(s.notes == QString(300000, QLatin1Char('a')) || s.notes == QString(300000, QLatin1Char('b')));
        }
    }
};

int main(int argc, char** argv)
{
    if (argc == 3 && QByteArray(argv[1]) == "--saver") {
        QCoreApplication app(argc, argv);
        return saverMain(QString::fromLocal8Bit(argv[2]));
    }
    QApplication app(argc, argv);
    TestFaults t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_faults.moc"
