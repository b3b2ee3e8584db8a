#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace batchdeck::json {

// A strict, allocation-free reader of JSON text for hot paths that need a few fields out of a large
// document (an output line, a stored item) without building Qt's DOM.
//
// It accepts only a subset of what QJsonDocument::fromJson accepts, so that "the scanner read it"
// always implies "Qt would have read it the same way": RFC 8259 syntax, strictly valid UTF-8 without
// noncharacters, no lone \u surrogates, no keys with escapes, numbers of bounded size, nesting below
// a fixed depth. Anything else makes a call return false, and the caller then falls back to Qt's
// parser, which decides (and reports errors) as before.
class JsonScanner
{
public:
    explicit JsonScanner(QByteArrayView text)
        : m_pos(text.data())
        , m_end(text.data() + text.size())
    {}

    // Skips blanks, then tells whether the next character is `c` (and consumes it if so).
    bool take(char c);
    char peek(); // the next non-blank character, or 0 at the end
    bool atEnd();

    // An object's members: `member(key)` is called with the key's raw bytes (keys holding escapes are
    // refused) and must consume the value, e.g. with skipValue(). Returns false on any problem.
    template <typename Member> bool object(Member&& member)
    {
        if (!take('{') || !enter())
            return false;
        if (take('}'))
            return leave();
        do {
            QByteArrayView key;
            if (!readKey(&key) || !take(':') || !member(key))
                return false;
        } while (take(','));
        return take('}') && leave();
    }

    // An array's elements: `element(index)` must consume one value.
    template <typename Element> bool array(Element&& element)
    {
        if (!take('[') || !enter())
            return false;
        if (take(']'))
            return leave();
        qsizetype index = 0;
        do {
            if (!element(index++))
                return false;
        } while (take(','));
        return take(']') && leave();
    }

    bool skipValue();
    // A string value, decoded. Fails (without consuming meaningfully) when the value is not a string.
    bool readString(QString* out);
    // A string value as raw bytes between the quotes (escapes left as written) and whether it has any.
    bool readRawString(QByteArrayView* raw, bool* hasEscapes);
    // A non-negative integer written as plain digits (at most 15): other numbers are refused.
    bool readSmallInteger(qint64* out);
    // A number value's text as written. Fails when the value is not a number.
    bool readNumberText(QByteArrayView* text);
    bool readNull();
    // The next value's raw text: call before and after consuming it.
    const char* position() const { return m_pos; }

private:
    bool enter() { return ++m_depth <= kMaxDepth; }
    bool leave()
    {
        --m_depth;
        return true;
    }
    bool readKey(QByteArrayView* key);
    bool scanString(const char** contentEnd, bool* hasEscapes);
    bool skipNumber();
    bool skipLiteral(const char* word, qsizetype size);

    static constexpr int kMaxDepth = 256; // Qt's own limit is higher; deeper documents go to Qt
    const char* m_pos;
    const char* m_end;
    int m_depth = 0;
};

// Decodes the escapes of a string's raw bytes (as readRawString gives them) to UTF-8; false when
// the scanner's subset does not cover them (a lone surrogate).
bool unescapeString(QByteArrayView raw, QByteArray* utf8);

} // namespace batchdeck::json
