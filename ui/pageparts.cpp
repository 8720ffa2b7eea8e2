#include "pageparts.h"

#include "tablecopy.h"

#include <QHeaderView>
#include <QTableView>

namespace srmui {

QTableView* makeTable(const QString& objectName, QAbstractItemModel* model, QWidget* parent)
{
    auto* t = new QTableView(parent);
    t->setObjectName(objectName);
    t->setModel(model);
    t->verticalHeader()->hide();
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->horizontalHeader()->setStretchLastSection(true);
    t->setWordWrap(true);
    makeCopyable(t);
    return t;
}

QString heading(const QString& text) { return QStringLiteral("<h3>%1</h3>").arg(text); }

void fitColumns(QTableView* t, int maxWidth)
{
    t->resizeColumnsToContents();
    for (int c = 0; c < t->model()->columnCount(); ++c)
        if (t->columnWidth(c) > maxWidth) t->setColumnWidth(c, maxWidth);
    t->resizeRowsToContents();
}

}  // namespace srmui
