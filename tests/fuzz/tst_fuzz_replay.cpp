// The fuzz corpus replayed under CTest in every build (no libFuzzer needed):
// each input, the seeds and the crashes found once, goes through the fuzz
// target's checks again (the target aborts on a broken oracle), so that what
// was fixed stays fixed.
#include <QDir>
#include <QFile>
#include <QtTest>
#include <cstdint>

#ifndef SRM_FUZZ_CORPUS
#define SRM_FUZZ_CORPUS SRM_SOURCE_DIR "/tests/fuzz/corpus"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

class TestFuzzReplay : public QObject {
    Q_OBJECT

private slots:
    void every_corpus_input_passes_the_fuzz_target()
    {
        const QDir corpus(QStringLiteral(SRM_FUZZ_CORPUS));
        const QStringList names = corpus.entryList(QDir::Files, QDir::Name);
        QVERIFY2(names.size() >= 8, qPrintable(QString::number(names.size())));
        for (const QString& name : names) {
            QFile file(corpus.filePath(name));
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(name));
            const QByteArray bytes = file.readAll();
            QCOMPARE(LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.constData()), static_cast<std::size_t>(bytes.size())), 0);
        }
    }
};

QTEST_APPLESS_MAIN(TestFuzzReplay)
#include "tst_fuzz_replay.moc"
