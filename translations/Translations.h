#pragma once

#include <QString>

class QCoreApplication;

namespace batchdeck {

// Installs the console's translation for `language` ("pt_BR", "en"), or for the system locale when
// it is empty, with Qt's own (the standard buttons, the file dialog) where Debian ships them
// (qt6-translations-l10n). English is the source language and needs no file. Returns the language
// of the installed translation, or "en".
QString installTranslations(QCoreApplication& app, const QString& language);

// The languages the console is translated into, besides English.
QStringList translatedLanguages();

} // namespace batchdeck
