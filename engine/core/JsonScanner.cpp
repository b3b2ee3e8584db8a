#include "JsonScanner.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace batchdeck::json {

namespace {

// Bytes a string scan can pass over without a look: printable ASCII but '"' and '\\'. Strings are
// most of an output line, so the scan runs through them in a tight loop over this table.
struct PlainBytes
{
    bool plain[256] = {};
    constexpr PlainBytes()
    {
        for (int c = 0x20; c < 0x80; ++c)
            plain[c] = c != '"' && c != '\\';
    }
};
constexpr PlainBytes kPlain;

bool isBlank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool readHex4(const char* p, const char* end, char32_t* out)
{
    if (end - p < 4)
        return false;
    char32_t value = 0;
    for (int i = 0; i < 4; ++i) {
        const int digit = hexValue(p[i]);
        if (digit < 0)
            return false;
        value = value * 16 + char32_t(digit);
    }
    *out = value;
    return true;
}

// Noncharacters are refused so that no question of how Qt's UTF-8 decoder treats them arises.
bool isNoncharacter(char32_t c)
{
    return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

// One multi-byte UTF-8 sequence starting at p (whose first byte is >= 0x80), strictly: no overlong
// forms, no surrogates, nothing above U+10FFFF. Returns its length, 0 when invalid.
int utf8Sequence(const unsigned char* p, const unsigned char* end)
{
    const unsigned char lead = p[0];
    int length;
    char32_t c;
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
        c = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        c = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        c = lead & 0x07;
    } else {
        return 0;
    }
    if (end - p < length)
        return 0;
    for (int i = 1; i < length; ++i) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    if ((length == 3 && c < 0x800) || (length == 4 && (c < 0x10000 || c > 0x10FFFF)))
        return 0;
    if ((c >= 0xD800 && c <= 0xDFFF) || isNoncharacter(c))
        return 0;
    return length;
}

void appendUtf8(QByteArray* out, char32_t c)
{
    if (c < 0x80) {
        out->append(char(c));
    } else if (c < 0x800) {
        out->append(char(0xC0 | (c >> 6)));
        out->append(char(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out->append(char(0xE0 | (c >> 12)));
        out->append(char(0x80 | ((c >> 6) & 0x3F)));
        out->append(char(0x80 | (c & 0x3F)));
    } else {
        out->append(char(0xF0 | (c >> 18)));
        out->append(char(0x80 | ((c >> 12) & 0x3F)));
        out->append(char(0x80 | ((c >> 6) & 0x3F)));
        out->append(char(0x80 | (c & 0x3F)));
    }
}

} // namespace

char JsonScanner::peek()
{
    while (m_pos < m_end && isBlank(*m_pos))
        ++m_pos;
    return m_pos < m_end ? *m_pos : 0;
}

bool JsonScanner::take(char c)
{
    if (peek() != c || m_pos >= m_end)
        return false;
    ++m_pos;
    return true;
}

bool JsonScanner::atEnd()
{
    peek();
    return m_pos == m_end;
}

// Leaves m_pos after the closing quote; *contentEnd at it. Validates escapes and UTF-8.
bool JsonScanner::scanString(const char** contentEnd, bool* hasEscapes)
{
    *hasEscapes = false;
    const char* p = m_pos;
    while (p < m_end) {
#if defined(__SSE2__)
        // 16 bytes at a time (memchr-style) up to the first byte that needs a look: a quote, a
        // backslash, or anything outside 0x20..0x7F, which one signed compare catches (bytes >= 0x80
        // are negative as signed chars). Exactly the bytes kPlain calls plain pass.
        const __m128i quote = _mm_set1_epi8('"');
        const __m128i backslash = _mm_set1_epi8('\\');
        const __m128i space = _mm_set1_epi8(0x20);
        while (m_end - p >= 16) {
            const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
            const __m128i special =
                _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                             _mm_cmplt_epi8(chunk, space));
            const int mask = _mm_movemask_epi8(special);
            if (mask != 0) {
                p += __builtin_ctz(unsigned(mask));
                break;
            }
            p += 16;
        }
#else
        while (m_end - p >= 4 && kPlain.plain[uchar(p[0])] && kPlain.plain[uchar(p[1])] && kPlain.plain[uchar(p[2])] &&
               kPlain.plain[uchar(p[3])])
            p += 4;
#endif
        while (p < m_end && kPlain.plain[uchar(*p)])
            ++p;
        if (p == m_end)
            break;
        const unsigned char c = static_cast<unsigned char>(*p);
        if (c == '"') {
            *contentEnd = p;
            m_pos = p + 1;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c == '\\') {
            *hasEscapes = true;
            if (p + 1 >= m_end)
                return false;
            switch (p[1]) {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
                p += 2;
                break;
            case 'u': {
                char32_t unit;
                if (!readHex4(p + 2, m_end, &unit))
                    return false;
                p += 6;
                break;
            }
            default:
                return false;
            }
        } else if (c < 0x80) {
            ++p;
        } else {
            const int length =
                utf8Sequence(reinterpret_cast<const unsigned char*>(p), reinterpret_cast<const unsigned char*>(m_end));
            if (length == 0)
                return false;
            p += length;
        }
    }
    return false;
}

bool JsonScanner::readRawString(QByteArrayView* raw, bool* hasEscapes)
{
    if (!take('"'))
        return false;
    const char* start = m_pos;
    const char* contentEnd = nullptr;
    if (!scanString(&contentEnd, hasEscapes))
        return false;
    *raw = QByteArrayView(start, contentEnd - start);
    return true;
}

bool JsonScanner::readKey(QByteArrayView* key)
{
    bool escapes = false;
    return readRawString(key, &escapes) && !escapes;
}

bool JsonScanner::readString(QString* out)
{
    QByteArrayView raw;
    bool escapes = false;
    if (!readRawString(&raw, &escapes))
        return false;
    if (!escapes) {
        *out = QString::fromUtf8(raw);
        return true;
    }
    QByteArray utf8;
    if (!unescapeString(raw, &utf8))
        return false;
    *out = QString::fromUtf8(utf8);
    return true;
}

bool JsonScanner::readSmallInteger(qint64* out)
{
    peek();
    const char* p = m_pos;
    qint64 value = 0;
    int digits = 0;
    while (p < m_end && *p >= '0' && *p <= '9') {
        if (++digits > 15)
            return false; // before the next digit could overflow value
        value = value * 10 + (*p - '0');
        ++p;
    }
    if (digits == 0 || (digits > 1 && *m_pos == '0'))
        return false;
    // Refuse fractions and exponents: the caller falls back to Qt for them.
    if (p < m_end && (*p == '.' || *p == 'e' || *p == 'E'))
        return false;
    m_pos = p;
    *out = value;
    return true;
}

bool JsonScanner::readNumberText(QByteArrayView* text)
{
    const char next = peek();
    if (next != '-' && (next < '0' || next > '9'))
        return false;
    const char* start = m_pos;
    if (!skipNumber())
        return false;
    *text = QByteArrayView(start, m_pos - start);
    return true;
}

bool JsonScanner::readNull()
{
    peek();
    return skipLiteral("null", 4);
}

bool JsonScanner::skipLiteral(const char* word, qsizetype size)
{
    if (m_end - m_pos < size || std::memcmp(m_pos, word, size) != 0)
        return false;
    m_pos += size;
    return true;
}

// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, with at most 200 digits on either side of the point
// and two in the exponent, so that every accepted number is a finite, non-denormal double for Qt.
bool JsonScanner::skipNumber()
{
    const char* p = m_pos;
    if (p < m_end && *p == '-')
        ++p;
    const char* digits = p;
    while (p < m_end && *p >= '0' && *p <= '9')
        ++p;
    if (p == digits || p - digits > 200 || (p - digits > 1 && *digits == '0'))
        return false;
    if (p < m_end && *p == '.') {
        const char* fraction = ++p;
        while (p < m_end && *p >= '0' && *p <= '9')
            ++p;
        if (p == fraction || p - fraction > 200)
            return false;
    }
    if (p < m_end && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p < m_end && (*p == '+' || *p == '-'))
            ++p;
        const char* exponent = p;
        while (p < m_end && *p >= '0' && *p <= '9')
            ++p;
        if (p == exponent || p - exponent > 2)
            return false;
    }
    m_pos = p;
    return true;
}

