// libFuzzer target: the workbench's session file (Session::fromJson on the
// bytes parsed as JSON, as Open Session reads them).
// Besides crashes and sanitizer reports it checks what the session promises:
// a malformed session is a std::runtime_error with a message (never another
// exception); a session that reads writes back a JSON that reads to the same
// JSON again (save, reopen, save: the same file); its request is built or
// refused with an InputError or UsageError.
#include "session.h"
#include "srm/errors.hpp"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstdint>
#include <cstdlib>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size)), &error);
    if (!doc.isObject()) return 0;  // loadSession refuses it before fromJson
    srmui::Session session;
    try {
        session = srmui::Session::fromJson(doc.object(), QStringLiteral("/nonexistent-session-dir"));
    } catch (const std::runtime_error& e) {
        if (!*e.what()) std::abort();  // a refusal says why
        return 0;
    }
    const QJsonObject saved = session.toJson(QStringLiteral("/nonexistent-session-dir"));
    const srmui::Session again = srmui::Session::fromJson(saved, QStringLiteral("/nonexistent-session-dir"));
    if (again.toJson(QStringLiteral("/nonexistent-session-dir")) != saved) std::abort();
    try {
        (void)session.request();
    } catch (const srm::InputError&) {
    } catch (const srm::UsageError&) {
    }
    return 0;
}
