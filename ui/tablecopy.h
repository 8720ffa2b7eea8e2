// Tables as text: the selected cells of a view as tab-separated lines (for
// the clipboard), and Ctrl+C on a table copying them.
#pragma once

#include <QString>

class QAbstractItemView;

namespace srmui {

/// The selected cells, row by row (tab between columns, newline between rows).
QString selectedCellsText(const QAbstractItemView* view);

/// Makes Ctrl+C on the view copy its selected cells, and Tab move on to the
/// next widget rather than from cell to cell.
void makeCopyable(QAbstractItemView* view);

}  // namespace srmui
