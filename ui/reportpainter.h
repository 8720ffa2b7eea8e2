// The report document on paper: a paginated layout painted on any
// QPagedPaintDevice (a PDF file or a printer), charts drawn from their SVG
// as vectors, a heading kept with what follows it, table headers repeated
// on each page. Uses only Qt Gui and Svg, so srm-check can link it.
#pragma once

#include "srm/document.hpp"

#include <QByteArray>
#include <QString>

class QPagedPaintDevice;

namespace srmui {

/// Lays the document out on the device's pages and paints it; returns the
/// number of pages. The device's page size and margins are used as set.
int paintReport(const srm::ReportDocument& doc, QPagedPaintDevice* device);

/// Writes the document as a PDF file on "a4" or "letter" paper, atomically;
/// throws std::runtime_error with the reason when it cannot.
void writeReportPdf(const srm::ReportDocument& doc, const QString& path, const QString& pageSize = QStringLiteral("a4"));

/// `bytes` written to `path` (in the file system's encoding) atomically;
/// throws std::runtime_error with the reason.
void writeFileAtomic(const QString& path, const QByteArray& bytes);

/// The document in the format its file name's extension names (.html, .htm,
/// .md, .markdown, .pdf), written atomically; throws std::runtime_error.
void writeReportFile(const srm::ReportDocument& doc, const QString& path, const QString& pageSize = QStringLiteral("a4"));

}  // namespace srmui
