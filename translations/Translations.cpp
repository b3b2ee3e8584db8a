#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace batchdeck {

using namespace Qt::StringLiterals;

QStringList translatedLanguages()
{
    return {u"pt_BR"_s};
}

QString installTranslations(QCoreApplication& app, const QString& language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    if (!language.isEmpty())
        QLocale::setDefault(locale); // numbers and dates follow the chosen language too
    auto* own = new QTranslator(&app);
    // Tries the locale's UI languages in order ("pt_BR", "pt"), from the .qm files built into the program.
    if (!own->load(locale, u"batchdeck"_s, u"_"_s, u":/i18n"_s)) {
        delete own;
        return u"en"_s;
    }
    QCoreApplication::installTranslator(own);
    auto* qt = new QTranslator(&app);
    if (qt->load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return own->language().isEmpty() ? locale.name() : own->language();
}

} // namespace batchdeck
