#include "dialogservice.h"

#include "databasedialog.h"
#include "importdialog.h"
#include "preferencesdialog.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <cstdio>
#include <QPrintPreviewDialog>
#include <QPrinter>
#include <memory>

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
                                             QObject::tr("The checklist answers, notes or files of this review are not saved."),
                                             QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    return button == QMessageBox::Save ? Choice::Save : button == QMessageBox::Discard ? Choice::Discard : Choice::Cancel;
}

void QtDialogService::error(QWidget* parent, const QString& title, const QString& text)
{
    QMessageBox::warning(parent, title, text);
}

QString QtDialogService::locateFile(QWidget* parent, const QString& missingPath)
{
    const QFileInfo info(missingPath);
    const auto button = QMessageBox::question(parent, QObject::tr("File not found"),
                                              QObject::tr("The session's file %1 is not at %2 any more. Locate it?")
                                                  .arg(info.fileName(), info.absolutePath()),
                                              QMessageBox::Open | QMessageBox::Cancel, QMessageBox::Open);
    if (button != QMessageBox::Open) return {};
    return QFileDialog::getOpenFileName(parent, QObject::tr("Locate %1").arg(info.fileName()), QString(),
                                        QObject::tr("%1 (%1);;All files (*)").arg(info.fileName()));
}

std::optional<Session> QtDialogService::importFile(QWidget* parent, const QString& path)
{
    ImportDialog dialog(path, parent);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return dialog.session();
}

std::optional<Session> QtDialogService::openDatabase(QWidget* parent)
{
    DatabaseDialog dialog(parent, this);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return dialog.session();
}

std::optional<AnalysisPreferences> QtDialogService::preferences(QWidget* parent, const AnalysisPreferences& current)
{
    PreferencesDialog dialog(current, parent);
    if (dialog.exec() != QDialog::Accepted) return std::nullopt;
    return dialog.preferences();
}

void QtDialogService::printPreview(QWidget* parent, const std::function<void(QPrinter*)>& paint)
{
    // Opened window-modal, not exec()'d: no nested event loop. The printer lives as long as the dialog.
    auto printer = std::make_shared<QPrinter>(QPrinter::HighResolution);
    auto* dialog = new QPrintPreviewDialog(printer.get(), parent);
    dialog->setObjectName(QStringLiteral("printPreview"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QPrintPreviewDialog::paintRequested, dialog, [paint, printer](QPrinter* p) { paint(p); });
    dialog->open();
}

void QtDialogService::popupMenu(QMenu* menu, const QPoint& globalPos) { menu->popup(globalPos); }

DialogService::Choice UnattendedDialogService::unsavedChanges(QWidget*)
{
    return Choice::Discard;
}

void UnattendedDialogService::error(QWidget*, const QString& title, const QString& text)
{
    std::fprintf(stderr, "srm-workbench: %s: %s\n", qPrintable(title), qPrintable(text));
}

QString UnattendedDialogService::locateFile(QWidget*, const QString&)
{
    return {};
}

}  // namespace srmui
