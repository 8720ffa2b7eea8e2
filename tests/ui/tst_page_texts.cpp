// Every text the workbench shows, against a reviewed record: for each case,
// the window title, the navigator (text, status, tooltip), every named label
// of every page (rich text as set), every named table (header and each cell
// as displayed, and the row it opens at) and every chart's title, axes and
// series (nine points of each, spread over it; a band's both edges; each bar
// set's values). A number formatted wrong, a share shown as a fraction, a
// sentence of the wrong branch, a column filled from the wrong field, a
// series drawn with the wrong sign or from the wrong field: each changes the
// record.
//
// The records are tests/ui/expected/page_texts/CASE.txt. After a deliberate
// change of what the window shows, rewrite them with
//     SRM_UPDATE_PAGE_TEXTS=1 QT_QPA_PLATFORM=offscreen build/dev/tests/ui/tst_page_texts
// and read the diff before committing it: the record is only as right as
// that review (the sample's numbers are those of srm-check's JSON report).
#include "databasedialog.h"
#include "importdialog.h"
#include "pages.h"
#include "timechart.h"
#include "srm/simulate.hpp"
#include "uitestutil.hpp"

#include <QAbstractButton>
#include <QAbstractItemModel>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QAreaSeries>
#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QDateTimeAxis>
#include <QLineSeries>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QTableView>
#include <QTableWidget>
#include <QValueAxis>
#include <QXYSeries>
#include <algorithm>
#include <fstream>
#include <sstream>

