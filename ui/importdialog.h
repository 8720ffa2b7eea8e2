// File > Open Exposure CSV: a preview of the first rows, the detected
// dialect and shape, each column's role in an editable combo, and the
// expected allocation with presets. Problems show before loading.
#pragma once

#include "session.h"
#include "srm/ingest.hpp"

#include <QDialog>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QGridLayout;
class QLabel;
class QTableWidget;

namespace srmui {

class ImportDialog : public QDialog {
    Q_OBJECT

public:
    /// Reads the file's head; if it cannot be read, problems() says why.
    explicit ImportDialog(const QString& path, QWidget* parent = nullptr);

    /// The session the choices describe (data file, column roles, shape, expected allocation).
    Session session() const;
    /// What stops the file from being analysed as chosen (empty when it can be).
    QStringList problems() const;
    /// Role names offered in the combos.
    static QStringList roles();

private:
    void readPreview();
    void buildRoles();
    void rebuildAllocation();
    void applyPreset(const QList<double>& weights);
    void validate();
    QStringList variantsInPreview() const;

    QString m_path;
    srm::Preview m_preview;
    QString m_readError;
    QLabel* m_dialect;
    QComboBox* m_shape;
    QTableWidget* m_table;
    QGridLayout* m_rolesGrid;
    QList<QComboBox*> m_roleCombos;
    QGridLayout* m_allocationGrid;
    QList<QPair<QString, QDoubleSpinBox*>> m_weights;
    QLabel* m_problems;
    QDialogButtonBox* m_buttons;
};

}  // namespace srmui