bool JsonScanner::skipValue()
{
    switch (peek()) {
    case '{':
        return object([this](QByteArrayView) { return skipValue(); });
    case '[':
        return array([this](qsizetype) { return skipValue(); });
    case '"': {
        QByteArrayView raw;
        bool escapes = false;
        if (!readRawString(&raw, &escapes))
            return false;
        // A lone surrogate escape is refused here too: Qt keeps it, and the fast path makes no promise.
        if (escapes) {
            QByteArray ignored;
            return unescapeString(raw, &ignored);
        }
        return true;
    }
    case 't':
        return skipLiteral("true", 4);
    case 'f':
        return skipLiteral("false", 5);
    case 'n':
        return skipLiteral("null", 4);
    default:
        return skipNumber();
    }
}

bool unescapeString(QByteArrayView raw, QByteArray* utf8)
{
    utf8->clear();
    utf8->reserve(raw.size());
    const char* p = raw.data();
    const char* end = p + raw.size();
    while (p < end) {
        const char* backslash = static_cast<const char*>(std::memchr(p, '\\', end - p));
        if (!backslash) {
            utf8->append(p, end - p);
            break;
        }
        utf8->append(p, backslash - p);
        p = backslash;
        if (p + 1 >= end)
            return false;
        const char kind = p[1];
        p += 2;
        switch (kind) {
        case '"':
            utf8->append('"');
            break;
        case '\\':
            utf8->append('\\');
            break;
        case '/':
            utf8->append('/');
            break;
        case 'b':
            utf8->append('\b');
            break;
        case 'f':
            utf8->append('\f');
            break;
        case 'n':
            utf8->append('\n');
            break;
        case 'r':
            utf8->append('\r');
            break;
        case 't':
            utf8->append('\t');
            break;
        case 'u': {
            char32_t unit;
            if (!readHex4(p, end, &unit))
                return false;
            p += 4;
            if (unit >= 0xDC00 && unit <= 0xDFFF)
                return false; // a low surrogate without its high half
            if (unit >= 0xD800 && unit <= 0xDBFF) {
                char32_t low;
                if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !readHex4(p + 2, end, &low) || low < 0xDC00 ||
                    low > 0xDFFF)
                    return false;
                p += 6;
                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
            }
            if (isNoncharacter(unit))
                return false;
            appendUtf8(utf8, unit);
            break;
        }
        default:
            return false;
        }
    }
    return true;
}

} // namespace batchdeck::json
