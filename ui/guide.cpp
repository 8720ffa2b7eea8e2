#include "guide.h"

#include <QDialog>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace srmui {

const char* srmGuideHtml()
{
    return R"(<h2>Sample Ratio Mismatch, and how to find its cause</h2>
<p>An experiment plans how traffic is split between its variants, for example 50/50 or 90/10. A
<b>sample ratio mismatch</b> (SRM) means the units that were actually counted in each variant do not
fit that plan more closely than chance allows. When it happens, the groups may differ in ways that
have nothing to do with the change under test, and the experiment's results cannot be trusted.</p>
<h3>How the test decides</h3>
<p>The workbench compares the observed units per variant with the planned split using Pearson's
chi-square goodness-of-fit test (an exact test when an expected count is very small). A p-value
below 0.01 raises an alert; below 0.001 the SRM is severe. Very large experiments detect tiny
deviations, so the deviation in percentage points is always shown beside the p-value.</p>
<h3>Working through an SRM</h3>
<ol>
<li><b>When did it start?</b> Look at the cumulative exposure chart. An imbalance present from the
start points to the bucketing code or the experiment's configuration; one that grows steadily points
to users leaving one variant (crashes, errors, slow pages); one that appears at a moment points to a
deployment or configuration change at that time.</li>
<li><b>Is it a symptom?</b> Compare crash, error, exposure and retention rates between variants. If
one variant loses users, the SRM is a consequence of that variant's experience rather than of the
randomisation.</li>
<li><b>What changed then?</b> Load the change log: deployments, configuration and remote-config
changes near the change point are the first suspects. A change of the traffic allocation mid-test
also shifts the split; load the allocation history so each phase is tested against its own plan.</li>
<li><b>Where does it concentrate?</b> Break the split down by browser, operating system, SDK
version, country and so on. An SRM confined to one segment usually has a cause specific to it; an
SRM inside segments can even hide behind a total that looks fine.</li>
</ol>
<h3>The support checklist</h3>
<p>Beyond the data, ask: is exposure logged by the platform or by a custom event? Was sticky
bucketing switched on or off? Was a variant added or removed, or the analysis window cut short?
Do users log in and out or get new device ids? Is a fallback variant counted as an exposure when the
flag service is slow? How much did units jump between variants?</p>
<h3>After an SRM</h3>
<p>Find the root cause first: it decides whether any result can be used. Then fix it, discard the
run and start the experiment again with the same design and a new randomisation seed. Do not try to
repair the collected data during analysis.</p>)";
}

void showSrmGuide(QWidget* parent)
{
    auto* dialog = parent->findChild<QDialog*>(QStringLiteral("srmGuide"));
    if (!dialog) {
        dialog = new QDialog(parent);
        dialog->setObjectName(QStringLiteral("srmGuide"));
        dialog->setWindowTitle(QObject::tr("SRM Guide"));
        auto* layout = new QVBoxLayout(dialog);
        auto* text = new QTextBrowser(dialog);
        text->setHtml(QString::fromUtf8(srmGuideHtml()));
        layout->addWidget(text);
        dialog->resize(700, 640);
    }
    dialog->show();
    dialog->raise();
}

}  // namespace srmui