namespace {

// The page (or dock) a widget sits on: its nearest ancestor named "...Page".
QString pageOf(const QObject* o)
{
    for (const QObject* p = o->parent(); p; p = p->parent())
        if (p->objectName().endsWith(QLatin1String("Page"))) return p->objectName();
    return QStringLiteral("window");
}

QString cell(const QAbstractItemModel* m, int row, int column)
{
    return m->index(row, column).data(Qt::DisplayRole).toString().replace('\n', QLatin1String("\\n"));
}

QString number(double v) { return std::fabs(v) > 1e11 ? QDateTime::fromMSecsSinceEpoch(qint64(v), Qt::UTC).toString(QStringLiteral("MM-dd hh:mm")) : QString::number(v, 'g', 6); }

// Nine points spread over a series (all of a shorter one), first and last included.
QString points(const QList<QPointF>& p)
{
    QStringList out;
    const qsizetype n = p.size();
    qsizetype last = -1;
    for (int i = 0; i < 9 && n > 0; ++i) {
        const qsizetype k = n == 1 ? 0 : (i * (n - 1) + 4) / 8;
        if (k == last) continue;
        last = k;
        out << QStringLiteral("(%1, %2)").arg(number(p[k].x()), number(p[k].y()));
    }
    return out.join(QLatin1Char(' '));
}

QString axis(QAbstractAxis* a)
{
    if (auto* v = qobject_cast<QValueAxis*>(a)) return QStringLiteral("%1 to %2").arg(number(v->min()), number(v->max()));
    if (auto* d = qobject_cast<QDateTimeAxis*>(a))
        return QStringLiteral("%1 to %2").arg(d->min().toUTC().toString(QStringLiteral("MM-dd hh:mm")), d->max().toUTC().toString(QStringLiteral("MM-dd hh:mm")));
    if (auto* c = qobject_cast<QBarCategoryAxis*>(a)) return c->categories().join(QLatin1String(", ")).replace(QLatin1Char('\n'), QLatin1String("\\n"));
    return QStringLiteral("?");
}

QString record(MainWindow& w)
{
    QStringList out;
    out << "== title" << w.windowTitle();
    auto* nav = w.findChild<QListWidget*>(QStringLiteral("navigator"));
    out << "== navigator";
    for (int i = 0; i < nav->count(); ++i)
        out << QStringLiteral("%1 | %2 | %3").arg(nav->item(i)->text(), nav->item(i)->data(Qt::UserRole + 1).toString(), nav->item(i)->toolTip());
    QStringList labels;
    for (auto* l : w.findChildren<QLabel*>())
        if (!l->objectName().isEmpty() && !l->objectName().startsWith(QLatin1String("qt_")))
            labels << QStringLiteral("== label %1/%2 (%3)\n%4")
                          .arg(pageOf(l), l->objectName(), l->isHidden() ? QStringLiteral("hidden") : QStringLiteral("shown"), l->text());
    std::sort(labels.begin(), labels.end());
    out << labels;
    QStringList tables;
    for (auto* t : w.findChildren<QTableView*>()) {
        const QAbstractItemModel* m = t->model();
        if (t->objectName().isEmpty() || !m) continue;
        QStringList lines{QStringLiteral("== table %1/%2: %3 rows, current row %4").arg(pageOf(t), t->objectName()).arg(m->rowCount()).arg(t->currentIndex().row())};
        QStringList header;
        for (int c = 0; c < m->columnCount(); ++c) header << m->headerData(c, Qt::Horizontal).toString();
        lines << header.join(QLatin1String(" | "));
        for (int r = 0; r < std::min(m->rowCount(), 40); ++r) {
            QStringList row;
            for (int c = 0; c < m->columnCount(); ++c) row << cell(m, r, c);
            lines << row.join(QLatin1String(" | "));
        }
        tables << lines.join('\n');
    }
    std::sort(tables.begin(), tables.end());
    out << tables;
    QStringList charts;
    for (auto* v : w.findChildren<QChartView*>()) {
        if (v->objectName().isEmpty() || !v->chart()) continue;
        QStringList lines{QStringLiteral("== chart %1/%2: %3").arg(pageOf(v), v->objectName(), v->chart()->title())};
        for (auto* a : v->chart()->axes()) lines << QStringLiteral("axis %1: %2").arg(a->orientation() == Qt::Horizontal ? "x" : "y", axis(a));
        for (auto* s : v->chart()->series()) {
            if (auto* xy = qobject_cast<QXYSeries*>(s)) {
                lines << QStringLiteral("%1: %2 points: %3").arg(s->name()).arg(xy->count()).arg(points(xy->points()));
            } else if (auto* area = qobject_cast<QAreaSeries*>(s)) {
                lines << QStringLiteral("%1: band of %2 points: upper %3").arg(s->name()).arg(area->upperSeries()->count()).arg(points(area->upperSeries()->points()));
                if (area->lowerSeries()) lines << QStringLiteral("    lower %1").arg(points(area->lowerSeries()->points()));
            } else if (auto* bars = qobject_cast<QBarSeries*>(s)) {
                for (auto* set : bars->barSets()) {
                    QStringList values;
                    for (int i = 0; i < set->count(); ++i) values << number(set->at(i));
                    lines << QStringLiteral("%1: bars %2: %3").arg(s->name(), set->label(), values.join(QLatin1String(", ")));
                }
            } else {
                lines << QStringLiteral("%1: ?").arg(s->name());
            }
        }
        charts << lines.join('\n');
    }
    std::sort(charts.begin(), charts.end());
    out << charts;
    return out.join('\n') + '\n';
}

// Every named widget of a dialog, by name: its kind, whether it is enabled
// and shown, and what it holds (text, value and range, items and choice,
// checked state), with its tooltip; a table's header and cells.
QString dialogRecord(QWidget& d)
{
    QStringList out{QStringLiteral("== title %1").arg(d.windowTitle())};
    for (auto* w : d.findChildren<QWidget*>()) {
        const QString name = w->objectName();
        if (name.isEmpty() || name.startsWith(QLatin1String("qt_"))) continue;
        QString what;
        if (auto* l = qobject_cast<QLabel*>(w)) what = QStringLiteral("label: ") + l->text();
        else if (auto* b = qobject_cast<QAbstractButton*>(w))
            what = QStringLiteral("button: ") + b->text() + (b->isCheckable() ? (b->isChecked() ? QStringLiteral(" [on]") : QStringLiteral(" [off]")) : QString());
        else if (auto* c = qobject_cast<QComboBox*>(w)) {
            QStringList items;
            for (int i = 0; i < c->count(); ++i) items << c->itemText(i);
            what = QStringLiteral("choice: %1 of %2").arg(c->currentText(), items.join(QLatin1String(", ")));
        } else if (auto* sp = qobject_cast<QDoubleSpinBox*>(w))
            what = QStringLiteral("number: %1 (%2 to %3, %4 decimals)").arg(number(sp->value()), number(sp->minimum()), number(sp->maximum())).arg(sp->decimals());
        else if (auto* si = qobject_cast<QSpinBox*>(w))
            what = QStringLiteral("number: %1 (%2 to %3)").arg(si->value()).arg(si->minimum()).arg(si->maximum());
        else if (auto* e = qobject_cast<QLineEdit*>(w))
            what = QStringLiteral("text: ") + e->text() + (e->placeholderText().isEmpty() ? QString() : QStringLiteral(" (placeholder ") + e->placeholderText() + ')');
        else if (auto* t = qobject_cast<QTableWidget*>(w)) {
            QStringList rows;
            for (int r = -1; r < std::min(t->rowCount(), 5); ++r) {
                QStringList cells;
                for (int c = 0; c < t->columnCount(); ++c)
                    cells << (r < 0 ? (t->horizontalHeaderItem(c) ? t->horizontalHeaderItem(c)->text() : QString()) : (t->item(r, c) ? t->item(r, c)->text() : QString()));
                rows << cells.join(QLatin1String(" | ")).replace('\n', QLatin1String("\\n"));
            }
            what = QStringLiteral("table of %1 rows:\n    ").arg(t->rowCount()) + rows.join(QLatin1String("\n    "));
        } else
            continue;
        out << QStringLiteral("== %1 (%2, %3) %4%5")
                   .arg(name, w->isEnabled() ? QStringLiteral("enabled") : QStringLiteral("disabled"), w->isHidden() ? QStringLiteral("hidden") : QStringLiteral("shown"),
                        what, w->toolTip().isEmpty() ? QString() : QStringLiteral("\n   tooltip: ") + w->toolTip());
    }
    std::sort(out.begin() + 1, out.end());
    return out.join('\n') + '\n';
}

void writeFile(const QString& path, const std::string& text) { std::ofstream(path.toStdString(), std::ios::binary) << text; }

// Opposite skews in two browsers (the first named `first`, 150:50; Chrome
// 50:150) and a balanced Firefox (300:300) that cancel out in the total.
std::string cancellingSegments(const char* first)
{
    std::ostringstream s;
    s << "timestamp,user_id,variant,browser,os,crashed\n";
    long u = 0;
    auto add = [&](const char* browser, long c, long t) {
        for (long i = 0; i < c + t; ++i, ++u) {
            const bool treat = i >= c;
            char ts[32];
            std::snprintf(ts, sizeof ts, "2026-03-0%ldT%02ld:%02ld:00Z", 1 + u % 7, u % 24, u % 60);
            s << ts << ",u" << u << "," << (treat ? "treatment" : "control") << "," << browser << "," << (u % 2 ? "iOS" : "Android") << ","
              << ((treat ? u % 5 : u % 10) == 0 ? 1 : 0) << "\n";
        }
    };
    add(first, 150, 50);
    add("Chrome", 50, 150);
    add("Firefox", 300, 300);
    return s.str();
}

}  // namespace

