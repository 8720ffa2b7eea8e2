#include "reportpainter.h"

#include <QBuffer>
#include <QFile>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPagedPaintDevice>
#include <QPainter>
#include <QPdfWriter>
#include <QSvgRenderer>
#include <QTextLayout>

#include <algorithm>
#include <memory>
#include <stdexcept>

namespace srmui {

namespace {

QString q(const std::string& s) { return QString::fromUtf8(s.data(), static_cast<qsizetype>(s.size())); }

QColor healthColour(srm::HealthState s)
{
    switch (s) {
    case srm::HealthState::Healthy: return QColor(0x2e, 0x7d, 0x32);
    case srm::HealthState::Warn: return QColor(0xe0, 0xa0, 0x00);
    case srm::HealthState::Severe: return QColor(0xc6, 0x28, 0x28);
    case srm::HealthState::SegmentLimited: return QColor(0xef, 0x6c, 0x00);
    case srm::HealthState::CheckFailed: return QColor(0xc6, 0x28, 0x28);
    case srm::HealthState::InputProblem: return QColor(0x6a, 0x1b, 0x9a);
    }
    return Qt::gray;
}

// The layout: a cursor down the page; every drawing call is skipped in the
// first (counting) pass, which only finds the number of pages.
class Layout {
public:
    Layout(QPagedPaintDevice* device, QPainter* painter, int pages_total)
        : device_(device), p_(painter), total_(pages_total)
    {
        const double dpi = device->logicalDpiY();
        mm_ = dpi / 25.4;
        const QRect page = device->pageLayout().paintRectPixels(device->logicalDpiX());
        width_ = page.width();
        height_ = page.height();
        body_ = font(9.5);
        footer_ = height_ - 7 * mm_;
        y_ = 0;
    }
    int pages() const { return page_; }
    void document(const srm::ReportDocument& doc)
    {
        text(q(doc.title), font(16, true), Qt::black, 0);
        text(q(doc.subtitle), font(8.5), QColor(0x66, 0x66, 0x66), 0);
        y_ += 2 * mm_;
        health(doc);
        if (!doc.scope.empty()) box(q(doc.scope), QColor(0xe8, 0xf0, 0xfe), QColor(0x5b, 0x8d, 0xef));
        for (const auto& s : doc.sections) section(s);
        footer();
    }

private:
    QFont font(double pt, bool bold = false) const
    {
        QFont f(QStringLiteral("DejaVu Sans"));
        f.setPointSizeF(pt);
        f.setBold(bold);
        // No ligatures ("ffi" as one glyph): the PDF's text must search and copy as typed.
        // Qt 6.4 has no font-feature switch; a non-default letter spacing turns them off.
        f.setLetterSpacing(QFont::AbsoluteSpacing, 0.05);  // a 1/64 px step at least (QFixed)
        return f;
    }
    bool painting() const { return p_ != nullptr; }
    double left() const { return 0; }

    void footer()
    {
        if (!painting()) return;
        p_->setFont(font(7.5));
        p_->setPen(QColor(0x77, 0x77, 0x77));
        p_->drawText(QRectF(0, footer_, width_, 5 * mm_), Qt::AlignRight | Qt::AlignVCenter,
                     QStringLiteral("Page %1 of %2").arg(page_).arg(total_));
    }
    void new_page()
    {
        footer();
        if (painting()) device_->newPage();
        ++page_;
        y_ = 0;
    }
    double room() const { return footer_ - 2 * mm_ - y_; }
    void need(double h)
    {
        if (h > room() && y_ > 0) new_page();
    }

