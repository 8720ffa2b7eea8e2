#include "tablecopy.h"

#include <QAbstractItemView>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QItemSelectionModel>
#include <map>

namespace srmui {

QString selectedCellsText(const QAbstractItemView* view)
{
    if (!view->selectionModel()) return {};
    std::map<int, std::map<int, QString>> cells;  // row -> column -> text
    for (const QModelIndex& i : view->selectionModel()->selectedIndexes()) cells[i.row()][i.column()] = i.data(Qt::DisplayRole).toString();
    QStringList lines;
    for (const auto& [row, columns] : cells) {
        QStringList fields;
        int last = -1;
        for (const auto& [column, text] : columns) {
            for (int gap = last + 1; last >= 0 && gap < column; ++gap) fields << QString();
            QString t = text;
            fields << t.replace(QLatin1Char('\t'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
            last = column;
        }
        lines << fields.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n'));
}

void makeCopyable(QAbstractItemView* view)
{
    view->setTabKeyNavigation(false);
    auto* copy = new QAction(QObject::tr("Copy"), view);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    QObject::connect(copy, &QAction::triggered, view, [view] { QApplication::clipboard()->setText(selectedCellsText(view)); });
    view->addAction(copy);
}

}  // namespace srmui
