#include "dialogservice.h"

#include "importdialog.h"

#include <QFileDialog>
#include <QMessageBox>

namespace srmui {

QString QtDialogService::openFile(QWidget* parent, const QString& title, const QString& filter)
{
    return QFileDialog::getOpenFileName(parent, title, QString(), filter);
}

QString QtDialogService::saveFile(QWidget* parent, const QString& title, const QString& filter, const QString& suggested)
{
    return QFileDialog::getSaveFileName(parent, title, suggested, filter);
}

DialogService::Choice QtDialogService::unsavedChanges(QWidget* parent)
{
    const auto button = QMessageBox::warning(parent, QObject::tr("Unsaved changes"),
                                             QObject::tr("The session has changes (checklist answers, notes, window) that are not saved."),
                                             QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    return button == QMessageBox::Save ? Choice::Save : button == QMessageBox::Discard ? Choice::Discard : Choice::Cancel;
}

void QtDialogService::error(QWidget* parent, const QString& title, const QString& text)
{
    QMessageBox::warning(parent, title, text);
}

std::optional<Session> QtDialogService::importFile(QWidget* parent, const QString& path)
{
    ImportDialog dialog(path, parent);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return dialog.session();
}

}  // namespace srmui
