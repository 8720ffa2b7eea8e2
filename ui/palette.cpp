#include "palette.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace srmui {

namespace {

const QColor kVariantColors[] = {QColor(0x15, 0x65, 0xc0), QColor(0xef, 0x6c, 0x00), QColor(0x2e, 0x7d, 0x32),
                                 QColor(0x6a, 0x1b, 0x9a), QColor(0x00, 0x83, 0x8f), QColor(0x8d, 0x6e, 0x63)};
// Lighter hues of the same families for a dark base.
const QColor kVariantColorsDark[] = {QColor(0x64, 0xb5, 0xf6), QColor(0xff, 0xb7, 0x4d), QColor(0x81, 0xc7, 0x84),
                                     QColor(0xce, 0x93, 0xd8), QColor(0x4d, 0xd0, 0xe1), QColor(0xbc, 0xaa, 0xa4)};

double channel(double c)
{
    c /= 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

QColor mix(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t), static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

QColor hueOf(Emphasis e, bool dark)
{
    if (e == Emphasis::Severe) return dark ? QColor(0xef, 0x53, 0x50) : QColor(0xc6, 0x28, 0x28);
    return dark ? QColor(0xff, 0xca, 0x28) : QColor(0xf9, 0xa8, 0x25);
}

}  // namespace

double relativeLuminance(const QColor& c)
{
    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}

double contrastRatio(const QColor& a, const QColor& b)
{
    const double la = relativeLuminance(a), lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

bool isDark(const QPalette& palette)
{
    return relativeLuminance(palette.color(QPalette::Base)) < relativeLuminance(palette.color(QPalette::Text));
}

QColor variantColor(std::size_t i, const QPalette& palette)
{
    const auto n = std::size(kVariantColors);
    return isDark(palette) ? kVariantColorsDark[i % n] : kVariantColors[i % n];
}

RowTint rowTint(Emphasis e, const QPalette& palette)
{
    const bool dark = isDark(palette);
    const QColor base = palette.color(QPalette::Base);
    // A light tint on a light base; a deep one on a dark base.
    const QColor background = mix(base, hueOf(e, dark), dark ? 0.32 : (e == Emphasis::Severe ? 0.22 : 0.30));
    QColor text = palette.color(QPalette::Text);
    if (contrastRatio(text, background) < 4.5) {
        const QColor black(0, 0, 0), white(255, 255, 255);
        text = contrastRatio(black, background) >= contrastRatio(white, background) ? black : white;
    }
    return {background, text};
}

QColor emphasisColor(Emphasis e, const QPalette& palette)
{
    return hueOf(e, isDark(palette));
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xe8, 0xea, 0xed), disabled(0x80, 0x84, 0x8a);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x43));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabled);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6e, 0x6e));
    p.setColor(QPalette::Light, QColor(0x45, 0x48, 0x4c));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3d, 0x41));
    p.setColor(QPalette::Mid, QColor(0x33, 0x35, 0x38));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, QColor(0x0c, 0x0c, 0x0d));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0x7e, 0xd4));
    p.setColor(QPalette::HighlightedText, QColor(0xff, 0xff, 0xff));
    p.setColor(QPalette::Link, QColor(0x8a, 0xb4, 0xf8));
    p.setColor(QPalette::LinkVisited, QColor(0xc5, 0x8a, 0xf9));
    for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, disabled);
    return p;
}

}  // namespace srmui
