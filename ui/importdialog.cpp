#include "importdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace srmui {

QStringList ImportDialog::roles()
{
    return {QStringLiteral("time"),          QStringLiteral("hour"),         QStringLiteral("unit"),
            QStringLiteral("variant"),       QStringLiteral("event"),        QStringLiteral("count"),
            QStringLiteral("dimension"),     QStringLiteral("metric"),       QStringLiteral("inclusion"),
            QStringLiteral("multi_variant"), QStringLiteral("assigned_variant"), QStringLiteral("ignore")};
}

ImportDialog::ImportDialog(const QString& path, QWidget* parent) : QDialog(parent), m_path(QFileInfo(path).absoluteFilePath())
{
    setObjectName(QStringLiteral("importDialog"));
    setWindowTitle(tr("Open %1").arg(QFileInfo(path).fileName()));
    auto* layout = new QVBoxLayout(this);
    m_dialect = new QLabel(this);
    m_dialect->setObjectName(QStringLiteral("dialectLabel"));
    m_dialect->setWordWrap(true);
    layout->addWidget(m_dialect);

    auto* shapeRow = new QHBoxLayout;
    shapeRow->addWidget(new QLabel(tr("Shape:"), this));
    m_shape = new QComboBox(this);
    m_shape->setObjectName(QStringLiteral("shapeCombo"));
    m_shape->addItem(tr("detected"), QString());
    m_shape->addItem(tr("events (one row per exposure)"), QStringLiteral("events"));
    m_shape->addItem(tr("aggregated (a count per row)"), QStringLiteral("aggregated"));
    shapeRow->addWidget(m_shape);
    shapeRow->addStretch(1);
    layout->addLayout(shapeRow);

    m_table = new QTableWidget(this);
    m_table->setObjectName(QStringLiteral("previewTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setDefaultSectionSize(22);
    layout->addWidget(m_table, 2);

    auto* rolesBox = new QGroupBox(tr("Column roles"), this);
    m_rolesGrid = new QGridLayout(rolesBox);
    layout->addWidget(rolesBox);
    auto* allocationBox = new QGroupBox(tr("Expected allocation (relative weights)"), this);
    auto* allocationLayout = new QVBoxLayout(allocationBox);
    m_allocationGrid = new QGridLayout;
    allocationLayout->addLayout(m_allocationGrid);
    auto* presets = new QHBoxLayout;
    const QList<std::tuple<QString, QString, QList<double>>> presetList = {
        {QStringLiteral("presetEqual"), tr("Equal split"), {}},
        {QStringLiteral("preset5050"), tr("50/50"), {50, 50}},
        {QStringLiteral("preset9010"), tr("90/10"), {90, 10}}};
    for (const auto& [name, label, weights] : presetList) {
        auto* b = new QPushButton(label, allocationBox);
        b->setObjectName(name);
        presets->addWidget(b);
        connect(b, &QPushButton::clicked, this, [this, w = weights] { applyPreset(w); });
    }
    presets->addStretch(1);
    allocationLayout->addLayout(presets);
    layout->addWidget(allocationBox);

    m_problems = new QLabel(this);
    m_problems->setObjectName(QStringLiteral("importProblems"));
    m_problems->setWordWrap(true);
    m_problems->setStyleSheet(QStringLiteral("QLabel { color: #b71c1c; }"));
    layout->addWidget(m_problems);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Analyse"));
    m_buttons->button(QDialogButtonBox::Ok)->setObjectName(QStringLiteral("analyseButton"));
    layout->addWidget(m_buttons);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_shape, &QComboBox::currentIndexChanged, this, &ImportDialog::validate);

    readPreview();
    resize(960, 760);
}

void ImportDialog::readPreview()
{
    try {
        m_preview = srm::preview_csv(m_path.toStdString(), {}, 50);
    } catch (const srm::InputError& e) {
        m_readError = e.line() ? tr("line %1: %2").arg(e.line()).arg(QString::fromStdString(e.what())) : QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        m_readError = QString::fromStdString(e.what());
    }
    const auto& d = m_preview.dialect;
    m_dialect->setText(m_readError.isEmpty()
                           ? tr("Detected: delimiter '%1', %2, %3, %4 line ends, %5 data. Change any role below; "
                                "the analysis uses exactly what is shown.")
                                 .arg(QString::fromStdString(srm::describe_delimiter(d.delimiter)),
                                      d.header ? tr("header row") : tr("no header row"), QString::fromStdString(d.encoding),
                                      QString::fromStdString(d.line_end), QString::fromLatin1(srm::to_string(m_preview.shape)))
                           : tr("This file cannot be read: %1").arg(m_readError));
    m_table->setColumnCount(static_cast<int>(m_preview.columns.size()));
    m_table->setRowCount(static_cast<int>(m_preview.rows.size()));
    for (int c = 0; c < static_cast<int>(m_preview.columns.size()); ++c)
        m_table->setHorizontalHeaderItem(c, new QTableWidgetItem(QString::fromStdString(m_preview.columns[static_cast<std::size_t>(c)].name)));
    for (int r = 0; r < static_cast<int>(m_preview.rows.size()); ++r)
        for (int c = 0; c < static_cast<int>(m_preview.rows[static_cast<std::size_t>(r)].size()) && c < m_table->columnCount(); ++c)
            m_table->setItem(r, c, new QTableWidgetItem(QString::fromStdString(m_preview.rows[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)])));
    m_table->resizeColumnsToContents();
    buildRoles();
    rebuildAllocation();
    validate();
}

