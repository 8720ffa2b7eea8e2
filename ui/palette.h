// Colours from the palette: the variants' and severities' colours for
// charts and table rows that stay readable in a light or a dark palette
// (text against its background at WCAG AA, 4.5:1), and the workbench's
// dark palette (--palette dark).
#pragma once

#include <QColor>
#include <QPalette>
#include <cstddef>

namespace srmui {

/// Whether the palette is dark (its window colour darker than its text).
bool isDark(const QPalette& palette);
/// WCAG 2 contrast ratio of two colours (1 to 21).
double contrastRatio(const QColor& a, const QColor& b);
/// WCAG 2 relative luminance (0 to 1).
double relativeLuminance(const QColor& c);

/// The colour of the i-th variant's lines and bars in charts drawn on the
/// palette's base (lightened on a dark base).
QColor variantColor(std::size_t i, const QPalette& palette);

/// How far a table row or chart item stands out.
enum class Emphasis { Warn, Severe };
/// Row colours of an emphasis: a tint of its hue on the palette's base and
/// a text colour that keeps at least 4.5:1 against it.
struct RowTint {
    QColor background, foreground;
};
RowTint rowTint(Emphasis e, const QPalette& palette);
/// The colour of an emphasis for lines and markers on the palette's base.
QColor emphasisColor(Emphasis e, const QPalette& palette);

/// A dark palette for the Fusion style (the workbench's --palette dark).
QPalette darkPalette();

}  // namespace srmui