    // Wrapped lines of a text at a width.
    std::vector<QTextLayout*> lines_of(const QString& s, const QFont& f, double w, std::vector<std::unique_ptr<QTextLayout>>& keep,
                                       Qt::Alignment align = Qt::AlignLeft) const
    {
        std::vector<QTextLayout*> out;
        for (const QString& para : s.split(QLatin1Char('\n'))) {
            auto layout = std::make_unique<QTextLayout>(para, f, device_);
            QTextOption opt;
            opt.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
            opt.setAlignment(align);
            layout->setTextOption(opt);
            layout->beginLayout();
            double ly = 0;
            for (;;) {
                QTextLine line = layout->createLine();
                if (!line.isValid()) break;
                line.setLineWidth(w);
                line.setPosition(QPointF(0, ly));
                ly += line.height();
            }
            layout->endLayout();
            out.push_back(layout.get());
            keep.push_back(std::move(layout));
        }
        return out;
    }
    // The width a text takes on one line, as the layout that draws it measures it.
    double text_width(const QString& s, const QFont& f) const
    {
        QTextLayout layout(s, f, device_);
        layout.beginLayout();
        QTextLine line = layout.createLine();
        double w = 0;
        if (line.isValid()) {
            line.setLineWidth(1e9);
            w = line.naturalTextWidth();
        }
        layout.endLayout();
        return w;
    }
    double height_of(const QString& s, const QFont& f, double w) const
    {
        std::vector<std::unique_ptr<QTextLayout>> keep;
        double h = 0;
        for (auto* l : lines_of(s, f, w, keep)) h += l->boundingRect().height();
        return h;
    }
    // A paragraph line by line, across pages.
    void text(const QString& s, const QFont& f, const QColor& colour, double indent, double after = 1.5)
    {
        std::vector<std::unique_ptr<QTextLayout>> keep;
        for (auto* l : lines_of(s, f, width_ - indent, keep))
            for (int i = 0; i < l->lineCount(); ++i) {
                const QTextLine line = l->lineAt(i);
                need(line.height());
                if (painting()) {
                    p_->setPen(colour);
                    line.draw(p_, QPointF(indent, y_ - line.y()));
                }
                y_ += line.height();
            }
        y_ += after * mm_;
    }
    void box(const QString& s, const QColor& fill, const QColor& bar)
    {
        const double pad = 2.5 * mm_, h = height_of(s, body_, width_ - 3 * pad) + 2 * pad;
        need(h);
        if (painting()) {
            p_->fillRect(QRectF(0, y_, width_, h), fill);
            p_->fillRect(QRectF(0, y_, 1.5 * mm_, h), bar);
        }
        const double y0 = y_;
        y_ += pad;
        text(s, body_, Qt::black, 2 * pad, 0);
        y_ = y0 + h + 3 * mm_;
    }
    void health(const srm::ReportDocument& doc)
    {
        QString s = q(doc.health_headline);
        for (const auto& r : doc.health_reasons) s += QStringLiteral("\n• ") + q(r);
        const double pad = 2.5 * mm_;
        const double h = height_of(q(doc.health_label), font(12, true), width_) + height_of(s, body_, width_ - 3 * pad) + 2 * pad + mm_;
        need(h);
        const QColor c = healthColour(doc.health);
        if (painting()) {
            QColor fill = c;
            fill.setAlphaF(0.10);
            p_->fillRect(QRectF(0, y_, width_, h), fill);
            p_->fillRect(QRectF(0, y_, 2 * mm_, h), c);
        }
        const double y0 = y_;
        y_ += pad;
        text(q(doc.health_label), font(12, true), c.darker(130), 2 * pad, 0.5);
        text(s, body_, Qt::black, 2 * pad, 0);
        y_ = y0 + h + 3 * mm_;
    }
    // The height a block needs to start on this page: what its heading must be kept with.
    double first_part(const srm::DocBlock& b) const
    {
        switch (b.kind) {
        case srm::DocBlock::Kind::Chart: return chart_height(b.chart);
        case srm::DocBlock::Kind::Table: return 4 * QFontMetricsF(font(8.5), device_).height() * 1.6;
        default: return 3 * QFontMetricsF(body_, device_).height();
        }
    }
    void section(const srm::DocSection& s)
    {
        const QFont h = font(13, true);
        const double hh = height_of(q(s.title), h, width_) + 5 * mm_;
        need(hh + (s.blocks.empty() ? 0 : first_part(s.blocks.front())));
        y_ += 3 * mm_;
        text(q(s.title), h, QColor(0x1d, 0x1d, 0x1f), 0, 0.5);
        if (painting()) {
            p_->setPen(QPen(QColor(0xcc, 0xcc, 0xcc), 0.3 * mm_));
            p_->drawLine(QPointF(0, y_), QPointF(width_, y_));
        }
        y_ += 2 * mm_;
        for (std::size_t i = 0; i < s.blocks.size(); ++i) block(s.blocks[i], i + 1 < s.blocks.size() ? &s.blocks[i + 1] : nullptr);
    }
    void block(const srm::DocBlock& b, const srm::DocBlock* next)
    {
        switch (b.kind) {
        case srm::DocBlock::Kind::Subheading: {
            const QFont f = font(10.5, true);
            need(height_of(q(b.text), f, width_) + (next ? first_part(*next) : 0));
            y_ += 1.5 * mm_;
            text(q(b.text), f, Qt::black, 0, 1);
            break;
        }
        case srm::DocBlock::Kind::Paragraph: {
            QFont f = body_;
            if (b.role == "verdict") f.setBold(true);
            const QColor c = b.role == "warning" ? QColor(0x8a, 0x4b, 0x00) : b.role == "note" ? QColor(0x55, 0x55, 0x55) : QColor(Qt::black);
            text(q(b.text), f, c, 0);
            break;
        }
        case srm::DocBlock::Kind::Bullets:
        case srm::DocBlock::Kind::Numbered:
            for (std::size_t i = 0; i < b.items.size(); ++i) {
                const QString mark = b.kind == srm::DocBlock::Kind::Numbered ? QString::number(i + 1) + QLatin1Char('.') : QStringLiteral("•");
                const double indent = 6 * mm_;
                need(QFontMetricsF(body_, device_).height());
                if (painting()) {
                    p_->setFont(body_);
                    p_->setPen(Qt::black);
                    p_->drawText(QPointF(1.5 * mm_, y_ + QFontMetricsF(body_, device_).ascent()), mark);
                }
                text(q(b.items[i]), body_, Qt::black, indent, 0.6);
            }
            y_ += mm_;
            break;
        case srm::DocBlock::Kind::Table: table(b.table); break;
        case srm::DocBlock::Kind::Chart: chart(b.chart); break;
        }
    }
    // Charts at 85 % of the text width, centred: two fit on a page with their text.
    double chart_width() const { return 0.85 * width_; }
    double chart_height(const srm::DocChart& c) const { return chart_width() * c.height / c.width; }
    void chart(const srm::DocChart& c)
    {
        const double h = chart_height(c);
        need(h + 2 * mm_);
        if (painting()) {
            QSvgRenderer svg(QByteArray::fromStdString(c.svg));
            svg.render(p_, QRectF((width_ - chart_width()) / 2, y_, chart_width(), h));
        }
        y_ += h + 3 * mm_;
    }
    // Column widths: at least the longest word of each column (a number's whole text, never
    // wrapped), the room left shared in proportion to what each column would take unwrapped.
    std::vector<double> column_widths(const srm::DocTable& t, const QFont& f, const QFont& hf, double pad) const
    {
        const std::size_t nc = t.header.size();
        std::vector<double> natural(nc, 0), least(nc, 0);
        auto longest_word = [&](const QFont& font, const QString& text) {
            double x = 0;
            for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) x = std::max(x, text_width(word, font));
            return x;
        };
        for (std::size_t c = 0; c < nc; ++c) {
            const bool number = c < t.numeric.size() && t.numeric[c];
            natural[c] = text_width(q(t.header[c]), hf) + 2 * pad + 0.3 * mm_;
            least[c] = longest_word(hf, q(t.header[c])) + 2 * pad;
            for (const auto& row : t.rows) {
                if (c >= row.size()) continue;
                const QString cell = q(row[c]);
                natural[c] = std::max(natural[c], text_width(cell, f) + 2 * pad + 0.3 * mm_);
                least[c] = std::max(least[c], (number ? text_width(cell, f) : std::min(longest_word(f, cell), 40 * mm_)) + 2 * pad + 0.3 * mm_);
            }
            least[c] = std::min(least[c], natural[c]);
        }
        std::vector<double> w = natural;
        double total = 0, least_total = 0, slack = 0;
        for (std::size_t c = 0; c < nc; ++c) {
            total += natural[c];
            least_total += least[c];
            slack += natural[c] - least[c];
        }
        if (total > width_) {
            for (std::size_t c = 0; c < nc; ++c)
                w[c] = least_total >= width_ ? least[c] * width_ / least_total
                                             : least[c] + (slack > 0 ? (natural[c] - least[c]) / slack * (width_ - least_total) : 0.0);
        }
        return w;
    }

