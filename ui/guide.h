// Help > SRM Guide: what an SRM is and how to work through one.
#pragma once

class QWidget;

namespace srmui {

/// Opens the guide (non-modal; one instance per parent).
void showSrmGuide(QWidget* parent);

/// The guide's text (HTML).
const char* srmGuideHtml();

}  // namespace srmui