class TestPageTexts : public QObject {
    Q_OBJECT

    QLocale m_before;

    void compare(Fixture& f, const QString& name)
    {
        for (const char* page : {"summary", "step1", "step2", "step3", "step4", "checklist"}) f.window.showPage(QString::fromLatin1(page));
        // Paths as the reader of the record knows them.
        compareText(record(f.window).replace(f.dir.path(), QLatin1String("<tmp>")).replace(QLatin1String(SRM_SAMPLE_DIR), QLatin1String("<sample>")), name);
    }

    void compareText(const QString& got, const QString& name)
    {
        const QString path = QStringLiteral(SRM_PAGE_TEXTS_DIR "/%1.txt").arg(name);
        if (qEnvironmentVariableIsSet("SRM_UPDATE_PAGE_TEXTS")) {
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(got.toUtf8());
            return;
        }
        QFile in(path);
        QVERIFY2(in.open(QIODevice::ReadOnly), qPrintable(path + " is missing: see this file's header"));
        const QStringList want = QString::fromUtf8(in.readAll()).split('\n');
        const QStringList have = got.split('\n');
        // The first differing line, with the section it is in.
        QString section;
        for (int i = 0; i < std::max(want.size(), have.size()); ++i) {
            const QString a = have.value(i, QStringLiteral("<end>")), b = want.value(i, QStringLiteral("<end>"));
            if (b.startsWith(QLatin1String("== "))) section = b;
            if (a != b) QFAIL(qPrintable(QStringLiteral("%1, line %2 (%3):\n   shown:    %4\n   recorded: %5").arg(name).arg(i + 1).arg(section, a, b)));
        }
    }

private slots:
    void initTestCase()
    {
        QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    }
    void cleanupTestCase() { QLocale::setDefault(m_before); }