    void table(const srm::DocTable& t)
    {
        const QFont f = font(8), hf = font(8, true);
        const std::size_t nc = t.header.size();
        if (nc == 0) return;
        const double pad = 1.2 * mm_;
        const std::vector<double> w = column_widths(t, f, hf, pad);
        auto row_height = [&](const std::vector<std::string>& row, const QFont& font) {
            double h = 0;
            for (std::size_t c = 0; c < nc; ++c) h = std::max(h, height_of(c < row.size() ? q(row[c]) : QString(), font, w[c] - 2 * pad));
            return h + 2 * pad;
        };
        auto draw_row = [&](const std::vector<std::string>& row, const QFont& font, bool header) {
            const double h = row_height(row, font);
            if (painting()) {
                double x = 0;
                for (std::size_t c = 0; c < nc; ++c) {
                    const QRectF cell(x, y_, w[c], h);
                    if (header) p_->fillRect(cell, QColor(0xee, 0xee, 0xee));
                    p_->setPen(QPen(QColor(0xc8, 0xc8, 0xc8), 0.2 * mm_));
                    p_->drawRect(cell);
                    p_->setPen(Qt::black);
                    const Qt::Alignment align = c < t.numeric.size() && t.numeric[c] ? Qt::AlignRight : Qt::AlignLeft;
                    std::vector<std::unique_ptr<QTextLayout>> keep;
                    double ly = y_ + pad;
                    for (auto* l : lines_of(c < row.size() ? q(row[c]) : QString(), font, w[c] - 2 * pad, keep, align)) {
                        l->draw(p_, QPointF(x + pad, ly));
                        ly += l->boundingRect().height();
                    }
                    x += w[c];
                }
            }
            y_ += h;
        };
        const double header_h = row_height(t.header, hf);
        need(header_h + (t.rows.empty() ? 0 : row_height(t.rows.front(), f)));
        draw_row(t.header, hf, true);
        for (const auto& row : t.rows) {
            const double h = row_height(row, f);
            if (h > room()) {
                new_page();
                draw_row(t.header, hf, true);  // the header again on the new page
            }
            draw_row(row, f, false);
        }
        y_ += 1.5 * mm_;
        if (!t.note.empty()) text(q(t.note), font(8), QColor(0x55, 0x55, 0x55), 0);
        y_ += 1.5 * mm_;
    }