void ImportDialog::buildRoles()
{
    for (int i = 0; i < static_cast<int>(m_preview.columns.size()); ++i) {
        const auto& col = m_preview.columns[static_cast<std::size_t>(i)];
        auto* combo = new QComboBox(this);
        const QString name = QString::fromStdString(col.name);
        combo->setObjectName(QStringLiteral("roleCombo_") + name);
        combo->addItems(roles());
        // A role the dialog does not offer (a column that names the arm in
        // its own words, which the reader leaves out) shows as ignore, with
        // the reader's reason beside it; never as the first item, time.
        const int detected = combo->findText(QString::fromLatin1(srm::to_string(col.role)));
        combo->setCurrentIndex(detected >= 0 ? detected : combo->findText(QStringLiteral("ignore")));
        m_rolesGrid->addWidget(new QLabel(name, this), i / 2, (i % 2) * 3);
        m_rolesGrid->addWidget(combo, i / 2, (i % 2) * 3 + 1);
        auto* reason = new QLabel(QString::fromStdString(col.reason), this);
        reason->setStyleSheet(QStringLiteral("QLabel { color: #616161; }"));
        m_rolesGrid->addWidget(reason, i / 2, (i % 2) * 3 + 2);
        m_roleCombos << combo;
        connect(combo, &QComboBox::currentTextChanged, this, [this] {
            rebuildAllocation();
            validate();
        });
    }
}

QStringList ImportDialog::variantsInPreview() const
{
    QStringList out;
    for (int c = 0; c < m_roleCombos.size(); ++c) {
        if (m_roleCombos[c]->currentText() != QStringLiteral("variant")) continue;
        for (const auto& row : m_preview.rows)
            if (static_cast<std::size_t>(c) < row.size() && !row[static_cast<std::size_t>(c)].empty()) {
                const QString v = QString::fromStdString(row[static_cast<std::size_t>(c)]);
                if (!out.contains(v)) out << v;
            }
    }
    out.sort();
    return out;
}

void ImportDialog::rebuildAllocation()
{
    const QStringList variants = variantsInPreview();
    QStringList current;
    for (const auto& w : m_weights) current << w.first;
    if (current == variants) return;
    for (const auto& w : m_weights) delete w.second;
    while (auto* item = m_allocationGrid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_weights.clear();
    for (int i = 0; i < variants.size(); ++i) {
        auto* spin = new QDoubleSpinBox(this);
        spin->setObjectName(QStringLiteral("weight_") + variants[i]);
        spin->setRange(0, 1e6);
        spin->setDecimals(2);
        spin->setValue(1);
        m_allocationGrid->addWidget(new QLabel(variants[i], this), i, 0);
        m_allocationGrid->addWidget(spin, i, 1);
        m_weights << qMakePair(variants[i], spin);
        connect(spin, &QDoubleSpinBox::valueChanged, this, &ImportDialog::validate);
    }
    // Two-arm presets fit two arms only: with three they would plan one at 0 silently.
    for (const char* name : {"preset5050", "preset9010"})
        if (auto* b = findChild<QPushButton*>(QLatin1String(name))) {
            b->setEnabled(variants.size() == 2);
            b->setToolTip(variants.size() == 2 ? QString() : tr("For two variants; the file has %n.", nullptr, static_cast<int>(variants.size())));
        }
}

void ImportDialog::applyPreset(const QList<double>& weights)
{
    for (int i = 0; i < m_weights.size(); ++i)
        m_weights[i].second->setValue(weights.isEmpty() ? 1.0 : weights.value(i, 0.0));
}

QStringList ImportDialog::problems() const
{
    if (!m_readError.isEmpty()) return {tr("The file cannot be read: %1").arg(m_readError)};
    QStringList out;
    QMap<QString, int> single;
    for (auto* combo : m_roleCombos) {
        const QString role = combo->currentText();
        if (role != QStringLiteral("dimension") && role != QStringLiteral("metric") && role != QStringLiteral("ignore")) ++single[role];
    }
    for (auto it = single.begin(); it != single.end(); ++it)
        if (it.value() > 1) out << tr("%1 columns have the role '%2'; give it to one.").arg(it.value()).arg(it.key());
    if (!single.contains(QStringLiteral("variant"))) out << tr("No column has the role 'variant'.");
    const QString shape = m_shape->currentData().toString();
    const bool aggregated = shape == QStringLiteral("aggregated") || (shape.isEmpty() && m_preview.shape == srm::Shape::Aggregated);
    if (aggregated && !single.contains(QStringLiteral("count"))) out << tr("Aggregated data needs a 'count' column.");
    if (m_weights.size() == 1) out << tr("Only one variant ('%1') in the first rows: plan the others here or check the variant column.").arg(m_weights.front().first);
    double total = 0;
    for (const auto& w : m_weights) total += w.second->value();
    if (!m_weights.isEmpty() && total <= 0) out << tr("Every variant has weight 0.");
    return out;
}

void ImportDialog::validate()
{
    const QStringList p = problems();
    m_problems->setText(p.isEmpty() ? QString() : QStringLiteral("\u26A0 ") + p.join(QStringLiteral("\n\u26A0 ")));
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(p.isEmpty());
}

Session ImportDialog::session() const
{
    Session s;
    s.dataFile = m_path;
    s.shape = m_shape->currentData().toString();
    QStringList dimensions, metrics;
    for (int c = 0; c < m_roleCombos.size(); ++c) {
        const QString role = m_roleCombos[c]->currentText();
        const QString name = QString::fromStdString(m_preview.columns[static_cast<std::size_t>(c)].name);
        if (role == QStringLiteral("dimension")) dimensions << name;
        else if (role == QStringLiteral("metric")) metrics << name;
        else if (role != QStringLiteral("ignore")) s.columns[role] = name;
    }
    s.dimensions = dimensions;
    s.metrics = metrics;
    for (const auto& [name, spin] : m_weights) s.expected.append({name, spin->value()});
    return s;
}

}  // namespace srmui