    void sample_with_its_change_log()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        f.window.setChangeLog(kChanges);
        QVERIFY(f.waitReport());
        compare(f, QStringLiteral("sample"));
    }

    // The sample's first week, dragged on the cumulative chart: the preview,
    // then the exact count.
    void sample_in_a_window()
    {
        Fixture f;
        QVERIFY(f.open(kSample));
        bool exact = false;
        connect(&f.window, &MainWindow::reportShown, this, [&](const srm::Report& r) { exact = r.scope.exact_window; });
        f.window.showPage(QStringLiteral("step1"));
        const auto t0 = f.window.report()->timeline.points.front().time;
        emit f.window.findChild<srmui::Step1Page*>()->cumulativeChart()->windowDragged(t0, t0 + 7 * 86400);
        QTRY_VERIFY_WITH_TIMEOUT(exact, 20000);
        compare(f, QStringLiteral("window"));
    }

    // Opposite skews in two browsers cancel out in the total.
    void segments_that_cancel_out()
    {
        Fixture f;
        writeFile(f.dir.filePath("seg.csv"), cancellingSegments("Safari"));
        QVERIFY(f.open(f.dir.filePath("seg.csv")));
        compare(f, QStringLiteral("segments"));
    }

    // The health reasons name a segment by its value as written: markup in
    // it is shown as text, not rendered.
    void a_segment_value_with_markup_in_the_health_reasons()
    {
        Fixture f;
        writeFile(f.dir.filePath("markup.csv"), cancellingSegments("Sa<b>fari & Co"));
        QVERIFY(f.open(f.dir.filePath("markup.csv")));
        const QString health = f.window.findChild<QLabel*>(QStringLiteral("healthHeadline"))->text();
        QVERIFY2(health.contains(QStringLiteral("<li>Out of balance inside browser = Sa&lt;b&gt;fari &amp; Co (")), qPrintable(health));
        QVERIFY2(!health.contains(QStringLiteral("Sa<b>")), qPrintable(health));
    }

    // Simulated causes, each with its own page words: a defect there from
    // the start, a gradual loss with a symptom (the crash rate), variant
    // jumping with the assignment-to-exposure funnel.
    void simulated_causes_data()
    {
        QTest::addColumn<int>("scenario");
        QTest::newRow("bucketing_defect") << static_cast<int>(srm::Scenario::BucketingDefect);
        QTest::newRow("gradual_attrition") << static_cast<int>(srm::Scenario::GradualAttrition);
        QTest::newRow("variant_jumping") << static_cast<int>(srm::Scenario::VariantJumping);
    }
    void simulated_causes()
    {
        QFETCH(int, scenario);
        Fixture f;
        srm::SimulationSpec spec;
        spec.scenario = static_cast<srm::Scenario>(scenario);
        spec.seed = 7;
        spec.users = 20000;
        spec.event_type = spec.scenario == srm::Scenario::VariantJumping;
        const QString path = f.dir.filePath(QStringLiteral("%1.csv").arg(QString::fromLatin1(srm::to_string(spec.scenario))));
        {
            std::ofstream out(path.toStdString(), std::ios::binary);
            srm::simulate(spec, out);
        }
        QVERIFY(f.open(path));
        compare(f, QString::fromLatin1(srm::to_string(spec.scenario)));
    }

    // The import dialog on the sample, on a file of three arms with a date,
    // an hour, a metric and a count column, and on a file it cannot read;
    // Preferences; and the database dialog before it connects.
    void dialogs_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : {"import_sample", "import_three_arms_counts", "import_unreadable", "preferences", "database"}) QTest::newRow(n) << QString(n);
    }
    void dialogs()
    {
        QFETCH(QString, name);
        QTemporaryDir dir;
        QString got;
        if (name == "import_sample") {
            srmui::ImportDialog d(kSample);
            got = dialogRecord(d);
        } else if (name == "import_three_arms_counts") {
            std::ostringstream s;
            s << "date;hour;variant;country;revenue;users\n";
            for (int i = 0; i < 60; ++i)
                s << "2026-03-0" << 1 + i / 24 % 3 << ";" << i % 24 << ";" << (i % 3 == 0 ? "control" : i % 3 == 1 ? "fast" : "slow") << ";"
                  << (i % 4 ? "DE" : "FR") << ";" << i * 1.25 << ";" << 100 + i << "\n";
            writeFile(dir.filePath("three.csv"), s.str());
            srmui::ImportDialog d(dir.filePath("three.csv"));
            got = dialogRecord(d);
        } else if (name == "import_unreadable") {
            writeFile(dir.filePath("utf16.csv"), std::string("\xFF\xFEv\0a\0r\0", 8));
            srmui::ImportDialog d(dir.filePath("utf16.csv"));
            got = dialogRecord(d);
        } else if (name == "preferences") {
            srmui::AnalysisPreferences p;
            p.priorConcentration = 2500;
            srmui::PreferencesDialog d(p);
            got = dialogRecord(d);
        } else {
            // The fields that start from the environment, as on a machine where they are set.
            const QByteArray keep[] = {qgetenv("PGHOST"), qgetenv("PGPORT"), qgetenv("PGUSER"), qgetenv("PGDATABASE")};
            const char* names[] = {"PGHOST", "PGPORT", "PGUSER", "PGDATABASE"};
            const char* values[] = {"db.example", "6543", "analyst", "experiments"};
            for (int i = 0; i < 4; ++i) qputenv(names[i], values[i]);
            auto restore = qScopeGuard([&] {
                for (int i = 0; i < 4; ++i) keep[i].isNull() ? qunsetenv(names[i]) : qputenv(names[i], keep[i]);
            });
            srmui::DatabaseDialog d;
            got = dialogRecord(d);
        }
        compareText(got.replace(dir.path(), QLatin1String("<tmp>")).replace(QLatin1String(SRM_SAMPLE_DIR), QLatin1String("<sample>")), name);
    }

    // A dimension past --max-dimension-values (here 5; "city" has 8 values)
    // is named on the summary page with the limit it passed; the first 20
    // rejected rows are listed, then how many more.
    void a_dimension_past_the_limit_is_named_with_it()
    {
        Fixture f;
        std::ostringstream s;
        s << "user_id,variant,city\n";
        for (int u = 0; u < 80; ++u) s << "u" << u << "," << (u % 2 ? "b" : "a") << ",c" << u % 8 << "\n";
        // And 25 rows without a unit (lines 82-106): the first 20 are listed.
        for (int u = 0; u < 25; ++u) s << "," << (u % 2 ? "b" : "a") << ",c1\n";
        writeFile(f.dir.filePath("cities.csv"), s.str());
        srm::AnalysisRequest req;
        req.file = f.dir.filePath("cities.csv").toStdString();
        req.load.dimensions = std::vector<std::string>{"city"};
        req.load.max_dimension_values = 5;
        QSignalSpy shown(&f.window, &MainWindow::reportShown);
        f.window.analyse(req, QStringLiteral("cities"));
        QVERIFY(shown.wait(30000));
        const QString input = f.window.findChild<QLabel*>(QStringLiteral("inputSummary"))->text();
        QVERIFY2(input.contains(QStringLiteral("<br>Dimension 'city' left out of the breakdown: more than 5 distinct values.")), qPrintable(input));
        QVERIFY2(input.contains(QStringLiteral("line 82: empty unit id<br>line 83: empty unit id<br>")), qPrintable(input));
        QVERIFY2(input.contains(QStringLiteral("line 101: empty unit id<br>… and 5 more (every one in the JSON report).")), qPrintable(input));
        QCOMPARE(input.count(QStringLiteral(": empty unit id<br>")), 20);
    }

    // A balanced split, no time column: the healthy words, the empty charts' texts.
    void healthy_without_times()
    {
        Fixture f;
        std::ostringstream s;
        s << "user_id,variant,country,revenue\n";
        for (int u = 0; u < 400; ++u) s << "u" << u << "," << (u % 2 ? "b" : "a") << "," << (u % 3 ? "DE" : "FR") << "," << (u % 7) * 1.5 << "\n";
        writeFile(f.dir.filePath("ok.csv"), s.str());
        QVERIFY(f.open(f.dir.filePath("ok.csv")));
        compare(f, QStringLiteral("healthy"));
    }
};

QTEST_MAIN(TestPageTexts)
#include "tst_page_texts.moc"