    QPagedPaintDevice* device_;
    QPainter* p_;
    int total_;
    int page_ = 1;
    double mm_ = 1, width_ = 0, height_ = 0, footer_ = 0, y_ = 0;
    QFont body_;
};

}  // namespace

int paintReport(const srm::ReportDocument& doc, QPagedPaintDevice* device)
{
    Layout count(device, nullptr, 0);
    count.document(doc);
    const int pages = count.pages();
    QPainter painter(device);
    if (!painter.isActive()) throw std::runtime_error("cannot paint on the output device");
    painter.setRenderHint(QPainter::Antialiasing);
    Layout paint(device, &painter, pages);
    paint.document(doc);
    painter.end();
    return pages;
}

void writeReportPdf(const srm::ReportDocument& doc, const QString& path, const QString& pageSize)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter pdf(&buffer);
        pdf.setResolution(300);
        pdf.setTitle(q(doc.title));
        pdf.setCreator(q(doc.subtitle));
        pdf.setPageLayout(QPageLayout(QPageSize(pageSize.compare(QLatin1String("letter"), Qt::CaseInsensitive) == 0 ? QPageSize::Letter : QPageSize::A4),
                                      QPageLayout::Portrait, QMarginsF(16, 16, 16, 14), QPageLayout::Millimeter));
        paintReport(doc, &pdf);
    }
    writeFileAtomic(path, buffer.data());
}

void writeFileAtomic(const QString& path, const QByteArray& bytes)
{
    srm::write_file_atomic(QFile::encodeName(path).toStdString(), std::string_view(bytes.constData(), static_cast<std::size_t>(bytes.size())));
}

void writeReportFile(const srm::ReportDocument& doc, const QString& path, const QString& pageSize)
{
    const QString ext = path.section(QLatin1Char('.'), -1).toLower();
    if (ext == QLatin1String("pdf")) return writeReportPdf(doc, path, pageSize);
    if (ext == QLatin1String("html") || ext == QLatin1String("htm")) return writeFileAtomic(path, QByteArray::fromStdString(srm::to_html(doc)));
    if (ext == QLatin1String("md") || ext == QLatin1String("markdown")) return writeFileAtomic(path, QByteArray::fromStdString(srm::to_markdown(doc)));
    throw std::runtime_error("a report file ends in .html, .pdf or .md");
}

}  // namespace srmui
